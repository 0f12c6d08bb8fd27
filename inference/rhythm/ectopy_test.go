package rhythm

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// laid puts beats of the given classes (symbols) one after another, beat i
// rr(i) seconds after beat i-1; the first beat is at 1 s.
func laid(pattern string, rr func(i int, sym byte) float64) []annotate.Beat {
	var beats []annotate.Beat
	t := 1.0
	for i := range len(pattern) {
		if i > 0 {
			t += rr(i, pattern[i])
		}
		code, _ := annotate.ParseSymbol(pattern[i : i+1])
		beats = append(beats, annotate.Beat{Sample: int64(t*fs + 0.5), Code: code})
	}
	return beats
}

// sinusWithPVCs is sinus rhythm at 0.8 s with 1% beat-to-beat jitter; a V
// beat comes 0.5 s after the beat before it and the beat after it 1.1 s
// later (a compensatory pause).
func sinusWithPVCs(pattern string) []annotate.Beat {
	return laid(pattern, func(i int, sym byte) float64 {
		jit := 1 + 0.01*float64(i%3-1)
		switch {
		case sym == 'V':
			return 0.5 * jit
		case pattern[i-1] == 'V':
			return 1.1 * jit
		}
		return 0.8 * jit
	})
}

// fibrillation is AF: RR intervals drawn uniformly from 0.45-1.1 s.
func fibrillation(pattern string) []annotate.Beat {
	rng := rand.New(rand.NewPCG(7, 11))
	return laid(pattern, func(int, byte) float64 { return 0.45 + 0.65*rng.Float64() })
}

// classWindows returns one-beat windows where class has probability p on
// every beat of n and OTHER the rest.
func classWindows(class string, p float32, n int) *Windows {
	w := &Windows{Segment: 1, Classes: []string{class, "OTHER"}, Who: "rhythm@1"}
	for i := range n {
		w.Starts = append(w.Starts, i)
		w.Probs = append(w.Probs, p, 1-p)
	}
	return w
}

// TestEctopyExplainsAF checks that a model's AF is not called where
// ventricular beats alone make the rhythm irregular, and is called
// everywhere else: real AF with PVCs, regular rhythm with no ventricular
// beats, unclassified beats, flutter, and with the check off.
func TestEctopyExplainsAF(t *testing.T) {
	cases := []struct {
		name   string
		beats  []annotate.Beat
		class  string
		ectopy float64
		wantS  float64 // seconds of the model's class called, at least
		maxS   float64 // and at most
	}{
		{"ventricular bigeminy is not AF", sinusWithPVCs(strings.Repeat("NV", 80)), AF, 0, 0, 0},
		{"ventricular trigeminy is not AF", sinusWithPVCs(strings.Repeat("NNV", 60)), AF, 0, 0, 0},
		{"frequent PVCs in sinus rhythm are not AF", sinusWithPVCs(strings.Repeat("NNNVNNV", 25)), AF, 0, 0, 0},
		{"AF with PVCs stays AF", fibrillation(strings.Repeat("NNNNNV", 25)), AF, 0, 100, 1e9},
		{"AF without PVCs stays AF", fibrillation(n(150)), AF, 0, 100, 1e9},
		{"regular rhythm without ventricular beats: the model's call stands", sinusWithPVCs(n(150)), AF, 0, 100, 1e9},
		{"unclassified beats: the model's call stands", sinusWithPVCs(strings.Repeat("QV", 80)), AF, 0, 100, 1e9},
		{"flutter is left to the model", sinusWithPVCs(strings.Repeat("NV", 80)), Flutter, 0, 100, 1e9},
		{"check off: the model's call stands", sinusWithPVCs(strings.Repeat("NV", 80)), AF, -1, 100, 1e9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Beats: c.beats, Fs: fs, Model: classWindows(c.class, 0.9, len(c.beats))}
			eps, err := Detect(in, Options{Ectopy: c.ectopy})
			if err != nil {
				t.Fatal(err)
			}
			var called time.Duration
			for _, e := range eps {
				if e.Rhythm == c.class {
					called += time.Duration(float64(e.End-e.Start) / fs * float64(time.Second))
				}
			}
			if s := called.Seconds(); s < c.wantS || s > c.maxS {
				t.Errorf("%s called for %.1f s of %.1f s, want %.0f-%.0f s (episodes %v)", c.class, s,
					float64(c.beats[len(c.beats)-1].Sample-c.beats[0].Sample)/fs, c.wantS, c.maxS, eps)
			}
		})
	}
}

// TestEctopyEdges checks where the check judges: not without enough
// comparisons or ventricular beats near the beat, and that a beat's
// comparisons are the ones within ectopyHalf beats.
func TestEctopyEdges(t *testing.T) {
	seq := func(b []annotate.Beat) beatSeq {
		s, err := sequence(Input{Beats: b, Fs: fs})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	big := newEctopy(seq(sinusWithPVCs(strings.Repeat("NV", 40))), 0.06)
	// the first N beats give too few comparisons within 16 beats of beat 0
	if big.explained(0) {
		t.Error("beat 0 of bigeminy judged with too few comparisons")
	}
	if !big.explained(40) {
		t.Error("the middle of bigeminy not explained by ectopy")
	}
	// one PVC in sinus rhythm is too little to explain anything
	one := newEctopy(seq(sinusWithPVCs(n(40)+"V"+n(40))), 0.06)
	if one.explained(40) {
		t.Error("a single PVC explained an AF call")
	}
	// AF with PVCs: irregular, so never explained
	af := newEctopy(seq(fibrillation(strings.Repeat("NNNNV", 30))), 0.06)
	for i := range 150 {
		if af.explained(i) {
			t.Fatalf("beat %d of AF with PVCs explained by ectopy", i)
		}
	}
}

// BenchmarkEctopy14Days judges every beat of 14 days of AF with a PVC every
// fifth beat (about 1.5 million beats, all with ventricular beats near):
// the check's worst case, as when the model calls AF throughout.
func BenchmarkEctopy14Days(b *testing.B) {
	beats := fibrillation(strings.Repeat("NNNNV", 300_000))
	s, err := sequence(Input{Beats: beats, Fs: fs})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		e := newEctopy(s, 0.06)
		for i := range len(beats) {
			e.explained(i)
		}
	}
}
