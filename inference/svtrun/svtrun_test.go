package svtrun

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

const fs = 250.0

// rec builds N marks whose RR intervals, in seconds, are rrs (the first
// beat at 4 s), and returns them with the index of each interval's second
// beat: beat k+1 ends interval k.
func rec(rrs []float64) []rhythm.Mark {
	s := int64(4 * fs)
	out := []rhythm.Mark{{Sample: s, Code: annotate.Normal}}
	for _, rr := range rrs {
		s += int64(rr * fs)
		out = append(out, rhythm.Mark{Sample: s, Code: annotate.Normal})
	}
	return out
}

// rep returns n copies of rr.
func rep(rr float64, n int) []float64 {
	return slices.Repeat([]float64{rr}, n)
}

// ramp returns the intervals from a to b (excluded) changing by the factor f a beat.
func ramp(a, b, f float64) []float64 {
	var out []float64
	for rr := a; (f < 1 && rr > b) || (f > 1 && rr < b); rr *= f {
		out = append(out, rr)
	}
	return out
}

// between returns the indexes lo..hi-1.
func between(lo, hi int) []int {
	var out []int
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

func TestRelabel(t *testing.T) {
	sinus := rep(0.8, 600) // 8 minutes at 75 bpm
	svt := slices.Concat(sinus, rep(0.4, 30), sinus)
	up, down := ramp(0.8, 0.4, 0.99), ramp(0.4, 0.8, 1.01)
	rng := rand.New(rand.NewPCG(1, 2))
	var af []float64
	for range 60 {
		af = append(af, 0.3+0.3*rng.Float64())
	}
	withV := rec(svt)
	withV[610].Code = annotate.PVC
	withV = slices.Insert(withV, 620, rhythm.Mark{Sample: withV[619].Sample + 10, Code: annotate.UWave})
	cases := []struct {
		name  string
		marks []rhythm.Mark
		want  []int
	}{
		{"abrupt SVT run", rec(svt), between(601, 631)},
		{"gradual sinus acceleration", rec(slices.Concat(sinus, up, rep(0.4, 30), down, sinus)), nil},
		{"irregular AF-like stretch", rec(slices.Concat(sinus, rep(0.25, 0), af, sinus)), nil},
		{"run of 2", rec(slices.Concat(sinus, rep(0.4, 2), sinus)), nil},
		{"run of 3", rec(slices.Concat(sinus, rep(0.4, 3), sinus)), between(601, 604)},
		{"V beat and a non-beat inside", withV, slices.Concat(between(601, 610), between(611, 620), between(621, 632))},
		{"record shorter than the window", rec(slices.Concat(rep(0.8, 40), rep(0.4, 10), rep(0.8, 40))), between(41, 51)},
		{"starts fast", rec(slices.Concat(rep(0.4, 10), sinus)), nil},
		// 10 min at 60 bpm, a gradual rise to 100 bpm, a PVC (0.4 s) and its
		// compensatory pause (0.8 s), then 5 min more at 100 bpm: the pause
		// is not an onset (against the one interval before, it was).
		{"sinus tachycardia resuming after a PVC's pause", rec(slices.Concat(rep(1.0, 600), ramp(1.0, 0.6, 0.99),
			rep(0.6, 20), []float64{0.4, 0.8}, rep(0.6, 500))), nil},
		{"one beat", rec(nil), nil},
		{"no beats", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Relabel(c.marks, fs, nil)
			if !slices.Equal(got, c.want) {
				t.Errorf("Relabel = %v, want %v", got, c.want)
			}
		})
	}
}

// TestRelabelNoise checks that a stretch overlapping noise on any lead,
// from the beat before its onset to its last beat, is left alone.
func TestRelabelNoise(t *testing.T) {
	m := rec(slices.Concat(rep(0.8, 600), rep(0.4, 30), rep(0.8, 600)))
	cases := []struct {
		name  string
		noise []annotate.Noise
		want  []int
	}{
		{"no noise", nil, between(601, 631)},
		{"noise before", []annotate.Noise{{Start: 0, End: m[599].Sample, Lead: 1}}, between(601, 631)},
		{"noise at the onset", []annotate.Noise{{Start: m[600].Sample, End: m[600].Sample + 1}}, nil},
		{"noise at the end", []annotate.Noise{{Start: m[630].Sample, End: m[640].Sample, Lead: 1}}, nil},
		{"noise after", []annotate.Noise{{Start: m[631].Sample, End: m[700].Sample}}, between(601, 631)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Relabel(m, fs, c.noise); !slices.Equal(got, c.want) {
				t.Errorf("Relabel = %v, want %v", got, c.want)
			}
		})
	}
}

// TestRelabelOnlyN checks that only N beats change, whatever their codes.
func TestRelabelOnlyN(t *testing.T) {
	m := rec(slices.Concat(rep(0.8, 600), rep(0.4, 30), rep(0.8, 600)))
	codes := []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC, annotate.Fusion, annotate.Unknown}
	for i := range m {
		m[i].Code = codes[i%len(codes)]
	}
	got := Relabel(m, fs, nil)
	if len(got) == 0 {
		t.Fatal("no beat relabelled")
	}
	for _, i := range got {
		if m[i].Code != annotate.Normal {
			t.Errorf("beat %d (%v) relabelled", i, m[i].Code)
		}
	}
}

// TestRefs checks the sliding order statistic against sorting each window.
func TestRefs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		n := rng.IntN(300)
		peaks := make([]int64, n)
		s := int64(0)
		for i := range peaks {
			s += 1 + rng.Int64N(int64(2*fs))
			peaks[i] = s
		}
		span := rng.Int64N(int64(60 * fs))
		got := refs(peaks, span)
		for i, p := range peaks {
			var w []int64
			for k := 1; k < n; k++ {
				if peaks[k-1] >= p-span && peaks[k] <= p+span {
					w = append(w, peaks[k]-peaks[k-1])
				}
			}
			want := int64(0)
			if len(w) > 0 {
				slices.Sort(w)
				want = w[int(RefRank*float64(len(w)-1))]
			}
			if got[i] != want {
				t.Fatalf("trial %d: beat %d of %d, span %d: ref %d, want %d", trial, i, n, span, got[i], want)
			}
		}
	}
}

// TestRelabelBadInput: marks out of order, or a sampling rate that is not
// positive and finite, relabel nothing (and do not panic).
func TestRelabelBadInput(t *testing.T) {
	m := rec(slices.Concat(rep(0.8, 600), rep(0.4, 30), rep(0.8, 600)))
	for _, f := range []float64{0, -250, math.Inf(1), math.NaN()} {
		if got := Relabel(m, f, nil); got != nil {
			t.Errorf("fs %v: relabelled %d beats", f, len(got))
		}
	}
	if got := Relabel(slices.Concat(m[1:], m[:1]), fs, nil); got != nil {
		t.Errorf("marks out of order: relabelled %d beats", len(got))
	}
}
