package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// realMix mixes recorded noise records into the record. Each channel is
// low-pass filtered below the output Nyquist frequency when it is sampled
// faster, divided by the square root of its NST noise power (so every
// record has power 1), and read with linear interpolation at the record's
// rate, looping. The sum of the records is scaled per lead to RealSNR.
type realMix struct {
	recs   []realRec
	scale  []float64 // per lead
	fs     float64
	nst    bool
	perOut []float64 // noise samples per output sample, per record
}

type realRec struct {
	ch  [][]float64
	off float64 // start position in noise samples
}

// NST schedule: clean for nstLead seconds, then nstOn noisy and nstOff clean.
const (
	nstLead = 300.0
	nstOn   = 120.0
	nstOff  = 120.0
)

func newRealMix(c Config, sig []float64, rng *rand.Rand) *realMix {
	m := &realMix{fs: c.Fs, nst: c.Noise.RealNST}
	for _, r := range c.Noise.Real {
		rec := realRec{off: rng.Float64() * float64(len(r.Channels[0]))}
		for _, ch := range r.Channels {
			x := slices.Clone(ch)
			if r.Fs > c.Fs {
				x = lowPass(x, 0.45*c.Fs/r.Fs)
			}
			k := 1 / math.Sqrt(max(NSTNoisePower(x, r.Fs), 1e-12))
			for i := range x {
				x[i] *= k
			}
			rec.ch = append(rec.ch, x)
		}
		m.recs = append(m.recs, rec)
		m.perOut = append(m.perOut, r.Fs/c.Fs)
	}
	for _, s := range sig {
		m.scale = append(m.scale, math.Sqrt(s/math.Pow(10, c.Noise.RealSNR/10)/float64(len(m.recs))))
	}
	return m
}

// on reports whether the NST schedule has noise at sample n.
func (m *realMix) on(n int64) bool {
	if !m.nst {
		return true
	}
	lead, period := int64(math.Round(nstLead*m.fs)), int64(math.Round((nstOn+nstOff)*m.fs))
	return n >= lead && (n-lead)%period < int64(math.Round(nstOn*m.fs))
}

// marks returns the noisy stretches when the mixed SNR is below MarkSNR.
func (m *realMix) marks(c Config, total int64) []annotate.Noise {
	if c.Noise.MarkNone || c.Noise.RealSNR >= c.Noise.MarkSNR {
		return nil
	}
	if !m.nst {
		return []annotate.Noise{noiseMark(0, total, "recorded noise")}
	}
	var out []annotate.Noise
	lead, period := int64(math.Round(nstLead*m.fs)), int64(math.Round((nstOn+nstOff)*m.fs))
	for s := lead; s < total; s += period {
		out = append(out, noiseMark(s, min(s+int64(math.Round(nstOn*m.fs)), total), "recorded noise"))
	}
	return out
}

// add adds the recorded noise to the block that starts at sample b0. The
// read position is set exactly at the block start and stepped within it.
func (m *realMix) add(buf [][]float64, b0 int64) {
	for r, rec := range m.recs {
		n := float64(len(rec.ch[0]))
		pos := math.Mod(rec.off+float64(b0)*m.perOut[r], n)
		for i := range int64(len(buf[0])) {
			if i > 0 {
				if pos += m.perOut[r]; pos >= n {
					pos -= n
				}
			}
			if !m.on(b0 + i) {
				continue
			}
			j := int(pos)
			f := pos - float64(j)
			j1 := (j + 1) % len(rec.ch[0])
			for l, lead := range buf {
				ch := rec.ch[l%len(rec.ch)]
				lead[i] += m.scale[l] * (ch[j]*(1-f) + ch[j1]*f)
			}
		}
	}
}

// variance is the population variance of x, in two passes (the mean
// first), so a large offset such as baseline wander costs no precision.
func variance(x []float64) float64 {
	var m, q float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		q += (v - m) * (v - m)
	}
	return q / float64(len(x))
}

// NSTNoisePower is the noise power of x (sampled at fs Hz) as the MIT-BIH
// Noise Stress Test defines it: the variance of every whole 1-s chunk, with
// the largest and smallest 5% of the chunks dropped, averaged. Units are
// those of x squared.
func NSTNoisePower(x []float64, fs float64) float64 {
	w := int(math.Round(fs))
	var p []float64
	for i := 0; i+w <= len(x); i += w {
		p = append(p, variance(x[i:i+w]))
	}
	if len(p) == 0 {
		return 0
	}
	slices.Sort(p)
	cut := len(p) / 20
	p = p[cut : len(p)-cut]
	var sum float64
	for _, v := range p {
		sum += v
	}
	return sum / float64(len(p))
}

// lowPass filters x, taken as periodic, with a 63-tap Hamming-windowed
// sinc whose cut-off is fc cycles per sample.
func lowPass(x []float64, fc float64) []float64 {
	const taps = 63
	h := make([]float64, taps)
	var sum float64
	for i := range h {
		k := float64(i - taps/2)
		v := 2 * fc
		if k != 0 {
			v = math.Sin(2*math.Pi*fc*k) / (math.Pi * k)
		}
		h[i] = v * (0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/(taps-1)))
		sum += h[i]
	}
	n := len(x)
	y := make([]float64, n)
	for i := range y {
		var acc float64
		for t, c := range h {
			acc += c * x[((i+t-taps/2)%n+n)%n]
		}
		y[i] = acc / sum
	}
	return y
}
