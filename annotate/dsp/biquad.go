package dsp

import (
	"math"
	"math/cmplx"
)

// Biquad is a second-order IIR section in transposed direct form II:
//
//	y[n] = B0 x[n] + z1
//	z1   = B1 x[n] - A1 y[n] + z2
//	z2   = B2 x[n] - A2 y[n]
//
// The zero value passes nothing; use a design function (LowPass,
// HighPass, Notch...).
type Biquad struct {
	B0, B1, B2, A1, A2 float64
	z1, z2             float64
}

// Step filters one sample.
func (f *Biquad) Step(x float64) float64 {
	y := f.B0*x + f.z1
	f.z1 = f.B1*x - f.A1*y + f.z2
	f.z2 = f.B2*x - f.A2*y
	return y
}

// Settle sets the state to the steady state for a constant input x, so a
// signal that starts far from zero does not ring.
func (f *Biquad) Settle(x float64) {
	y := f.DCGain() * x
	f.z2 = f.B2*x - f.A2*y
	f.z1 = f.B1*x - f.A1*y + f.z2
}

// DCGain returns the section's gain at 0 Hz.
func (f *Biquad) DCGain() float64 { return (f.B0 + f.B1 + f.B2) / (1 + f.A1 + f.A2) }

// Response returns the complex frequency response at freq Hz for sampling
// frequency fs Hz.
func (f *Biquad) Response(freq, fs float64) complex128 {
	z := cmplx.Exp(complex(0, -2*math.Pi*freq/fs)) // z^-1
	num := complex(f.B0, 0) + complex(f.B1, 0)*z + complex(f.B2, 0)*z*z
	den := 1 + complex(f.A1, 0)*z + complex(f.A2, 0)*z*z
	return num / den
}

// rbj returns the section with cookbook coefficients b and a (a[0] the
// normalising a0).
func rbj(b0, b1, b2, a0, a1, a2 float64) Biquad {
	return Biquad{B0: b0 / a0, B1: b1 / a0, B2: b2 / a0, A1: a1 / a0, A2: a2 / a0}
}

// LowPass returns a second-order Butterworth low-pass section with its
// -3 dB corner at fc Hz, for sampling frequency fs Hz (0 < fc < fs/2).
func LowPass(fc, fs float64) Biquad {
	w := 2 * math.Pi * fc / fs
	cw, alpha := math.Cos(w), math.Sin(w)/math.Sqrt2
	return rbj((1-cw)/2, 1-cw, (1-cw)/2, 1+alpha, -2*cw, 1-alpha)
}

// HighPass returns a second-order Butterworth high-pass section with its
// -3 dB corner at fc Hz, for sampling frequency fs Hz (0 < fc < fs/2).
func HighPass(fc, fs float64) Biquad {
	w := 2 * math.Pi * fc / fs
	cw, alpha := math.Cos(w), math.Sin(w)/math.Sqrt2
	return rbj((1+cw)/2, -(1 + cw), (1+cw)/2, 1+alpha, -2*cw, 1-alpha)
}

// Notch returns a notch section at f0 Hz with quality q (f0 over the
// -3 dB bandwidth), for sampling frequency fs Hz (0 < f0 < fs/2).
func Notch(f0, q, fs float64) Biquad {
	w := 2 * math.Pi * f0 / fs
	cw, alpha := math.Cos(w), math.Sin(w)/(2*q)
	return rbj(1, -2*cw, 1, 1+alpha, -2*cw, 1-alpha)
}

// zeroPhaseShift is (sqrt2 - 1)^(1/4): the ratio of pre-warped
// frequencies at which a Butterworth section's |H|^2, squared again by the
// forward-backward pass, is 1/sqrt 2 (see the package comment).
var zeroPhaseShift = math.Pow(math.Sqrt2-1, 0.25)

// ZeroPhaseLowPass returns the Butterworth low-pass section whose
// forward-backward response (FiltFilt) is -3 dB at fc Hz.
func ZeroPhaseLowPass(fc, fs float64) Biquad {
	return LowPass(unwarp(warp(fc, fs)/zeroPhaseShift, fs), fs)
}

// ZeroPhaseHighPass returns the Butterworth high-pass section whose
// forward-backward response (FiltFilt) is -3 dB at fc Hz.
func ZeroPhaseHighPass(fc, fs float64) Biquad {
	return HighPass(unwarp(warp(fc, fs)*zeroPhaseShift, fs), fs)
}

// warp returns tan(pi f / fs), the bilinear transform's analog frequency;
// unwarp is its inverse.
func warp(f, fs float64) float64   { return math.Tan(math.Pi * f / fs) }
func unwarp(k, fs float64) float64 { return math.Atan(k) * fs / math.Pi }
