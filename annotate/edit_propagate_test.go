package annotate

import (
	"errors"
	"testing"
)

func TestPropagate(t *testing.T) {
	s, err := Open(&MemRepository{}, "rec", Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	model := []Beat{
		{Sample: 100, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 200, Code: Normal, Prov: Provenance{Source: SourceDetector}},
		{Sample: 300, Code: Normal, Prov: Provenance{Source: SourceReference}},
		{Sample: 400, Code: Normal, Prov: Provenance{Source: SourceModel}},
		{Sample: 500, Code: PVC, Prov: Provenance{Source: SourceModel}},
	}
	if _, err := s.MergeModel(ModelOutput{Beats: model}); err != nil {
		t.Fatal(err)
	}
	if err := s.Confirm([]int64{400}, ""); err != nil {
		t.Fatal(err)
	}
	n, err := s.Propagate([]int64{100, 200, 300, 400, 500}, PVC, "look-alikes")
	if err != nil || n != 2 {
		t.Fatalf("Propagate: %d, %v; want 2 (model and detector beats; reference, confirmed and equal ones kept)", n, err)
	}
	tests := []struct {
		at     int64
		code   Code
		source Source
		review Review
	}{
		{100, PVC, SourcePropagated, Unreviewed},
		{200, PVC, SourcePropagated, Unreviewed},
		{300, Normal, SourceReference, Unreviewed},
		{400, Normal, SourceModel, Confirmed},
		{500, PVC, SourceModel, Unreviewed},
	}
	for _, tt := range tests {
		b, _ := s.Beat(tt.at)
		if b.Code != tt.code || b.Prov.Source != tt.source || b.Review != tt.review {
			t.Errorf("beat %d: %s %s %s, want %s %s %s", tt.at, b.Code, b.Prov.Source, b.Review, tt.code, tt.source, tt.review)
		}
	}
	if e, ok := s.CanUndo(); !ok || e.Action != ActPropagate {
		t.Errorf("undo offers %+v, want %s", e, ActPropagate)
	}
	// A propagated label may be propagated over again.
	if n, err := s.Propagate([]int64{100}, Fusion, ""); n != 1 || err != nil {
		t.Errorf("second propagation: %d, %v", n, err)
	}
	if n, err := s.Propagate([]int64{100, 999}, Normal, ""); !errors.Is(err, ErrNoBeat) || n != 0 {
		t.Errorf("missing beat: %d, %v; want ErrNoBeat", n, err)
	}
	if b, _ := s.Beat(100); b.Code != Fusion {
		t.Errorf("a failed propagation changed beat 100 to %s", b.Code)
	}
	if n, err := s.Propagate([]int64{300}, PVC, ""); n != 0 || err != nil {
		t.Errorf("nothing to do: %d, %v", n, err)
	}
}
