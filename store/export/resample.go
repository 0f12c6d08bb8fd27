package export

import "math"

// Resampling of beat windows.
//
// An R peak lies on an input sample R, so output sample j of a window
// (j = 0 .. W-1, the peak at j = B) falls at the input position
//
//	p_j = R + (j - B) * fsIn / fsOut
//
// whose fractional part depends on j only. The window is therefore computed
// with one fixed filter per output sample (a polyphase filter bank built
// once per input rate): a Kaiser-windowed sinc low-pass,
//
//	h(t) = 2 f sinc(2 f t) * I0(beta sqrt(1 - (t/T)^2)) / I0(beta),  |t| < T,
//
// t in input samples, f = fc/fsIn with the cut-off fc = 0.45 * min(fsIn,
// fsOut) (90 % of the lower Nyquist frequency, so downsampling does not
// alias), T = zeroCrossings / (2 f), beta = kaiserBeta (about 60 dB of
// stop-band attenuation). Each output's taps are scaled to sum to 1, so a
// constant signal stays exactly constant. When fsIn equals fsOut the window
// is the input samples themselves.
const (
	zeroCrossings = 10
	kaiserBeta    = 6.0
	cutoffShare   = 0.45
)

// resampler holds the filter bank for one input rate.
type resampler struct {
	w      int         // output samples per window
	taps   [][]float64 // taps[j][k] weights input sample R+lo[j]+k
	lo     []int       // first input offset (from R) of output j
	minOff int         // smallest input offset any output reads
	maxOff int         // largest input offset any output reads
}

// newResampler builds the filter bank for a window of before+after output
// samples (the R peak at output index before) from fsIn to fsOut Hz.
func newResampler(fsIn, fsOut float64, before, after int) *resampler {
	r := &resampler{w: before + after, taps: make([][]float64, before+after), lo: make([]int, before+after)}
	ratio := fsIn / fsOut
	f := cutoffShare * math.Min(fsIn, fsOut) / fsIn
	half := zeroCrossings / (2 * f)
	identity := fsIn == fsOut
	for j := range r.w {
		p := float64(j-before) * ratio
		if identity {
			r.lo[j], r.taps[j] = int(math.Round(p)), []float64{1}
		} else {
			r.lo[j], r.taps[j] = kernel(p, f, half)
		}
	}
	r.minOff, r.maxOff = r.lo[0], r.lo[r.w-1]+len(r.taps[r.w-1])-1
	return r
}

// kernel returns the first input offset and the normalised weights of the
// windowed-sinc filter centred on input position p.
func kernel(p, f, half float64) (int, []float64) {
	lo := int(math.Floor(p-half)) + 1
	hi := int(math.Ceil(p+half)) - 1
	taps := make([]float64, hi-lo+1)
	sum := 0.0
	for k := lo; k <= hi; k++ {
		t := float64(k) - p
		v := 2 * f * sinc(2*f*t) * kaiser(t/half)
		taps[k-lo] = v
		sum += v
	}
	for i := range taps {
		taps[i] /= sum
	}
	return lo, taps
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

// kaiser is the Kaiser window at x in [-1, 1].
func kaiser(x float64) float64 {
	if x <= -1 || x >= 1 {
		return 0
	}
	return besselI0(kaiserBeta*math.Sqrt(1-x*x)) / besselI0(kaiserBeta)
}

// besselI0 is the modified Bessel function of the first kind, order 0,
// by its power series sum ((x/2)^k / k!)^2 (converges fast for x < 50).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 200; k++ {
		term *= (x / 2) / float64(k)
		sum += term * term
		if term*term < 1e-17*sum {
			break
		}
	}
	return sum
}

// window computes one lead's output window into dst (len w) from the
// digital samples src, where src[off] is the sample at input offset
// r.minOff+off from the R peak; scale converts (digital - baseline) to mV.
func (r *resampler) window(dst []float32, src []int32, baseline int32, scale float64) {
	for j, taps := range r.taps {
		s := src[r.lo[j]-r.minOff:]
		acc := 0.0
		for k, w := range taps {
			acc += w * float64(s[k])
		}
		dst[j] = float32((acc - float64(baseline)) * scale)
	}
}
