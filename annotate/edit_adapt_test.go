package annotate

import (
	"reflect"
	"testing"
)

// layered opens a session whose beats hold one label of every layer:
// 100 detector, 200 model, 300 adapted, 400 propagated (unreviewed),
// 500 reference, 600 confirmed model label, 700 reader's change.
func layered(t *testing.T) *Session {
	t.Helper()
	s, err := Open(&MemRepository{}, "rec", Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	in := []Beat{
		{Sample: 100, Code: Unclassified, Prov: Provenance{Source: SourceDetector}},
		{Sample: 200, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 300, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 400, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 500, Code: Normal, Prov: Provenance{Source: SourceReference}},
		{Sample: 600, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 700, Code: Normal, Prov: Provenance{Source: SourceModel}},
	}
	if _, err := s.MergeModel(ModelOutput{Beats: in}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Adapt([]Beat{{Sample: 300, Code: APC, Prov: Provenance{Who: AdaptedWho("adapt@1", 12), Confidence: 0.9}}}); n != 1 || err != nil {
		t.Fatalf("Adapt: %d, %v", n, err)
	}
	if n, err := s.Propagate([]int64{400}, APC, ""); n != 1 || err != nil {
		t.Fatalf("Propagate: %d, %v", n, err)
	}
	if err := s.Confirm([]int64{600}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Relabel([]int64{700}, PVC, ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLayerPrecedence checks reader > propagated/adapted > model >
// detector: each writer (a model merge, the adapter, a propagation) changes
// exactly the layers at or below its own.
func TestLayerPrecedence(t *testing.T) {
	samples := []int64{100, 200, 300, 400, 500, 600, 700}
	// What each writer leaves on the beats: F where it wrote, else the
	// label before (Q, N, A adapted, A propagated, N, N confirmed, V).
	want := map[string]string{
		"model merge": "FFAANNV", // not over derived or reader labels
		"adapter":     "FFFANNV", // not over a propagation: the reader's own word
		"propagation": "FFFFNNV", // over an adapted label, not the reader's
	}
	writes := map[string]func(s *Session) error{
		"model merge": func(s *Session) error {
			var out []Beat
			for _, x := range samples {
				out = append(out, Beat{Sample: x, Code: Fusion, Prov: Provenance{Source: SourceModel, Who: "m@2"}})
			}
			_, err := s.MergeModel(ModelOutput{Beats: out})
			return err
		},
		"adapter": func(s *Session) error {
			var out []Beat
			for _, x := range samples {
				out = append(out, Beat{Sample: x, Code: Fusion, Prov: Provenance{Who: AdaptedWho("adapt@1", 20)}})
			}
			_, err := s.Adapt(out)
			return err
		},
		"propagation": func(s *Session) error {
			_, err := s.Propagate(samples, Fusion, "")
			return err
		},
	}
	for name, write := range writes {
		s := layered(t)
		if err := write(s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := ""
		for _, x := range samples {
			b, _ := s.Beat(x)
			got += b.Code.Symbol()
		}
		if got != want[name] {
			t.Errorf("%s: beats %s, want %s", name, got, want[name])
		}
	}
}

func TestLayerOf(t *testing.T) {
	s := layered(t)
	want := []Layer{LayerDetector, LayerModel, LayerDerived, LayerDerived, LayerReader, LayerReader, LayerReader}
	for i, b := range s.Labels().Beats {
		if got := LayerOf(b); got != want[i] {
			t.Errorf("beat %d (%s %s): layer %s, want %s", b.Sample, b.Prov.Source, b.Review, got, want[i])
		}
		if i > 0 && Outranks(s.Labels().Beats[i-1], b) && want[i-1] < want[i] {
			t.Errorf("layer %s outranks %s", want[i-1], want[i])
		}
	}
}

func TestAdaptProvenanceAndHistory(t *testing.T) {
	s := layered(t)
	b, _ := s.Beat(300)
	a, n, ok := ParseAdaptedWho(b.Prov.Who)
	if b.Prov.Source != SourceAdapted || !ok || a != "adapt@1" || n != 12 || b.Prov.Confidence != 0.9 {
		t.Errorf("adapted beat: %+v (who parsed %q %d %v)", b, a, n, ok)
	}
	if ReaderOwned(b.Prov, b.Review) || Teaches(b) {
		t.Error("an unreviewed adapted label counts as the reader's")
	}
	if e, _ := s.CanUndo(); e.Action != ActRelabel {
		t.Errorf("undo offers %s: the adapter must stay off the undo stack", e.Action)
	}
	// Same labels again: nothing to commit.
	rev := s.Revision()
	if n, err := s.Adapt([]Beat{{Sample: 300, Code: APC, Prov: Provenance{Who: AdaptedWho("adapt@1", 12), Confidence: 0.9}}}); n != 0 || err != nil || s.Revision() != rev {
		t.Errorf("repeated Adapt: %d, %v, rev %d -> %d", n, err, rev, s.Revision())
	}
	// A beat that is gone is skipped, not an error.
	if n, err := s.Adapt([]Beat{{Sample: 999, Code: APC}}); n != 0 || err != nil {
		t.Errorf("Adapt on a missing beat: %d, %v", n, err)
	}
}

func TestParseAdaptedWho(t *testing.T) {
	tests := []struct {
		who  string
		a    string
		n    int
		okay bool
	}{
		{AdaptedWho("adapt@1", 37), "adapt@1", 37, true},
		{"adapt@1 from 0 reader labels", "adapt@1", 0, true},
		{"beat@3", "", 0, false},
		{"adapt@1 from x reader labels", "", 0, false},
		{"adapt@1 from -2 reader labels", "", 0, false},
		{" from 3 reader labels", "", 0, false},
		{"adapt@1 from 3 readers", "", 0, false},
	}
	for _, tt := range tests {
		a, n, ok := ParseAdaptedWho(tt.who)
		if a != tt.a || n != tt.n || ok != tt.okay {
			t.Errorf("ParseAdaptedWho(%q) = %q, %d, %v; want %q, %d, %v", tt.who, a, n, ok, tt.a, tt.n, tt.okay)
		}
	}
}

// TestSetAdaptedRestoresPopulation: SetAdapted makes its labels the whole
// adapted layer; an adapted beat it no longer claims gets back the model
// layer's label exactly; reader, reference, propagated and reviewed labels
// never change.
func TestSetAdaptedRestoresPopulation(t *testing.T) {
	s := layered(t)
	model, _ := s.repo.Model(s.rec)
	readerSet := func() []Beat {
		var out []Beat
		for _, b := range s.Labels().Beats {
			if !Adaptable(b) {
				out = append(out, b)
			}
		}
		return out
	}
	before := readerSet()
	who := AdaptedWho("adapt@1", 15)
	var all []Beat
	for _, x := range []int64{100, 200, 300, 400, 500, 600, 700} {
		all = append(all, Beat{Sample: x, Code: Fusion, Prov: Provenance{Who: who, Confidence: 0.6, Probs: []float32{0.1, 0.9}}})
	}
	st, err := s.SetAdapted(all, "")
	if err != nil || st.Adapted != 3 || st.Restored != 0 {
		t.Fatalf("SetAdapted(all): %+v, %v", st, err)
	}
	st, err = s.SetAdapted(all[1:2], "") // 200 only: 100 and 300 go back to the model layer
	if err != nil || st.Adapted != 0 || st.Restored != 2 {
		t.Fatalf("SetAdapted(200): %+v, %v", st, err)
	}
	for _, x := range []int64{100, 300} {
		got, _ := s.Beat(x)
		want := model.Beats[x/100-1]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("beat %d: %+v, want the model layer's %+v", x, got, want)
		}
	}
	if st, err = s.SetAdapted(nil, "switched off"); err != nil || st.Restored != 1 {
		t.Fatalf("SetAdapted(nil): %+v, %v", st, err)
	}
	if got, _ := s.Beat(200); got.Prov.Source != SourceModel || got.Code != Normal {
		t.Errorf("switched off, beat 200 is %+v", got)
	}
	if !reflect.DeepEqual(readerSet(), before) {
		t.Error("SetAdapted changed a label it does not own")
	}
	if _, ok := s.CanUndo(); ok {
		if e, _ := s.CanUndo(); e.Action == ActAdapt {
			t.Error("SetAdapted is on the undo stack")
		}
	}
}
