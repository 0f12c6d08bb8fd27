package adapt

import (
	"context"

	"gonum.org/v1/gonum/optimize"
)

// lbfgsMemory is the number of correction pairs L-BFGS keeps.
const lbfgsMemory = 8

// minimize minimises the smooth function f (which returns its value at x
// and writes its gradient to g) from x, in place, with gonum's L-BFGS
// (Nocedal and Wright, Numerical Optimization, algorithm 7.4) and its
// default More-Thuente line search. It stops after maxIter major
// iterations, when the largest gradient component is below gtol, or when
// the line search can make no progress; x is then the best point found.
// No randomness and no concurrency: the same f and x give the same bits.
// It checks ctx after every evaluation of f and returns ctx's error when
// ctx ends first (x is then not to be used).
func minimize(ctx context.Context, f func(x, g []float64) float64, x []float64, maxIter int, gtol float64) error {
	p := optimize.Problem{
		Func: func(x []float64) float64 { return f(x, make([]float64, len(x))) },
		Grad: func(g, x []float64) { f(x, g) },
		Status: func() (optimize.Status, error) {
			if err := ctx.Err(); err != nil {
				return optimize.Failure, err
			}
			return optimize.NotTerminated, nil
		},
	}
	s := &optimize.Settings{GradientThreshold: gtol, MajorIterations: maxIter, Concurrent: 1}
	// Any other error is a line search that can make no more progress; the
	// result still holds the best point found, which is what we want.
	res, _ := optimize.Minimize(p, x, s, &optimize.LBFGS{Store: lbfgsMemory})
	if err := ctx.Err(); err != nil {
		return err
	}
	if res != nil {
		copy(x, res.X)
	}
	return nil
}
