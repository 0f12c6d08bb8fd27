// Package beatwin cuts beat windows out of a record: the one resampler and
// window cutter behind both the training export (store/export writes the
// windows into beats.npz) and the app's beat models (inference/model feeds
// them to ONNX), so that a model is served exactly the windows it was
// trained on.
//
// # Windows
//
// A window of a beat whose R peak lies on input sample R (a record at fsIn
// Hz) has W = before + after output samples at fsOut Hz, the R peak at
// output index before. Output sample j (j = 0 .. W-1) lies at the input
// position
//
//	p_j = R + (j - before) · fsIn / fsOut      (input samples)
//
// whose fractional part depends on j only, as R is a whole sample. Each
// output j therefore has one fixed filter, computed once per pair of rates
// and window (a polyphase filter bank), and a window costs W small dot
// products over the input samples near the beat, whatever the rest of the
// record holds.
//
// # The filter
//
// Output j is the windowed-sinc interpolation of the input at p_j:
//
//	y_j = Σ_k h(k - p_j) · x[R + k]   over the whole samples k with |k - p_j| < T
//
//	h(t) = 2f · sinc(2f·t) · I0(β·sqrt(1 - (t/T)²)) / I0(β)
//
// with t in input samples, sinc(u) = sin(πu)/(πu), I0 the modified Bessel
// function of order 0 and
//
//	f  = 0.45 · min(fsIn, fsOut) / fsIn   the cut-off in cycles per input sample:
//	                                      90 % of the lower Nyquist frequency,
//	                                      so downsampling does not alias
//	T  = 10 / (2f)                        10 zero crossings of the sinc on each side
//	β  = 6                                Kaiser window, about 60 dB stop band
//
// The taps of each output are then scaled to sum to 1, so a constant input
// stays exactly constant (unit gain at 0 Hz). When fsIn equals fsOut there
// is no filter: y_j = x[R + j - before], the record's own samples.
//
// Example: from 360 Hz to 180 Hz, f = 0.225 and T = 22.2, so every output
// sample weighs the 45 input samples (125 ms) around it; from 128 Hz up to
// 180 Hz, f = 0.45, T = 11.1 and 23 input samples (180 ms).
//
// # Units
//
// The filter runs on the record's digital (ADC) values, summed in float64 in
// the order of k, and the sum is then converted, in float64 and rounded once
// to float32:
//
//	window_j = float32((y_j - baseline) · scale)
//
// with scale = Scale(lead) = mV per unit of the lead's units / gain, so
// windows are in mV (baseline 0, scale 1 gives the raw ADC values).
//
// # Reach and the record's ends
//
// A window reads the input samples R + Lo() ... R + Hi(). The training
// export leaves out a beat whose reach does not lie inside the record; the
// app, which must label every beat, repeats the first or last sample of the
// record beyond its ends (Cutter.Cut takes the samples as given, so whoever
// reads them decides). Inside the record both give the same window, bit for
// bit.
//
// # Normalisation
//
// ZScore scales one lead's window to mean 0 and standard deviation 1
// (population, over the W samples, computed in float64), the
// "ecgstation.normalize=zscore" of the model contract; a window whose
// standard deviation is under ZScoreFloor mV is only centred. training/data.py
// computes the same on the exported mV windows.
package beatwin
