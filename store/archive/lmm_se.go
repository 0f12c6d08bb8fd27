package archive

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// groupVarSE is the asymptotic standard error of σ²_u: from the inverse
// of the negative Hessian of the (RE)ML log-likelihood in (σ²_u, σ²), β
// profiled out,
//
//	ℓ(σ²_u, σ²) = −½ [ m (log 2π + log σ²) + Σ log(1+n_i λ) (+ log|XᵀWX| for REML) + Q(λ)/σ² ],  λ = σ²_u/σ²,
//
// as SAS PROC MIXED reports it (for balanced one-way data it is the
// ANOVA estimator's variance, 2/m²·[MSB²/(a−1) + MSW²/(a(m−1))]). The
// Hessian is taken by central differences (gonum's fd) in relative
// coordinates. NaN at the boundary λ = 0, where no standard error means
// anything, or where the Hessian is not negative definite.
//
// statsmodels' MixedLM prints another figure in its summary's Group Var
// Std.Err. (bse_re): √σ² times the standard error of λ, which scales as
// y, not as y² (fit 10·y and it grows tenfold while σ²_u grows a
// hundredfold).
func (pr *profile) groupVarSE(pt *point, scale float64) float64 {
	u := pt.lambda * scale
	if u <= 0 {
		return math.NaN()
	}
	f := func(x []float64) float64 {
		uu, s := u*(1+x[0]), scale*(1+x[1])
		q, err := pr.at(uu / s)
		if err != nil {
			return math.NaN()
		}
		return -pr.varianceLL(q, s)
	}
	var h mat.SymDense
	fd.Hessian(&h, f, []float64{0, 0}, &fd.Settings{Formula: fd.Central, Step: 1e-3})
	var ch mat.Cholesky
	if !ch.Factorize(&h) {
		return math.NaN()
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return math.NaN()
	}
	return math.Sqrt(cov.At(0, 0)) * u
}

// varianceLL is the (RE)ML log-likelihood at the point's λ with σ² = s,
// β profiled out.
func (pr *profile) varianceLL(pt *point, s float64) float64 {
	m := pr.dof()
	ll := -0.5 * (m*(math.Log(2*math.Pi)+math.Log(s)) + pt.logV + pt.q/s)
	if pr.reml {
		ll -= 0.5 * pt.chol.LogDet()
	}
	return ll
}
