package annotate

import (
	"slices"
	"testing"
)

// TestMergeRelabelRegion merges relabels (a rhythm chunk's SVT run rule)
// into a session whose model layer holds 10 beats: a model beat takes the
// new code and provenance and keeps its flags and probabilities, a reader's
// label wins, a relabel where no beat is adds none, and the model layer
// holds the relabelled beats and no new one.
func TestMergeRelabelRegion(t *testing.T) {
	repo := &MemRepository{}
	s := openTest(t, repo, "ann", 10) // beats at 1000, 1300, ... 3700
	if err := s.Relabel([]int64{1600}, PVC, "reader"); err != nil {
		t.Fatal(err)
	}
	rule := Provenance{Source: SourceModel, Who: "beatnet@1+svt-run"}
	out := ModelOutput{Beats: []Beat{{Sample: 1300, Code: APC, Prov: rule}, {Sample: 1600, Code: APC, Prov: rule},
		{Sample: 1450, Code: APC, Prov: rule}}}
	reg := ModelRegion{Start: 0, End: 5000, Kinds: KindEpisodes | KindRelabel}
	if _, err := s.MergeModelRegion(out, reg); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sample int64
		code   Code
		who    string
	}{
		{1000, Normal, "beatnet@1"},
		{1300, APC, "beatnet@1+svt-run"},
		{1600, PVC, "ann"},
	}
	for _, c := range cases {
		b, ok := s.Beat(c.sample)
		if !ok || b.Code != c.code || b.Prov.Who != c.who {
			t.Errorf("beat at %d = %v %q (found %v), want %v %q", c.sample, b.Code, b.Prov.Who, ok, c.code, c.who)
		}
	}
	if b, _ := s.Beat(1300); !slices.Equal(b.Prov.Probs, []float32{0.9, 0.05, 0.05}) {
		t.Errorf("relabelled beat's probabilities %v, want the model's", b.Prov.Probs)
	}
	if _, ok := s.Beat(1450); ok {
		t.Error("a relabel added a beat")
	}
	layer, err := repo.Model(testRec)
	if err != nil {
		t.Fatal(err)
	}
	if len(layer.Beats) != 10 || layer.Beats[1].Code != APC || layer.Beats[2].Code != APC || layer.Beats[0].Code != Normal {
		t.Errorf("model layer after the relabel: %d beats, codes %v %v %v", len(layer.Beats), layer.Beats[0].Code, layer.Beats[1].Code, layer.Beats[2].Code)
	}
	if p := layer.Beats[1].Prov; p.Who != "beatnet@1+svt-run" || p.Probs == nil || p.Confidence != 0 {
		t.Errorf("model layer's relabelled beat provenance %+v", p)
	}
}

func TestRelabelled(t *testing.T) {
	old := Beat{Sample: 5, Code: Normal, Chan: 1, Flags: 3, Prov: Provenance{Source: SourceModel, Who: "m", Confidence: 0.8, Probs: []float32{0.8, 0.2}}}
	got := Relabelled(old, Beat{Sample: 5, Code: APC, Prov: Provenance{Source: SourceModel, Who: "m+svt-run"}})
	want := Beat{Sample: 5, Code: APC, Chan: 1, Flags: 3, Prov: Provenance{Source: SourceModel, Who: "m+svt-run", Probs: []float32{0.8, 0.2}}}
	if got.Code != want.Code || got.Chan != want.Chan || got.Flags != want.Flags || got.Prov.Who != want.Prov.Who ||
		got.Prov.Confidence != 0 || !slices.Equal(got.Prov.Probs, want.Prov.Probs) {
		t.Errorf("Relabelled = %+v, want %+v", got, want)
	}
	with := Relabelled(old, Beat{Code: APC, Prov: Provenance{Probs: []float32{0.1, 0.9}}})
	if !slices.Equal(with.Prov.Probs, []float32{0.1, 0.9}) {
		t.Errorf("a relabel's own probabilities were not taken: %v", with.Prov.Probs)
	}
}
