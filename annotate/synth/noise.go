package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// noiser adds the noise of a record to the clean signal, block by block.
// Its state evolves sample by sample, so the result does not depend on how
// the caller cuts the record into chunks.
type noiser struct {
	cfg    NoiseConfig
	fs     float64
	rng    *rand.Rand
	sig    []float64 // NST signal power per lead, mV²: (QRS peak-to-peak)²/8
	respW  float64   // respiration, rad/sample
	drift  []float64 // slow wander state per lead, unit variance
	driftA float64
	emg    []hp // continuous muscle noise per lead
	bursts []burst
	real   *realMix
	marks  []annotate.Noise
}

// hp is a first-order high-pass filter of white noise, normalised to unit
// output variance: y(n) = a·(y(n−1) + x(n) − x(n−1)), var y = 2a²/(1+a)·var x.
type hp struct{ a, norm, x, y float64 }

func newHP(fc, fs float64) hp {
	a := 1 / (1 + 2*math.Pi*fc/fs)
	return hp{a: a, norm: math.Sqrt((1 + a) / (2 * a * a))}
}

func (f *hp) step(x float64) float64 {
	f.y = f.a * (f.y + x - f.x)
	f.x = x
	return f.y * f.norm
}

// lp2 is two cascaded first-order low-pass filters of white noise,
// normalised to unit output variance: var = (1−a)⁴(1+a²)/(1−a²)³.
type lp2 struct{ a, norm, y1, y2 float64 }

func newLP2(fc, fs float64) lp2 {
	a := math.Exp(-2 * math.Pi * fc / fs)
	v := math.Pow(1-a, 4) * (1 + a*a) / math.Pow(1-a*a, 3)
	return lp2{a: a, norm: 1 / math.Sqrt(v)}
}

func (f *lp2) step(x float64) float64 {
	f.y1 = f.a*f.y1 + (1-f.a)*x
	f.y2 = f.a*f.y2 + (1-f.a)*f.y1
	return f.y2 * f.norm
}

// Filter corners of the noise models, Hz.
const (
	driftHz  = 0.05 // slow baseline drift
	emgHz    = 15   // muscle noise is above this
	motionHz = 1.5  // electrode motion is below this
)

func newNoiser(c Config, sig []float64, rng *rand.Rand) (*noiser, error) {
	n := &noiser{cfg: c.Noise, fs: c.Fs, rng: rng, sig: sig,
		respW: 2 * math.Pi * c.RespHz / c.Fs, driftA: math.Exp(-2 * math.Pi * driftHz / c.Fs)}
	for range c.Leads {
		n.drift = append(n.drift, rng.NormFloat64())
		n.emg = append(n.emg, newHP(emgHz, c.Fs))
	}
	total := int64(math.Round(c.Duration.Seconds() * c.Fs))
	n.planBursts(c, total)
	if len(c.Noise.Real) > 0 {
		n.real = newRealMix(c, sig, rng)
		n.marks = append(n.marks, n.real.marks(c, total)...)
	}
	if c.Noise.EMG > 0 && !c.Noise.MarkNone && snrDB(sig, c.Noise.EMG) < c.Noise.MarkSNR {
		n.marks = append(n.marks, noiseMark(0, total, "muscle"))
	}
	n.marks = append(n.marks, c.dropoutMarks()...)
	slices.SortStableFunc(n.marks, func(a, b annotate.Noise) int { return int(a.Start - b.Start) })
	return n, nil
}

// snrDB is the smallest SNR over the leads for noise of RMS rms mV.
func snrDB(sig []float64, rms float64) float64 {
	lo := math.Inf(1)
	for _, s := range sig {
		lo = min(lo, 10*math.Log10(s/(rms*rms)))
	}
	return lo
}

func noiseMark(start, end int64, reason string) annotate.Noise {
	return annotate.Noise{Start: start, End: end, Lead: -1, Reason: reason,
		Prov: annotate.Provenance{Source: annotate.SourceReference, Who: "synth"}}
}

// add adds noise to the block buf (mV) that starts at sample b0.
func (n *noiser) add(buf [][]float64, b0 int64) {
	c := n.cfg
	for l, lead := range buf {
		if c.Wander > 0 {
			addSine(lead, b0, n.respW, 1.3*float64(l), 0.5*c.Wander)
			n.addDrift(lead, l, 0.7*c.Wander)
		}
		if c.Mains > 0 {
			addSine(lead, b0, 2*math.Pi*c.MainsHz/n.fs, 0, c.Mains*(1-0.15*float64(l%4)))
		}
		if c.EMG > 0 {
			f := &n.emg[l]
			for i := range lead {
				lead[i] += c.EMG * f.step(n.rng.NormFloat64())
			}
		}
	}
	n.addBursts(buf, b0)
	if n.real != nil {
		n.real.add(buf, b0)
	}
}

// addDrift adds the slow wander: first-order low-pass white noise.
func (n *noiser) addDrift(lead []float64, l int, amp float64) {
	a := n.driftA
	b := math.Sqrt(1 - a*a)
	d := n.drift[l]
	for i := range lead {
		d = a*d + b*n.rng.NormFloat64()
		lead[i] += amp * d
	}
	n.drift[l] = d
}

// addSine adds amp·sin(w·n + ph) for the samples n = b0, b0+1, ... by
// rotating a phasor that is set exactly at the block start.
func addSine(dst []float64, b0 int64, w, ph, amp float64) {
	s, c := math.Sincos(math.Mod(w*float64(b0), 2*math.Pi) + ph)
	sw, cw := math.Sincos(w)
	for i := range dst {
		dst[i] += amp * s
		s, c = s*cw+c*sw, c*cw-s*sw
	}
}
