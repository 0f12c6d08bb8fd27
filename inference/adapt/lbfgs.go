package adapt

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// lbfgsMemory is the number of correction pairs L-BFGS keeps.
const lbfgsMemory = 8

// minimize minimises the smooth function f (which returns its value at x
// and writes its gradient to g) from x, in place, by limited-memory BFGS
// (Nocedal and Wright, Numerical Optimization, algorithm 7.4) with a
// backtracking Armijo line search. It stops after maxIter iterations, when
// the largest gradient component is below gtol, or when no step decreases
// f. No randomness: the same f and x give the same bits.
func minimize(f func(x, g []float64) float64, x []float64, maxIter int, gtol float64) {
	n := len(x)
	g, gNew, xNew, dir := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	fx := f(x, g)
	var s, y [][]float64
	var rho []float64
	for range maxIter {
		if floats.Norm(g, math.Inf(1)) < gtol {
			return
		}
		direction(dir, g, s, y, rho)
		step, fNew, ok := lineSearch(f, x, dir, g, fx, xNew, gNew)
		if !ok {
			return
		}
		sk, yk := make([]float64, n), make([]float64, n)
		floats.ScaleTo(sk, step, dir)
		floats.SubTo(yk, gNew, g)
		if sy := floats.Dot(sk, yk); sy > 1e-12 {
			s, y, rho = keep(s, sk), keep(y, yk), keep(rho, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		fx = fNew
	}
}

// direction writes the L-BFGS search direction -H·g to dir (the two-loop
// recursion), or -g without correction pairs.
func direction(dir, g []float64, s, y [][]float64, rho []float64) {
	copy(dir, g)
	alpha := make([]float64, len(s))
	for i := len(s) - 1; i >= 0; i-- {
		alpha[i] = rho[i] * floats.Dot(s[i], dir)
		floats.AddScaled(dir, -alpha[i], y[i])
	}
	if k := len(s) - 1; k >= 0 {
		floats.Scale(floats.Dot(s[k], y[k])/floats.Dot(y[k], y[k]), dir)
	}
	for i := range s {
		beta := rho[i] * floats.Dot(y[i], dir)
		floats.AddScaled(dir, alpha[i]-beta, s[i])
	}
	floats.Scale(-1, dir)
}

// lineSearch halves the step from 1 until f decreases by the Armijo rule
// (c1 = 1e-4), writing the new point and gradient to xNew and gNew.
func lineSearch(f func(x, g []float64) float64, x, dir, g []float64, fx float64, xNew, gNew []float64) (float64, float64, bool) {
	slope := floats.Dot(g, dir)
	if slope >= 0 { // not a descent direction: fall back to the gradient
		floats.ScaleTo(dir, -1, g)
		slope = floats.Dot(g, dir)
	}
	for step := 1.0; step > 1e-10; step /= 2 {
		floats.AddScaledTo(xNew, x, step, dir)
		if fNew := f(xNew, gNew); fNew <= fx+1e-4*step*slope {
			return step, fNew, true
		}
	}
	return 0, fx, false
}

// keep appends x to the last lbfgsMemory values of v.
func keep[T any](v []T, x T) []T {
	if len(v) == lbfgsMemory {
		v = v[1:]
	}
	return append(v, x)
}
