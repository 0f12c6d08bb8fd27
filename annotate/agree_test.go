package annotate

import (
	"math"
	"testing"
)

func beatsOf(codes string, start, step int64) []Beat {
	var out []Beat
	for i, c := range codes {
		code, _ := ParseSymbol(string(c))
		out = append(out, Beat{Sample: start + int64(i)*step, Code: code})
	}
	return out
}

func TestKappaReference(t *testing.T) {
	// Cohen's kappa worked example (Wikipedia, "Cohen's kappa", example 1):
	// 50 items, both yes 20, A yes B no 5, A no B yes 10, both no 15:
	// po = 0.7, pe = 0.5, kappa = 0.4.
	m := [][ClassQ + 1]int{{20, 5}, {10, 15}}
	po, k := kappa(m)
	if math.Abs(po-0.7) > 1e-12 || math.Abs(k-0.4) > 1e-12 {
		t.Errorf("po, kappa = %v, %v; want 0.7, 0.4", po, k)
	}
}

func TestAgree(t *testing.T) {
	tests := []struct {
		name      string
		a, b      []Beat
		wantKappa float64
		wantN     int
	}{
		{"identical", beatsOf("NNVNNVNA", 100, 300), beatsOf("NNVNNVNA", 100, 300), 1, 8},
		{"within window", beatsOf("NNVN", 100, 300), beatsOf("NNVN", 104, 300), 1, 4},
		// A: N N V V, B: N V V N -> matrix N:{N1,V1} V:{N1,V1}: po 0.5, pe 0.5, kappa 0.
		{"chance", beatsOf("NNVV", 100, 300), beatsOf("NVVN", 100, 300), 0, 4},
		{"missing beat", beatsOf("NN", 100, 300), beatsOf("N", 100, 300), 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Agree(tt.a, tt.b, 10)
			if g.N != tt.wantN || math.Abs(g.Kappa-tt.wantKappa) > 1e-12 {
				t.Errorf("N, kappa = %d, %v; want %d, %v (confusion %v)", g.N, g.Kappa, tt.wantN, tt.wantKappa, g.Confusion)
			}
		})
	}
}

func TestMatchBeatsClosestWins(t *testing.T) {
	a := []Beat{{Sample: 100}, {Sample: 108}}
	b := []Beat{{Sample: 107}}
	p := MatchBeats(a, b, 10)
	if len(p) != 2 || p[1].A.Sample != 108 || p[1].B == nil || p[0].B != nil {
		t.Errorf("pairs = %+v", p)
	}
}

func TestAdjudicate(t *testing.T) {
	a := LabelSet{Beats: beatsOf("NNVN", 100, 300),
		Episodes: []EpisodeEntry{{ID: 1, Episode: Episode{Start: 0, End: 1000, Rhythm: "AFIB"}}}}
	b := LabelSet{Beats: append(beatsOf("NNNN", 100, 300), Beat{Sample: 1500, Code: PVC}),
		Episodes: []EpisodeEntry{{ID: 1, Episode: Episode{Start: 500, End: 1000, Rhythm: "AFIB"}}}}
	ds := Disagreements(a, b, 10)
	wantKinds := []DisagreementKind{RhythmOnlyA, BeatClass, BeatOnlyB}
	if len(ds) != len(wantKinds) {
		t.Fatalf("disagreements = %+v", ds)
	}
	for i, k := range wantKinds {
		if ds[i].Kind != k {
			t.Errorf("item %d kind = %d, want %d", i, ds[i].Kind, k)
		}
	}
	repo := &MemRepository{}
	s, err := Open(repo, testRec, Options{Reader: "judge"})
	if err != nil {
		t.Fatal(err)
	}
	picks := []Pick{PickB, PickA, PickA}
	for i, d := range ds {
		if _, ok := s.Resolved(d); ok {
			t.Errorf("item %d resolved before adjudication", i)
		}
		if err := s.Resolve(d, picks[i], "panel"); err != nil {
			t.Fatal(err)
		}
		if p, ok := s.Resolved(d); !ok || p != picks[i] {
			t.Errorf("item %d resolved = %v %v, want %v", i, p, ok, picks[i])
		}
	}
	if got, _ := s.Beat(700); got.Code != PVC {
		t.Errorf("beat 700 = %v, want V from A", got.Code)
	}
	if _, ok := s.Beat(1500); ok {
		t.Error("beat only B has is still there after picking A")
	}
}
