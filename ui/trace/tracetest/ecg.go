// Package tracetest provides a procedural ECG signal for the tests and
// benchmarks of the strip: any length (a 7-day record costs no memory,
// samples are computed when read), deterministic, with normal beats, a
// premature ventricular beat every 7th beat and a premature atrial beat
// every 23rd, RR jitter of ±4 %, 0.1 mV baseline wander and ±10 µV of
// pseudo-random noise. Its Beats are the true positions and labels.
//
// The project's synthetic records for people to look at come from package
// annotate/synth; this one exists so benchmarks of a 24 h or 7-day record
// need neither disk nor memory.
package tracetest

import (
	"fmt"
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Gain is the ADC gain of every lead (units per mV), as in MIT-BIH.
const Gain = 200

// wave is one Gaussian bump of a beat template: amplitude mV, centre s, width s.
type wave struct{ a, t, w float64 }

// templates[kind][lead%2]: kind 0 normal (also S), 1 ventricular.
var templates = [2][2][]wave{
	{
		{{0.15, -0.20, 0.025}, {-0.10, -0.03, 0.010}, {1.20, 0, 0.011}, {-0.25, 0.03, 0.012}, {0.30, 0.25, 0.050}},
		{{0.10, -0.20, 0.025}, {0.80, 0, 0.012}, {-0.40, 0.035, 0.014}, {0.20, 0.26, 0.055}},
	},
	{
		{{1.50, 0, 0.040}, {-0.60, 0.08, 0.040}, {-0.40, 0.32, 0.070}},
		{{-1.10, 0.01, 0.045}, {0.40, 0.10, 0.040}, {0.30, 0.34, 0.070}},
	},
}

// ECG is a procedural annotate.Signal. It is safe for concurrent use.
type ECG struct {
	info  annotate.RecordInfo
	rr    float64       // mean RR, samples
	table [2][2][]int32 // [kind][lead%2] template samples from -pre
	pre   int
}

// New returns an ECG of the given length at fs Hz with the given leads,
// at 75 beats per minute.
func New(fs float64, leads int, dur time.Duration) *ECG {
	e := &ECG{rr: 0.8 * fs, pre: int(0.35 * fs)}
	e.info = annotate.RecordInfo{
		Name: fmt.Sprintf("tracetest-%s", dur), Format: "procedural", Fs: fs,
		NSamples: int64(dur.Seconds() * fs),
	}
	for i := range leads {
		e.info.Leads = append(e.info.Leads, annotate.Lead{
			Name: []string{"MLII", "V5", "V1", "V2"}[i%4], Units: "mV", Gain: Gain, ADCRes: 12,
		})
	}
	n := e.pre + int(0.6*fs)
	for kind := range templates {
		for l := range templates[kind] {
			t := make([]int32, n)
			for i := range t {
				s := float64(i-e.pre) / fs
				var v float64
				for _, w := range templates[kind][l] {
					d := (s - w.t) / w.w
					v += w.a * math.Exp(-d*d/2)
				}
				t[i] = int32(math.Round(v * Gain))
			}
			e.table[kind][l] = t
		}
	}
	return e
}

// Info implements annotate.Signal.
func (e *ECG) Info() annotate.RecordInfo { return e.info }

// hash is a 64-bit mix (splitmix64) for deterministic pseudo-randomness.
func hash(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// beat returns the position (sample) and label of beat k.
func (e *ECG) beat(k int64) (int64, annotate.Code) {
	jit := (float64(hash(uint64(k))%1000)/1000 - 0.5) * 0.08
	pos := (float64(k) + 0.5 + jit) * e.rr
	code := annotate.Normal
	switch {
	case k%7 == 6:
		code, pos = annotate.PVC, pos-0.25*e.rr
	case k%23 == 11:
		code, pos = annotate.APC, pos-0.2*e.rr
	}
	return int64(pos), code
}

// Read implements annotate.Signal.
func (e *ECG) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start >= e.info.NSamples {
		return 0, fmt.Errorf("tracetest: read at %d of %d: %w", start, e.info.NSamples, annotate.ErrOutOfRange)
	}
	n := int(min(int64(len(dst[0])), e.info.NSamples-start))
	for l := range dst {
		e.readLead(dst[l][:n], l, start)
	}
	return n, nil
}

func (e *ECG) readLead(dst []int32, lead int, start int64) {
	fs := e.info.Fs
	for i := range dst {
		t := start + int64(i)
		wander := 0.1 * Gain * math.Sin(2*math.Pi*0.2*float64(t)/fs+float64(lead))
		noise := int32(hash(uint64(t)<<3|uint64(lead))%5) - 2
		v := int32(wander) + noise
		k0 := int64(float64(t)/e.rr) - 1
		for k := max(k0, 0); k <= k0+2; k++ {
			pos, code := e.beat(k)
			kind := 0
			if code == annotate.PVC {
				kind = 1
			}
			tb := e.table[kind][lead%2]
			if j := int(t-pos) + e.pre; j >= 0 && j < len(tb) {
				v += tb[j]
			}
		}
		dst[i] = v
	}
}

// Beats returns every beat of the record in order.
func (e *ECG) Beats() []annotate.Beat {
	var out []annotate.Beat
	for k := int64(0); ; k++ {
		pos, code := e.beat(k)
		if pos >= e.info.NSamples {
			return out
		}
		out = append(out, annotate.Beat{Sample: pos, Code: code,
			Prov: annotate.Provenance{Source: annotate.SourceReference, Who: "tracetest"}})
	}
}
