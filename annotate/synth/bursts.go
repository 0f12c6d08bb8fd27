package synth

import (
	"math"
	"slices"
)

// burst is one stretch of motion artefact or muscle noise, in samples.
type burst struct {
	start, end int64
	motion     bool
	rms        []float64 // per lead, mV
	ramp       int64     // length of the raised-cosine fade in and out, samples
	hp         []hp
	lp         []lp2
}

// planBursts draws the noise bursts of the whole record (Poisson starts,
// exponential lengths of at least 1 s, SNR uniform in SNR±6 dB) and marks
// those below MarkSNR.
func (n *noiser) planBursts(c Config, total int64) {
	add := func(b Bursts, motion bool) {
		if b.PerHour <= 0 {
			return
		}
		gap := func() float64 { return n.rng.ExpFloat64() * 3600 / b.PerHour }
		for t := gap(); t < c.Duration.Seconds(); t += gap() {
			length := max(1, n.rng.ExpFloat64()*b.Mean.Seconds())
			snr := b.SNR - 6 + 12*n.rng.Float64()
			n.bursts = append(n.bursts, n.newBurst(t, length, snr, motion, total))
		}
	}
	add(c.Noise.Motion, true)
	add(c.Noise.Muscle, false)
	slices.SortStableFunc(n.bursts, func(a, b burst) int { return int(a.start - b.start) })
	for _, b := range n.bursts {
		if b.start < b.end && !c.Noise.MarkNone && b.snrBelow(n.sig, c.Noise.MarkSNR) {
			reason := "muscle"
			if b.motion {
				reason = "motion"
			}
			n.marks = append(n.marks, noiseMark(b.start, b.end, reason))
		}
	}
}

// snrBelow reports whether the burst's SNR is below lim dB in some lead.
func (b *burst) snrBelow(sig []float64, lim float64) bool {
	for l, s := range sig {
		if 10*math.Log10(s/(b.rms[l]*b.rms[l])) < lim {
			return true
		}
	}
	return false
}

func (n *noiser) newBurst(t, length, snr float64, motion bool, total int64) burst {
	b := burst{
		start:  int64(t * n.fs),
		end:    min(int64((t+length)*n.fs), total),
		motion: motion,
		ramp:   int64(min(0.25, length/2) * n.fs),
	}
	for _, s := range n.sig {
		b.rms = append(b.rms, math.Sqrt(s/math.Pow(10, snr/10)))
		b.hp = append(b.hp, newHP(emgHz, n.fs))
		b.lp = append(b.lp, newLP2(motionHz, n.fs))
	}
	return b
}

// addBursts adds the bursts that overlap the block [b0, b0+len(buf[0])).
func (n *noiser) addBursts(buf [][]float64, b0 int64) {
	b1 := b0 + int64(len(buf[0]))
	for len(n.bursts) > 0 && n.bursts[0].end <= b0 {
		n.bursts = n.bursts[1:]
	}
	for i := range n.bursts {
		b := &n.bursts[i]
		if b.start >= b1 {
			break
		}
		for j := max(b.start, b0); j < min(b.end, b1); j++ {
			env := b.envelope(j)
			for l, lead := range buf {
				var v float64
				if b.motion {
					v = b.lp[l].step(n.rng.NormFloat64())
				} else {
					v = b.hp[l].step(n.rng.NormFloat64())
				}
				lead[j-b0] += env * b.rms[l] * v
			}
		}
	}
}

// envelope fades the burst in and out over ramp samples (raised cosine).
func (b *burst) envelope(j int64) float64 {
	d := min(j-b.start, b.end-1-j)
	if d >= b.ramp {
		return 1
	}
	return 0.5 - 0.5*math.Cos(math.Pi*float64(d)/float64(b.ramp))
}
