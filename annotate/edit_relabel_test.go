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

// TestRelabelOnlyModelN merges relabels (the SVT run rule's S) onto beats
// whose labels changed since the run (the reclassifier merged a newer
// model label, the adapter or a reader relabelled them): only an
// unreviewed model N beat becomes S, in the session and in the model layer.
func TestRelabelOnlyModelN(t *testing.T) {
	model := Provenance{Source: SourceModel, Who: "beatnet@1", Probs: []float32{0.9, 0.05, 0.05}}
	cases := []struct {
		name string
		code Code
		src  Source // SourceAdapted: adapted after the merge; SourceReader: the reader's
		want Code
	}{
		{"model N", Normal, SourceModel, APC},
		{"model V", PVC, SourceModel, PVC},
		{"model F", Fusion, SourceModel, Fusion},
		{"model Q", Unknown, SourceModel, Unknown},
		{"detector N", Normal, SourceDetector, Normal},
		{"adapted N", Normal, SourceAdapted, Normal},
		{"reader N", Normal, SourceReader, Normal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := &MemRepository{}
			s := openTest(t, repo, "ann", 0)
			p := model
			if c.src == SourceDetector {
				p = Provenance{Source: SourceDetector, Who: "qrs@1"}
			}
			if _, err := s.MergeModel(ModelOutput{Beats: []Beat{{Sample: 1000, Code: c.code, Prov: p}}}); err != nil {
				t.Fatal(err)
			}
			switch c.src {
			case SourceAdapted:
				if _, err := s.Adapt([]Beat{{Sample: 1000, Code: c.code, Prov: Provenance{Who: "adapter@1"}}}); err != nil {
					t.Fatal(err)
				}
			case SourceReader:
				if err := s.Relabel([]int64{1000}, c.code, ""); err != nil {
					t.Fatal(err)
				}
			}
			rule := Provenance{Source: SourceModel, Who: "beatnet@1+svt-run"}
			reg := ModelRegion{Start: 0, End: 5000, Kinds: KindEpisodes | KindRelabel}
			if _, err := s.MergeModelRegion(ModelOutput{Beats: []Beat{{Sample: 1000, Code: APC, Prov: rule}}}, reg); err != nil {
				t.Fatal(err)
			}
			if b, _ := s.Beat(1000); b.Code != c.want {
				t.Errorf("session's beat %v, want %v", b.Code, c.want)
			}
			layer, _ := repo.Model(testRec)
			want := c.code
			if c.code == Normal && c.src != SourceDetector {
				want = APC // the layer's beat is the model's N
			}
			if layer.Beats[0].Code != want {
				t.Errorf("model layer's beat %v, want %v", layer.Beats[0].Code, want)
			}
		})
	}
}

// TestRelabelNearest merges relabels a few samples away from the session's
// beats (the session kept its own position when it merged the run's
// beat): a relabel takes the beat at its sample, else the nearest within
// the merge window, as a beat suggestion does, and none farther away.
func TestRelabelNearest(t *testing.T) {
	cases := []struct {
		name   string
		window int64
		at     int64 // the relabel's sample
		beat   int64 // the session's beat it should relabel, 0 for none
	}{
		{"exact", 0, 1300, 1300},
		{"exact with a window", 5, 1300, 1300},
		{"after, in the window", 5, 1303, 1300},
		{"before, in the window", 5, 1596, 1600},
		{"outside the window", 5, 1306, 0},
		{"no window", 0, 1301, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := &MemRepository{}
			openTest(t, repo, "ann", 10) // the model layer: beats at 1000, 1300, ... 3700
			s, err := Open(repo, testRec, Options{Reader: "ann", MergeWindow: c.window, Now: fixedNow()})
			if err != nil {
				t.Fatal(err)
			}
			rule := Provenance{Source: SourceModel, Who: "beatnet@1+svt-run"}
			reg := ModelRegion{Start: 0, End: 5000, Kinds: KindEpisodes | KindRelabel}
			if _, err := s.MergeModelRegion(ModelOutput{Beats: []Beat{{Sample: c.at, Code: APC, Prov: rule}}}, reg); err != nil {
				t.Fatal(err)
			}
			var got int64
			for _, b := range s.Labels().Beats {
				if b.Code == APC {
					if got != 0 {
						t.Fatalf("two beats relabelled: %d and %d", got, b.Sample)
					}
					got = b.Sample
				}
			}
			if got != c.beat || s.NumBeats() != 10 {
				t.Errorf("relabelled the beat at %d (%d beats), want %d (10)", got, s.NumBeats(), c.beat)
			}
		})
	}
}
