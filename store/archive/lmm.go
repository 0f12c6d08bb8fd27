package archive

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// The mixed model of FitMixed, with a random intercept per group i of
// n_i rows:
//
//	y_i = X_i β + u_i 1 + e_i,   u_i ~ N(0, σ²_u),   e_i ~ N(0, σ² I)
//
// so Var(y_i) = σ² V_i with V_i = I + λ 11ᵀ, λ = σ²_u/σ², and
// V_i⁻¹ = W_i = I − c_i 11ᵀ, c_i = λ/(1+n_i λ), |V_i| = 1+n_i λ.
// For a given λ, β̂ = (XᵀWX)⁻¹ XᵀWy (generalised least squares),
// Q = (y−Xβ̂)ᵀ W (y−Xβ̂) and σ² profiles out as σ̂² = Q/m, with m = n−p
// for REML and m = n for ML. The profile log-likelihoods, on statsmodels'
// MixedLM scale, are
//
//	ML:   −½ [ n (log 2π + log σ̂² + 1) + Σ log(1+n_i λ) ]
//	REML: −½ [ (n−p)(log 2π + log σ̂² + 1) + Σ log(1+n_i λ) + log|XᵀWX| ]
//
// maximised over λ ≥ 0 (over θ = log λ, from the best point of a grid,
// with λ = 0 tried as well). Cov(β̂) = σ̂² (XᵀWX)⁻¹.

// Coef is one fixed effect: its estimate, standard error, z = Est/SE,
// two-sided normal p-value and 95% confidence interval.
type Coef struct {
	Name          string
	Est, SE, Z, P float64
	CILow, CIHigh float64
}

// MixedFit is a fitted random-intercept model.
type MixedFit struct {
	Spec MixedSpec
	REML bool
	// Coefs are the fixed effects, Intercept first, named as patsy names
	// statsmodels' formula columns (device[T.svdb]).
	Coefs []Coef
	// GroupVar is σ²_u, the variance of the groups' intercepts; Scale is
	// σ², the residual variance; Lambda their ratio. GroupVarSE is
	// GroupVar's asymptotic standard error (see groupVarSE: not
	// statsmodels' figure), NaN at λ = 0.
	GroupVar, GroupVarSE, Scale, Lambda float64
	LogLik                              float64 // (RE)ML log-likelihood, statsmodels' llf
	NObs, NGroups                       int
	MinGroup, MaxGroup                  int
	MeanGroup                           float64
	Dropped                             int  // rows dropped for a missing value
	Converged                           bool // the optimum's gradient is nought, or λ = 0 is a boundary optimum
}

// profile evaluates the profile log-likelihood of a design at λ.
type profile struct {
	d     *design
	reml  bool
	n, p  int
	sizes []float64     // n_i
	xtx   *mat.SymDense // XᵀX
	sx    *mat.Dense    // row i: the sums of X over group i
	xty   *mat.VecDense // Xᵀy
	ysum  []float64     // sums of y by group
}

// point is the profile at one λ.
type point struct {
	lambda, ll float64
	logV       float64 // Σ log(1+n_i λ)
	beta       *mat.VecDense
	q          float64
	chol       *mat.Cholesky // of XᵀWX
	rsum       []float64     // residual sums by group
}

func newProfile(d *design, reml bool) *profile {
	n, p := d.x.Dims()
	pr := &profile{d: d, reml: reml, n: n, p: p, sizes: make([]float64, len(d.groups)),
		xtx: mat.NewSymDense(p, nil), sx: mat.NewDense(len(d.groups), p, nil),
		xty: mat.NewVecDense(p, nil), ysum: make([]float64, len(d.groups))}
	pr.xtx.SymOuterK(1, d.x.T())
	pr.xty.MulVec(d.x.T(), mat.NewVecDense(n, d.y))
	for k, g := range d.group {
		pr.sizes[g]++
		pr.ysum[g] += d.y[k]
		for j := range p {
			pr.sx.Set(g, j, pr.sx.At(g, j)+d.x.At(k, j))
		}
	}
	return pr
}

// system is XᵀWX at λ, factorised, with XᵀWy, the c_i and
// log|V_i| summed: Σ log(1+n_i λ).
type system struct {
	c    []float64
	logV float64
	chol *mat.Cholesky
	rhs  *mat.VecDense
}

// system builds XᵀWX = XᵀX − Σ c_i s_i s_iᵀ and XᵀWy = Xᵀy − Σ c_i s_i t_i
// from the group sums s_i of X and t_i of y.
func (pr *profile) system(lambda float64) (*system, error) {
	g := len(pr.sizes)
	s := &system{c: make([]float64, g), chol: &mat.Cholesky{}, rhs: mat.NewVecDense(pr.p, nil)}
	root := mat.NewDense(g, pr.p, nil) // row i: √c_i times group i's sums
	s.rhs.CopyVec(pr.xty)
	for i, ni := range pr.sizes {
		s.c[i] = lambda / (1 + ni*lambda)
		s.logV += math.Log1p(ni * lambda)
		row := pr.sx.RawRowView(i)
		s.rhs.AddScaledVec(s.rhs, -s.c[i]*pr.ysum[i], mat.NewVecDense(pr.p, row))
		for j, v := range row {
			root.Set(i, j, math.Sqrt(s.c[i])*v)
		}
	}
	a := mat.NewSymDense(pr.p, nil)
	a.SymRankK(pr.xtx, -1, root.T())
	if !s.chol.Factorize(a) {
		return nil, fmt.Errorf("%w: XᵀWX is not positive definite at λ=%g", ErrSingular, lambda)
	}
	return s, nil
}

// at computes the profile at λ.
func (pr *profile) at(lambda float64) (*point, error) {
	s, err := pr.system(lambda)
	if err != nil {
		return nil, err
	}
	pt := &point{lambda: lambda, logV: s.logV, chol: s.chol, beta: mat.NewVecDense(pr.p, nil), rsum: make([]float64, len(pr.sizes))}
	if err := pt.chol.SolveVecTo(pt.beta, s.rhs); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSingular, err)
	}
	pt.q = pr.quadForm(pt.beta, s.c, pt.rsum)
	pt.ll = pr.loglik(pt.q, s)
	return pt, nil
}

// dof is m, the divisor of Q in σ̂²: n−p for REML, n for ML.
func (pr *profile) dof() float64 {
	if pr.reml {
		return float64(pr.n - pr.p)
	}
	return float64(pr.n)
}

// loglik is the log-likelihood with σ² profiled out, given Q.
func (pr *profile) loglik(q float64, s *system) float64 {
	m := pr.dof()
	ll := -0.5 * (m*(math.Log(2*math.Pi)+math.Log(q/m)+1) + s.logV)
	if pr.reml {
		ll -= 0.5 * s.chol.LogDet()
	}
	return ll
}

// quadForm returns Q = rᵀWr for the residuals r = y − Xβ, filling the
// residual sums by group.
func (pr *profile) quadForm(beta *mat.VecDense, c, rsum []float64) float64 {
	var fit mat.VecDense
	fit.MulVec(pr.d.x, beta)
	q := 0.0
	for k, y := range pr.d.y {
		r := y - fit.AtVec(k)
		q += r * r
		rsum[pr.d.group[k]] += r
	}
	for i, s := range rsum {
		q -= c[i] * s * s
	}
	return q
}

// slope is d ll/d λ at a point: with d c_i/d λ = 1/(1+n_i λ)² =: e_i,
// dQ/dλ = −Σ e_i R_i² (β̂ minimises Q), d log|V|/dλ = Σ n_i/(1+n_i λ)
// and, for REML, d log|XᵀWX|/dλ = −Σ e_i s_iᵀ(XᵀWX)⁻¹ s_i, s_i the sums
// of X over group i.
func (pr *profile) slope(pt *point) float64 {
	m := pr.dof()
	dq, dv, dx := 0.0, 0.0, 0.0
	var sol mat.VecDense
	for i, ni := range pr.sizes {
		e := 1 / ((1 + ni*pt.lambda) * (1 + ni*pt.lambda))
		dq -= e * pt.rsum[i] * pt.rsum[i]
		dv += ni / (1 + ni*pt.lambda)
		if pr.reml {
			s := mat.NewVecDense(pr.p, pr.sx.RawRowView(i))
			if err := pt.chol.SolveVecTo(&sol, s); err == nil {
				dx -= e * mat.Dot(s, &sol)
			}
		}
	}
	return -0.5 * (m*dq/pt.q + dv + dx)
}

// FitMixed fits the random-intercept model of spec to the table by REML
// (reml true, statsmodels' default) or maximum likelihood.
func FitMixed(t *Table, spec MixedSpec, reml bool) (*MixedFit, error) {
	d, err := buildDesign(t, spec)
	if err != nil {
		return nil, err
	}
	if len(d.y) == 0 {
		return nil, fmt.Errorf("%w: no row has %s, %s and every fixed effect (%d rows, all with a missing value)", ErrTooFewRows, spec.Y, spec.Group, d.dropped)
	}
	if err := d.checkRank(); err != nil {
		return nil, err
	}
	pr := newProfile(d, reml)
	if err := pr.identifiable(); err != nil {
		return nil, err
	}
	best, converged, err := pr.maximise()
	if err != nil {
		return nil, err
	}
	if err := pr.degenerate(best); err != nil {
		return nil, err
	}
	return pr.result(spec, best, converged), nil
}

// degenerate rejects data that leave no residual variance: y an exact
// function of the fixed effects (the least-squares residuals are
// nought), or y constant within each group once the fixed effects are
// taken out (σ² tends to nought as λ grows, the likelihood without
// bound).
func (pr *profile) degenerate(best *point) error {
	zero, err := pr.at(0)
	if err != nil {
		return err
	}
	yy := 0.0
	for _, y := range pr.d.y {
		yy += y * y
	}
	if zero.q <= 1e-20*yy || yy == 0 {
		return fmt.Errorf("%w: %s is an exact function of the fixed effects (%s): no residual is left to model", ErrNoVariance, pr.d.yName, strings.Join(pr.d.names, ", "))
	}
	if best.q <= 1e-10*zero.q {
		return fmt.Errorf("%w: %s does not vary within the groups once the fixed effects are taken out (the residual variance tends to nought): the group means are the whole story", ErrNoVariance, pr.d.yName)
	}
	return nil
}

// identifiable checks the data can tell σ²_u from σ² and from the
// intercept: two groups at least, one of them of two rows or more.
func (pr *profile) identifiable() error {
	if len(pr.sizes) < 2 {
		return fmt.Errorf("%w: all %d rows are in one group (%s), so its intercept is the model's: fit a plain regression, or choose a grouping column with several groups", ErrNoVariance, pr.n, pr.d.groups[0])
	}
	for _, ni := range pr.sizes {
		if ni >= 2 {
			return nil
		}
	}
	return fmt.Errorf("%w: each of the %d groups has one row, so the group variance cannot be told from the residual one: choose a grouping column with repeated rows", ErrNoVariance, len(pr.sizes))
}

// maximise finds the λ ≥ 0 of the highest profile log-likelihood: the
// best point of a grid over θ = log λ in [−15, 15], refined by BFGS with
// the analytic slope, against the boundary λ = 0.
func (pr *profile) maximise() (*point, bool, error) {
	zero, err := pr.at(0)
	if err != nil {
		return nil, false, err
	}
	best := zero
	for th := -15.0; th <= 15; th += 0.5 {
		if pt, err := pr.at(math.Exp(th)); err == nil && pt.ll > best.ll {
			best = pt
		}
	}
	if best == zero {
		return zero, pr.slope(zero) <= 0, nil
	}
	refined, ok := pr.refine(best)
	if refined != nil && refined.ll >= best.ll {
		best = refined
	}
	if zero.ll >= best.ll {
		return zero, pr.slope(zero) <= 0, nil
	}
	return best, ok, nil
}

// refine climbs from a grid point with gonum's BFGS over θ = log λ.
func (pr *profile) refine(start *point) (*point, bool) {
	eval := func(th float64) *point {
		pt, err := pr.at(math.Exp(th))
		if err != nil {
			return nil
		}
		return pt
	}
	prob := optimize.Problem{
		Func: func(x []float64) float64 {
			if pt := eval(x[0]); pt != nil {
				return -pt.ll
			}
			return math.Inf(1)
		},
		Grad: func(grad, x []float64) {
			grad[0] = math.NaN()
			if pt := eval(x[0]); pt != nil {
				grad[0] = -pt.lambda * pr.slope(pt)
			}
		},
	}
	set := &optimize.Settings{GradientThreshold: 1e-8 * (1 + math.Abs(start.ll))}
	res, err := optimize.Minimize(prob, []float64{math.Log(start.lambda)}, set, &optimize.BFGS{})
	if res == nil {
		return nil, false
	}
	pt := eval(res.X[0])
	return pt, err == nil && res.Status == optimize.GradientThreshold
}

// result turns the optimum into the fit's figures.
func (pr *profile) result(spec MixedSpec, pt *point, converged bool) *MixedFit {
	scale := pt.q / pr.dof()
	f := &MixedFit{Spec: spec, REML: pr.reml, Scale: scale, Lambda: pt.lambda, GroupVar: pt.lambda * scale,
		LogLik: pt.ll, NObs: pr.n, NGroups: len(pr.sizes), Dropped: pr.d.dropped, Converged: converged,
		MinGroup: pr.n, MeanGroup: float64(pr.n) / float64(len(pr.sizes))}
	for _, ni := range pr.sizes {
		f.MinGroup, f.MaxGroup = min(f.MinGroup, int(ni)), max(f.MaxGroup, int(ni))
	}
	var inv mat.SymDense
	if err := pt.chol.InverseTo(&inv); err != nil {
		inv.ReuseAsSym(pr.p)
		for j := range pr.p {
			inv.SetSym(j, j, math.NaN())
		}
	}
	z975 := distuv.UnitNormal.Quantile(0.975)
	for j, name := range pr.d.names {
		c := Coef{Name: name, Est: pt.beta.AtVec(j), SE: math.Sqrt(scale * inv.At(j, j))}
		c.Z = c.Est / c.SE
		c.P = 2 * distuv.UnitNormal.Survival(math.Abs(c.Z))
		c.CILow, c.CIHigh = c.Est-z975*c.SE, c.Est+z975*c.SE
		f.Coefs = append(f.Coefs, c)
	}
	f.GroupVarSE = pr.groupVarSE(pt, scale)
	return f
}
