package store

import (
	"errors"
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

// TestRecordSettingsPersist: the per-record adapter switch is stored with
// the record, survives a restart and a later PutRecord of the same record,
// and is refused for a record the database does not hold.
func TestRecordSettingsPersist(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	if s, err := db.RecordSettings(id); err != nil || s.AdapterOff {
		t.Fatalf("new record: %+v, %v", s, err)
	}
	if err := db.SetRecordSettings(id, RecordSettings{AdapterOff: true}, "ds"); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, path)
	if err := db.PutRecord(id, "/moved/rec1.hea", testInfo); err != nil {
		t.Fatal(err)
	}
	e, err := db.Record(id)
	if err != nil || !e.Settings.AdapterOff || e.Path != "/moved/rec1.hea" {
		t.Fatalf("after restart and PutRecord: %+v, %v", e.Settings, err)
	}
	if err := db.SetRecordSettings(testID(2), RecordSettings{}, "ds"); !errors.Is(err, ErrNoRecord) {
		t.Errorf("unknown record: %v, want ErrNoRecord", err)
	}
}

// TestSetAdaptedRestoresFromStoredModelLayer: after a restart, switching the
// adapter off gives an adapted beat back the model layer's label as the
// database stored it, probabilities included, in an audited commit that is
// not on the undo stack.
func TestSetAdaptedRestoresFromStoredModelLayer(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := s.Beat(1300)
	a := annotate.Beat{Sample: 1300, Code: annotate.PVC, Prov: annotate.Provenance{Who: annotate.AdaptedWho("adapt@1", 12), Confidence: 0.8, Probs: orig.Prov.Probs}}
	if _, err := s.SetAdapted([]annotate.Beat{a}, ""); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, path)
	s2, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := s2.Beat(1300); b.Prov.Source != annotate.SourceAdapted || !reflect.DeepEqual(b.Prov.Probs, orig.Prov.Probs) {
		t.Fatalf("adapted beat after restart: %+v", b)
	}
	st, err := s2.SetAdapted(nil, "the adapter is switched off for this record")
	if err != nil || st.Restored != 1 {
		t.Fatalf("switch off: %+v, %v", st, err)
	}
	if b, _ := s2.Beat(1300); !reflect.DeepEqual(b, orig) {
		t.Errorf("restored beat %+v, want %+v", b, orig)
	}
	var last AuditEntry
	for a, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		last = a
	}
	if last.Action != annotate.ActAdapt || last.Why == "" {
		t.Errorf("last audit entry: %+v", last)
	}
}

// TestRecordSettingsAudited: switching the adapter off and on again adds
// an audit entry each (kind "settings", who, "adapter off" / "adapter
// on"); storing the same settings again adds none.
func TestRecordSettingsAudited(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	steps := []struct {
		off   bool
		model []int
		note  string // the entry it adds; "" for none
	}{{true, nil, "adapter off"}, {true, nil, ""}, {false, nil, "adapter on"},
		{false, []int{1, 0}, "model leads 1,0"}, {true, nil, "adapter off; model leads default"}}
	for _, st := range steps {
		before := auditLen(t, db, id)
		if err := db.SetRecordSettings(id, RecordSettings{AdapterOff: st.off, ModelLeads: st.model}, "ds"); err != nil {
			t.Fatal(err)
		}
		var last AuditEntry
		n := 0
		for a, err := range db.Audit(id, 1) {
			if err != nil {
				t.Fatal(err)
			}
			last, n = a, n+1
		}
		switch {
		case st.note == "" && n != before:
			t.Errorf("off %v again: %d audit entries, want %d", st.off, n, before)
		case st.note != "" && (n != before+1 || last.Kind != "settings" || last.Who != "ds" || last.Note != st.note):
			t.Errorf("off %v: %d entries (want %d), last %+v", st.off, n, before+1, last)
		}
	}
}

// auditLen counts the record's audit entries.
func auditLen(t *testing.T, db *DB, id annotate.RecordID) int {
	t.Helper()
	n := 0
	for _, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}
