package model

import (
	"math"

	"gonum.org/v1/gonum/dsp/window"
)

// resampler maps record samples at fsIn to model samples at fsOut.
//
// Upsampling (and equal rates) interpolates linearly between neighbouring
// samples: for ECG at 128 Hz or more, content that matters lies well below
// the record's Nyquist frequency, where linear interpolation errs by under
// (2π f/fsIn)²/8 of the amplitude (0.2 % for 5 Hz at 250 Hz).
//
// Downsampling first low-passes the record with a zero-phase
// Hamming-windowed sinc FIR, so that content above the model's Nyquist
// frequency fsOut/2 does not alias, then interpolates linearly. The filter
// has 2·half+1 taps with half = ceil(8·fsIn/fsOut); its cutoff lies a
// transition band below fsOut/2, so the stop band starts near fsOut/2.
type resampler struct {
	step float64   // record samples per model sample, fsIn/fsOut
	taps []float64 // anti-alias filter, nil when not downsampling
}

func newResampler(fsIn, fsOut float64) *resampler {
	r := &resampler{step: fsIn / fsOut}
	if r.step <= 1+1e-9 {
		return r
	}
	half := int(math.Ceil(8 * r.step))
	n := 2*half + 1
	// Hamming transition width is about 3.3/n cycles per sample.
	fc := 0.5/r.step - 0.5*3.3/float64(n)
	taps := make([]float64, n)
	for i := range taps {
		x := float64(i - half)
		if x == 0 {
			taps[i] = 2 * fc
		} else {
			taps[i] = math.Sin(2*math.Pi*fc*x) / (math.Pi * x)
		}
	}
	window.Hamming(taps)
	var sum float64
	for _, t := range taps {
		sum += t
	}
	for i := range taps {
		taps[i] /= sum // unit gain at 0 Hz
	}
	r.taps = taps
	return r
}

// margin returns the record samples needed beyond a window's ends.
func (r *resampler) margin() int { return len(r.taps)/2 + 2 }

// filter low-passes src into dst (same length) when downsampling, or
// copies it; samples beyond the ends repeat the end samples.
func (r *resampler) filter(dst, src []float64) {
	if r.taps == nil {
		copy(dst, src)
		return
	}
	half := len(r.taps) / 2
	n := len(src)
	for i := range dst {
		var acc float64
		if i >= half && i+half < n {
			for k, t := range r.taps {
				acc += t * src[i-half+k]
			}
		} else {
			for k, t := range r.taps {
				acc += t * src[min(max(i-half+k, 0), n-1)]
			}
		}
		dst[i] = acc
	}
}

// at returns src at fractional position pos by linear interpolation,
// clamped to the ends.
func at(src []float64, pos float64) float64 {
	if pos <= 0 {
		return src[0]
	}
	i := int(pos)
	if i >= len(src)-1 {
		return src[len(src)-1]
	}
	f := pos - float64(i)
	return src[i] + f*(src[i+1]-src[i])
}
