package beatwin

import (
	"fmt"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// The filter's constants (see the package doc).
const (
	zeroCrossings = 10
	kaiserBeta    = 6.0
	cutoffShare   = 0.45
)

// Cutter cuts windows of before+after output samples at fsOut Hz from a
// record at fsIn Hz. It holds the filter bank and is safe for concurrent
// use once made.
type Cutter struct {
	before int
	taps   [][]float64 // taps[j][k] weighs the input sample at offset lo[j]+k from R
	lo     []int       // first input offset (from R) read by output j
	minOff int         // smallest input offset any output reads
	maxOff int         // largest input offset any output reads
}

// New returns the Cutter for windows of before+after output samples (the
// R peak at output index before) from fsIn to fsOut Hz. It panics when a
// rate is not positive and finite or the window is empty: callers check
// what they were given first.
func New(fsIn, fsOut float64, before, after int) *Cutter {
	if !(fsIn > 0 && fsOut > 0) || math.IsInf(fsIn, 0) || math.IsInf(fsOut, 0) || before < 0 || after < 0 || before+after == 0 {
		panic(fmt.Sprintf("beatwin: New(%v, %v, %d, %d): rates must be positive and the window not empty", fsIn, fsOut, before, after))
	}
	w := before + after
	c := &Cutter{before: before, taps: make([][]float64, w), lo: make([]int, w)}
	ratio := fsIn / fsOut
	f := cutoffShare * math.Min(fsIn, fsOut) / fsIn
	half := zeroCrossings / (2 * f)
	for j := range w {
		p := float64(j-before) * ratio
		if fsIn == fsOut {
			c.lo[j], c.taps[j] = int(math.Round(p)), []float64{1}
		} else {
			c.lo[j], c.taps[j] = kernel(p, f, half)
		}
	}
	c.minOff, c.maxOff = c.lo[0], c.lo[w-1]+len(c.taps[w-1])-1
	return c
}

// Len returns the window's length in output samples, before+after.
func (c *Cutter) Len() int { return len(c.taps) }

// Lo returns the first input sample a window reads, as an offset from its
// R peak (zero or negative).
func (c *Cutter) Lo() int { return c.minOff }

// Hi returns the last input sample a window reads, as an offset from its
// R peak: a window reads the Hi()-Lo()+1 samples R+Lo() ... R+Hi().
func (c *Cutter) Hi() int { return c.maxOff }

// Cut writes one lead's window into dst (length Len()) from the digital
// samples src, where src[i] is the sample at R+Lo()+i (src holds at least
// Hi()-Lo()+1 samples); each output is float32((y - baseline) * scale).
func (c *Cutter) Cut(dst []float32, src []int32, baseline int32, scale float64) {
	if len(dst) != len(c.taps) || len(src) < c.maxOff-c.minOff+1 {
		panic(fmt.Sprintf("beatwin: Cut: dst has %d samples, want %d; src %d, want at least %d", len(dst), len(c.taps), len(src), c.maxOff-c.minOff+1))
	}
	for j, taps := range c.taps {
		s := src[c.lo[j]-c.minOff:]
		acc := 0.0
		for k, w := range taps {
			acc += w * float64(s[k])
		}
		dst[j] = float32((acc - float64(baseline)) * scale)
	}
}

// MarkMissing sets dst[j] to NaN for every output sample of Cut whose
// filter taps touch a sample of src that missing reports (a WFDB record's
// invalid samples), so a window never shows a missing sample as a voltage.
// dst and src are those given to Cut.
func (c *Cutter) MarkMissing(dst []float32, src []int32, missing func(int32) bool) {
	for j, taps := range c.taps {
		for _, v := range src[c.lo[j]-c.minOff:][:len(taps)] {
			if missing(v) {
				dst[j] = float32(math.NaN())
				break
			}
		}
	}
}

// kernel returns the first input offset and the normalised weights of the
// windowed-sinc filter centred on input position p (offset from R).
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
	return besselI0(kaiserBeta*math.Sqrt(1-x*x)) / i0Beta
}

// i0Beta is the Kaiser window's denominator, I0(β).
var i0Beta = besselI0(kaiserBeta)

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

// perMV gives, per voltage unit, the factor that turns it into mV.
var perMV = map[string]float64{"mV": 1, "uV": 1e-3, "µV": 1e-3, "μV": 1e-3, "nV": 1e-6, "V": 1e3}

// Scale returns the factor that turns (digital - baseline) of lead l into
// mV: mV per unit of l.Units, divided by l.Gain. ok is false when the lead
// is not in a voltage unit this package knows (mV, uV, µV, nV, V) or its
// gain is 0.
func Scale(l annotate.Lead) (scale float64, ok bool) {
	f, ok := perMV[l.Units]
	if !ok || l.Gain == 0 {
		return 0, false
	}
	return f / l.Gain, true
}

// ZScoreFloor is the smallest standard deviation (in mV) that ZScore
// divides by; a flatter window is only centred.
const ZScoreFloor = 1e-6

// ZScore scales x to mean 0 and standard deviation 1 (population), in
// place; a window with a standard deviation under ZScoreFloor is only
// centred.
func ZScore(x []float32) {
	var sum, sq float64
	for _, v := range x {
		sum += float64(v)
	}
	mean := sum / float64(len(x))
	for _, v := range x {
		d := float64(v) - mean
		sq += d * d
	}
	sd := math.Sqrt(sq / float64(len(x)))
	scale := 1.0
	if sd >= ZScoreFloor {
		scale = 1 / sd
	}
	for i, v := range x {
		x[i] = float32((float64(v) - mean) * scale)
	}
}
