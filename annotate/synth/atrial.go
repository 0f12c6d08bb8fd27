package synth

import (
	"math"
)

// atrialDrawer draws fibrillatory f-waves and flutter F-waves on the
// baseline during AF and AFL episodes.
//
// f-waves: A(t)·(sin φ + 0.35·sin(2φ + 0.6)), dφ/dt = 2π·FHz·(1 + 0.12·sin(2π·0.07·t)),
// A(t) = FAmp·(1 + 0.3·sin(2π·0.13·t)): a quasi-periodic wave whose rate
// wanders by ±12% around FHz and whose size waxes and wanes.
//
// F-waves: Amp·(2/π)·Σₕ₌₁⁵ (−1)^(h+1)·sin(h·φ)/h, φ = 2π(t − t₀)/period: a
// band-limited sawtooth, locked to the conducted beats.
type atrialDrawer struct {
	fs       float64
	af       AFConfig
	flAmp    float64
	fLead    []float64 // f-wave amplitude per lead per mV on the f-wave axis
	flLead   []float64
	phase    float64 // f-wave phase, carried from sample to sample
	inSpanAt float64 // start of the span the phase belongs to
}

func newAtrialDrawer(c Config, p *patient) atrialDrawer {
	d := atrialDrawer{fs: c.Fs, af: c.AF, flAmp: c.AFL.Amp, inSpanAt: math.NaN()}
	fa := fWaveAxis.scale(1 / math.Sqrt(fWaveAxis.dot(fWaveAxis)))
	fl := flutterAxis.scale(1 / math.Sqrt(flutterAxis.dot(flutterAxis)))
	for _, e := range p.leads {
		d.fLead = append(d.fLead, e.dot(fa))
		d.flLead = append(d.flLead, e.dot(fl))
	}
	return d
}

// draw adds the atrial activity of the spans that overlap the block and
// drops the spans that ended before it.
func (d *atrialDrawer) draw(buf [][]float64, b0 int64, spans *[]atrialSpan) {
	b1 := b0 + int64(len(buf[0]))
	for len(*spans) > 0 && (*spans)[0].end*d.fs < float64(b0) {
		*spans = (*spans)[1:]
	}
	for _, s := range *spans {
		first := max(int64(math.Ceil(s.start*d.fs)), b0)
		last := min(int64(math.Ceil(s.end*d.fs)), b1) // exclusive
		if s.end > 1e300 {
			last = b1
		}
		for j := first; j < last; j++ {
			d.sample(buf, int(j-b0), float64(j)/d.fs, s)
		}
	}
}

// sample adds the atrial wave at time t to index i of the block.
func (d *atrialDrawer) sample(buf [][]float64, i int, t float64, s atrialSpan) {
	var v float64
	var lead []float64
	if s.flutter {
		phi := 2 * math.Pi * (t - s.start) / s.period
		sign := 1.0
		for h := 1.0; h <= 5; h++ {
			v += sign * math.Sin(h*phi) / h
			sign = -sign
		}
		v *= d.flAmp * 2 / math.Pi
		lead = d.flLead
	} else {
		if d.inSpanAt != s.start {
			d.inSpanAt, d.phase = s.start, 0
		}
		d.phase += 2 * math.Pi * d.af.FHz * (1 + 0.12*math.Sin(2*math.Pi*0.07*t)) / d.fs
		amp := d.af.FAmp * (1 + 0.3*math.Sin(2*math.Pi*0.13*t))
		v = amp * (math.Sin(d.phase) + fibrillationMix*math.Sin(2*d.phase+0.6))
		lead = d.fLead
	}
	for l := range buf {
		buf[l][i] += v * lead[l]
	}
}
