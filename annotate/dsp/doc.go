// Package dsp holds second-order IIR filter sections (biquads) designed by
// the bilinear transform with pre-warping (R. Bristow-Johnson's "Audio EQ
// Cookbook"), run one sample at a time (a streaming detector) or forward
// and backward over a block (zero phase, for display). It imports the
// standard library only.
//
// # Sections
//
// A Biquad is
//
//	H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
//
// run in transposed direct form II. With K = tan(pi fc / fs) (the
// pre-warped corner) and W = tan(pi f / fs) for a frequency f in Hz, the
// designs have these magnitudes, exactly, for 0 <= f < fs/2:
//
//	LowPass(fc)   Butterworth, Q = 1/sqrt 2   |H(f)|^2 = 1 / (1 + (W/K)^4)
//	HighPass(fc)  Butterworth, Q = 1/sqrt 2   |H(f)|^2 = 1 / (1 + (K/W)^4)
//	Notch(f0, Q)  (s^2 + 1)/(s^2 + s/Q + 1)   |H(f)| = |1 - r^2| / sqrt((1 - r^2)^2 + (r/Q)^2),  r = W/K
//
// # Zero phase
//
// FiltFilt runs a cascade forward and then backward over a block, so the
// block's response is |H|^2 with no phase shift: a QRS complex is neither
// delayed nor skewed. The states start at the steady state of the block's
// first (last) sample, so a record that sits far from zero does not ring;
// what is left of the start-up transient dies within Margin samples.
//
// Squaring the response moves a Butterworth section's -3 dB point; the
// ZeroPhaseLowPass and ZeroPhaseHighPass designs move the section's corner
// so that the forward-backward response is -3 dB (|H|^2 = 1/sqrt 2) at the
// frequency asked for: K = tan(pi fc/fs) / (sqrt2 - 1)^(1/4) for the
// low-pass, K = tan(pi fc/fs) (sqrt2 - 1)^(1/4) for the high-pass.
package dsp
