package store

import (
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestAdaptedLabelsSurviveRestart: the adapter's labels are stored with
// their layer, Who (adapter and reader-label count) and confidence, stay
// off the undo stack, and a later model merge keeps them.
func TestAdaptedLabelsSurviveRestart(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	who := annotate.AdaptedWho("adapt@1", 14)
	if n, err := s.Adapt([]annotate.Beat{{Sample: 1300, Code: annotate.PVC, Prov: annotate.Provenance{Who: who, Confidence: 0.875}}}); n != 1 || err != nil {
		t.Fatalf("Adapt: %d, %v", n, err)
	}
	if _, err := s.MergeModel(annotate.ModelOutput{Beats: modelBeats(20)}); err != nil {
		t.Fatal(err)
	}
	want := s.Labels()
	db = reopen(t, db, path)
	s2, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Labels(); !reflect.DeepEqual(got.Beats, want.Beats) {
		t.Error("labels differ after restart")
	}
	b, _ := s2.Beat(1300)
	if b.Code != annotate.PVC || b.Prov.Source != annotate.SourceAdapted || b.Prov.Who != who || b.Prov.Confidence != 0.875 {
		t.Errorf("adapted beat after restart and a model merge: %+v", b)
	}
	if _, ok := s2.CanUndo(); ok {
		t.Error("the adapter's labels are on the undo stack")
	}
}
