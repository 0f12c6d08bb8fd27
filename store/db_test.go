package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// testID returns the record id of a made-up record content.
func testID(n int) annotate.RecordID {
	h := sha256.Sum256(fmt.Appendf(nil, "record %d", n))
	return annotate.RecordID(hex.EncodeToString(h[:]))
}

var testInfo = annotate.RecordInfo{Name: "s1", Format: "WFDB", Fs: 360, NSamples: 650000,
	Leads: []annotate.Lead{{Name: "MLII", Units: "mV", Gain: 200}}}

// openTestDB opens a new database in t.TempDir, closed at cleanup.
func openTestDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "labels.db")
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatalf("OpenDB: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// reopen closes db and opens path again, closed at cleanup.
func reopen(t testing.TB, db *DB, path string) *DB {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { db2.Close() })
	return db2
}

// modelBeats returns n model beats 300 samples apart from 1000.
func modelBeats(n int) []annotate.Beat {
	out := make([]annotate.Beat, n)
	for i := range out {
		out[i] = annotate.Beat{Sample: 1000 + int64(i)*300, Code: annotate.Normal,
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1",
				Confidence: 0.9, Probs: []float32{0.9, 0.04, 0.03, 0.02, 0.01}}}
	}
	return out
}

// newRecord registers record n with n model beats of model output.
func newRecord(t testing.TB, db *DB, n, beats int) annotate.RecordID {
	t.Helper()
	id := testID(n)
	if err := db.PutRecord(id, fmt.Sprintf("/data/rec%d.hea", n), testInfo); err != nil {
		t.Fatal(err)
	}
	if beats > 0 {
		if err := db.SaveModelOutput(id, annotate.ModelOutput{Beats: modelBeats(beats)}, "beatnet@1"); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func TestSessionSurvivesRestart(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.Relabel([]int64{1300}, annotate.PVC, "wide QRS"))
	mustDo(t, s.Delete([]int64{1600}, "artifact"))
	mustDo(t, s.Move(1900, 1905, ""))
	if _, err := s.SetEpisode(annotate.Episode{Start: 1000, End: 4000, Rhythm: "AFIB"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkNoise(annotate.Noise{Start: 0, End: 900, Lead: 0, Reason: "lead off"}, ""); err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.Undo())
	want := s.Labels()

	db = reopen(t, db, path)
	s2, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if got := s2.Labels(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after restart:\n got %+v\nwant %+v", got, want)
	}
	mustDo(t, s2.Redo())
	if len(s2.Noise()) != 1 {
		t.Error("redo after restart did not bring the noise stretch back")
	}
	for range 5 {
		mustDo(t, s2.Undo())
	}
	if b, _ := s2.Beat(1300); b.Code != annotate.Normal || b.Prov.Source != annotate.SourceModel {
		t.Errorf("after undoing everything beat 1300 = %+v", b)
	}
	if err := s2.Undo(); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("undo past the start: %v", err)
	}
	checkAudit(t, db, id)
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkAudit checks the audit log of the restart test: the model save, the
// merge on open, five commands, one undo, one redo, five undos.
func checkAudit(t *testing.T, db *DB, id annotate.RecordID) {
	t.Helper()
	var kinds []string
	var first *AuditEntry
	for a, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, a.Kind)
		if a.Kind == "do" && first == nil {
			first = &a
		}
	}
	want := []string{"model", "merge", "do", "do", "do", "do", "do", "undo", "redo", "undo", "undo", "undo", "undo", "undo"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("audit kinds = %v, want %v", kinds, want)
	}
	c := first.Diff.Beats[0]
	if first.Who != "ann" || first.Why != "wide QRS" || first.Action != annotate.ActRelabel ||
		c.Before.Code != annotate.Normal || c.After.Code != annotate.PVC {
		t.Errorf("first reader entry = %+v, change %+v -> %+v", first, c.Before, c.After)
	}
}

func TestRecordsAndStatus(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 5)
	newRecord(t, db, 2, 0)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann", Now: func() time.Time {
		return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	}})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.SignOff("reviewed"))
	recs, err := db.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	r, err := db.Record(id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status.State != annotate.StateSignedOff || r.Status.By != "ann" || r.ModelRev != 1 ||
		len(r.Readers) != 1 || r.Readers[0].Rev != s.Revision() || r.Info.Fs != 360 {
		t.Errorf("record = %+v", r)
	}
	if got, ok, _ := db.FindPath("/data/rec1.hea"); !ok || got != id {
		t.Errorf("FindPath = %v %v", got, ok)
	}
	if _, err := db.Record(testID(9)); !errors.Is(err, ErrNoRecord) {
		t.Errorf("missing record: %v", err)
	}
	if err := db.PutRecord("abc", "x", testInfo); !errors.Is(err, ErrBadRecordID) {
		t.Errorf("bad id: %v", err)
	}
}

func TestBeatsRange(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 3*beatChunk+7)
	tests := []struct {
		name     string
		from, to int64
		want     int
	}{
		{"all", 0, 1 << 62, 3*beatChunk + 7},
		{"none before first", 0, 1000, 0},
		{"first only", 1000, 1001, 1},
		{"one strip", 1000, 1000 + 300*10, 10},
		{"across a chunk", 1000 + 300*4000, 1000 + 300*4200, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, last := 0, int64(-1)
			for b, err := range db.Beats(id, ModelLayer, tt.from, tt.to) {
				if err != nil {
					t.Fatal(err)
				}
				if b.Sample <= last || b.Sample < tt.from || b.Sample >= tt.to || b.Prov.Who != "beatnet@1" {
					t.Fatalf("beat %+v after %d", b, last)
				}
				last = b.Sample
				n++
			}
			if n != tt.want {
				t.Errorf("%d beats, want %d", n, tt.want)
			}
		})
	}
}

func TestBlindedSecondReader(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 10)
	a, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, a.Relabel([]int64{1300}, annotate.PVC, ""))
	b, err := annotate.Open(db, id, annotate.Options{Reader: "bob", HideModel: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.NumBeats() != 0 {
		t.Errorf("blinded reader without model sees %d beats", b.NumBeats())
	}
	mustDo(t, b.Insert(1300, annotate.Normal, ""))
	la, _, _ := db.Labels(id, "ann")
	lb, _, _ := db.Labels(id, "bob")
	g := annotate.Agree(la.Beats, lb.Beats, 54)
	if g.N != 10 || g.Confusion[annotate.ClassV][annotate.ClassN] != 1 {
		t.Errorf("agreement = %+v", g)
	}
}

func TestReadOnlyCommitRefused(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 3)
	if _, err := annotate.Open(db, id, annotate.Options{Reader: "ann"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := OpenDB(path, DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !errors.Is(ro.ReadOnly(), ErrDBReadOnly) {
		t.Fatalf("ReadOnly() = %v", ro.ReadOnly())
	}
	s, err := annotate.Open(ro, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatalf("viewing a read-only db: %v", err)
	}
	if err := s.Relabel([]int64{1000}, annotate.PVC, ""); !errors.Is(err, ErrDBReadOnly) {
		t.Errorf("edit on a read-only db: %v", err)
	}
	if b, _ := s.Beat(1000); b.Code != annotate.Normal {
		t.Errorf("refused edit changed the session: %+v", b)
	}
	if _, err := annotate.Open(ro, id, annotate.Options{Reader: "new"}); !errors.Is(err, ErrDBReadOnly) {
		t.Errorf("new reader on a read-only db: %v", err)
	}
}
