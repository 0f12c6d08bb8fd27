package archive

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// groupVarSE is the standard error of the group variance as statsmodels'
// MixedLM reports it (the summary's Group Var Std.Err., bse_re): √σ̂²
// times the standard error of λ = σ²_u/σ² from the inverse of the
// negative Hessian of the log-likelihood with σ² profiled out, in
// (β, λ), at the optimum. The Hessian is taken by central differences
// (gonum's fd) in coordinates scaled to about one standard error (SE of
// each β_j, λ itself for λ), so one step size suits every parameter.
// NaN at the boundary λ = 0, or where the Hessian is not negative
// definite: no standard error means anything there.
func (pr *profile) groupVarSE(pt *point, scale float64, se []float64) float64 {
	if pt.lambda <= 0 {
		return math.NaN()
	}
	p := pr.p
	unit := append(append([]float64(nil), se...), pt.lambda)
	beta := mat.NewVecDense(p, nil)
	f := func(x []float64) float64 {
		for j := range p {
			beta.SetVec(j, pt.beta.AtVec(j)+x[j]*unit[j])
		}
		return -pr.llAt(beta, pt.lambda+x[p]*unit[p])
	}
	var h mat.SymDense
	fd.Hessian(&h, f, make([]float64, p+1), &fd.Settings{Step: 1e-3})
	var ch mat.Cholesky
	if !ch.Factorize(&h) {
		return math.NaN()
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return math.NaN()
	}
	return math.Sqrt(scale*cov.At(p, p)) * unit[p]
}
