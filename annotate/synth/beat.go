package synth

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// kind is the morphology of a beat.
type kind uint8

const (
	kindN   kind = iota // sinus: P, narrow QRS, T
	kindA               // atrial premature: early ectopic P, narrow QRS, T
	kindV               // ventricular: wide QRS from a focus, discordant T, no P
	kindF               // fusion: sinus P, QRS and T between N and V
	kindNoP             // conducted in AF or flutter: narrow QRS, T, no P
)

// plan is one beat as the rhythm scheduler decides it.
type plan struct {
	t           float64 // R fiducial time, s
	kind        kind
	code        annotate.Code
	focus       int     // ventricular focus for V and F
	rr          float64 // cycle length that sets the QT, s
	pr          float64 // centre of the P wave relative to R, s (negative)
	blend       float64 // ventricular share of a fusion beat, 0..1
	rhythm      string  // episode the beat belongs to, "" for sinus rhythm
	pauseBefore bool    // the RR interval before this beat is a sinus pause
}

// wave is a Gaussian wave placed on the sample axis: centre c and width s in
// samples, amplitude per lead in mV.
type wave struct {
	c, s float64
	amp  [MaxLeads]float64
}

// support is how many widths either side of its centre a wave is drawn
// (exp(-4.5²/2) ≈ 4e-5 of its amplitude is cut off).
const support = 4.5

const maxWaves = 12

// beat is a planned beat placed on the sample axis with its waves.
type beat struct {
	plan
	r      int64 // fiducial sample: round(t·fs)
	peak   int64 // annotated sample: the largest |lead 0| of the beat's own waves
	lo, hi int64 // first and last sample the waves touch
	nw     int
	w      [maxWaves]wave
}

// beatBuilder turns plans into beats for one record.
type beatBuilder struct {
	p      *patient
	fs     float64
	resp   float64 // respiration frequency, Hz
	jitter func() float64
	origin Origin // where V beats start
}

// build places plan b on the sample axis and finds its annotated peak.
func (bb *beatBuilder) build(b plan, dst *beat) {
	*dst = beat{plan: b, r: int64(math.Round(b.t * bb.fs))}
	k := 1 + bb.jitter()
	switch b.kind {
	case kindN, kindA, kindNoP:
		if b.kind == kindN {
			bb.add(dst, sinusP, b.pr, 1, false)
		} else if b.kind == kindA {
			bb.add(dst, ectopicP, b.pr, 1, false)
		}
		bb.addAll(dst, normalQRS, k, true)
		bb.addAll(dst, normalT, k, false)
	case kindV:
		bb.addAll(dst, bb.ventricular(b), k, true)
	case kindF:
		bb.add(dst, sinusP, b.pr, 1, false)
		bb.addAll(dst, normalQRS, k*(1-b.blend), true)
		bb.addAll(dst, normalT, k*(1-b.blend), false)
		bb.addAll(dst, bb.ventricular(b), k*b.blend, true)
	}
	bb.bounds(dst)
	dst.peak = bb.peak(dst)
}

// ventricular returns the waves of the ventricular part of b.
func (bb *beatBuilder) ventricular(b plan) []waveSpec {
	if bb.origin == OriginFascicular {
		return fascicular
	}
	return ventricular[(b.focus+bb.p.focus)%2]
}

func (bb *beatBuilder) addAll(dst *beat, ws []waveSpec, k float64, qrs bool) {
	for _, w := range ws {
		bb.add(dst, w, w.t, k, qrs)
	}
}

// add places one wave centred at t seconds from R, scaled by k. QRS dipoles
// swing with respiration, as the heart moves when the chest fills: ±5% in
// size and ±0.06 rad about the front-to-back axis. The swing acts on the
// dipole, so the leads stay consistent (II = I + III).
func (bb *beatBuilder) add(dst *beat, w waveSpec, t, k float64, qrs bool) {
	sigma := w.sigma
	if w.repol {
		q := math.Sqrt(min(max(dst.rr, 0.3), 2))
		t, sigma = t*q, sigma*q
	}
	wv := &dst.w[dst.nw]
	dst.nw++
	wv.c = float64(dst.r) + t*bb.fs
	wv.s = sigma * bb.fs
	d := w.d.scale(k)
	if qrs {
		sin := math.Sin(2 * math.Pi * bb.resp * dst.t)
		d = d.scale(1 + 0.05*sin)
		d = vec{d[0] - 0.06*sin*d[1], d[1] + 0.06*sin*d[0], d[2]}
	}
	bb.p.project(d, &wv.amp)
}

// bounds sets the first and last sample any wave of b touches.
func (bb *beatBuilder) bounds(b *beat) {
	b.lo, b.hi = math.MaxInt64, math.MinInt64
	for _, w := range b.w[:b.nw] {
		b.lo = min(b.lo, int64(math.Ceil(w.c-support*w.s)))
		b.hi = max(b.hi, int64(math.Floor(w.c+support*w.s)))
	}
}

// peak returns the sample within ±100 ms of the fiducial where lead 0 of
// the beat's own waves has its largest magnitude: the R peak (or the
// dominant deflection, for a negative QRS) that the annotation marks.
func (bb *beatBuilder) peak(b *beat) int64 {
	half := int64(0.1 * bb.fs)
	best, at := -1.0, b.r
	for n := b.r - half; n <= b.r+half; n++ {
		if v := math.Abs(b.lead0(float64(n))); v > best {
			best, at = v, n
		}
	}
	return at
}

// lead0 evaluates lead 0 of the beat's waves at sample position x.
func (b *beat) lead0(x float64) float64 {
	var v float64
	for _, w := range b.w[:b.nw] {
		d := (x - w.c) / w.s
		if d > -support && d < support {
			v += w.amp[0] * math.Exp(-d*d/2)
		}
	}
	return v
}

// render adds the beat's waves to buf (one slice per lead) for the samples
// [b0, b0+len(buf[0])). Each Gaussian is stepped with the recurrence
// g(n+1) = g(n)·r(n), r(n+1) = r(n)·q, q = exp(-1/s²), which costs two
// multiplications a sample instead of an exp.
func (b *beat) render(buf [][]float64, b0 int64) {
	n := int64(len(buf[0]))
	for i := range b.nw {
		w := &b.w[i]
		first := max(int64(math.Ceil(w.c-support*w.s)), b0)
		last := min(int64(math.Floor(w.c+support*w.s)), b0+n-1)
		if first > last {
			continue
		}
		x := float64(first) - w.c
		s2 := w.s * w.s
		g := math.Exp(-x * x / (2 * s2))
		r := math.Exp(-(2*x + 1) / (2 * s2))
		q := math.Exp(-1 / s2)
		for j := first - b0; j <= last-b0; j++ {
			for l, lead := range buf {
				lead[j] += w.amp[l] * g
			}
			g *= r
			r *= q
		}
	}
}
