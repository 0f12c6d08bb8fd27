package qrs

import (
	"math"
	"math/cmplx"
)

// biquad is a second-order IIR section in transposed direct form II:
//
//	y[n] = b0 x[n] + z1
//	z1   = b1 x[n] - a1 y[n] + z2
//	z2   = b2 x[n] - a2 y[n]
type biquad struct {
	b0, b1, b2, a1, a2 float64
	z1, z2             float64
}

// step filters one sample.
func (f *biquad) step(x float64) float64 {
	y := f.b0*x + f.z1
	f.z1 = f.b1*x - f.a1*y + f.z2
	f.z2 = f.b2*x - f.a2*y
	return y
}

// settle sets the state to the steady state for a constant input x, so a
// record that starts far from zero does not ring.
func (f *biquad) settle(x float64) {
	g := (f.b0 + f.b1 + f.b2) / (1 + f.a1 + f.a2)
	y := g * x
	f.z2 = f.b2*x - f.a2*y
	f.z1 = f.b1*x - f.a1*y + f.z2
}

// butter2 designs a second-order Butterworth low-pass (high=false) or
// high-pass section with corner fc Hz at sampling rate fs Hz by the bilinear
// transform with pre-warping (RBJ cookbook, Q = 1/sqrt 2).
func butter2(fc, fs float64, high bool) biquad {
	w := 2 * math.Pi * fc / fs
	cw, alpha := math.Cos(w), math.Sin(w)/math.Sqrt2
	a0 := 1 + alpha
	f := biquad{a1: -2 * cw / a0, a2: (1 - alpha) / a0}
	if high {
		f.b0 = (1 + cw) / 2 / a0
		f.b1 = -(1 + cw) / a0
	} else {
		f.b0 = (1 - cw) / 2 / a0
		f.b1 = (1 - cw) / a0
	}
	f.b2 = f.b0
	return f
}

// response returns the complex frequency response of f at freq Hz.
func (f *biquad) response(freq, fs float64) complex128 {
	z := cmplx.Exp(complex(0, -2*math.Pi*freq/fs)) // z^-1
	num := complex(f.b0, 0) + complex(f.b1, 0)*z + complex(f.b2, 0)*z*z
	den := 1 + complex(f.a1, 0)*z + complex(f.a2, 0)*z*z
	return num / den
}

// groupDelay returns the group delay in samples of the cascade fs at freq Hz,
// -dphi/domega by a central difference.
func groupDelay(fs float64, freq float64, cascade ...biquad) float64 {
	const df = 0.01
	phase := func(fr float64) float64 {
		h := complex(1, 0)
		for i := range cascade {
			h *= cascade[i].response(fr, fs)
		}
		return cmplx.Phase(h)
	}
	d := phase(freq+df) - phase(freq-df)
	for d > math.Pi {
		d -= 2 * math.Pi
	}
	for d < -math.Pi {
		d += 2 * math.Pi
	}
	return -d / (2 * math.Pi * 2 * df / fs)
}
