package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// schema2Fixture edits a label set in memory and writes it, its undo and
// redo stacks and its audit log into b (at schema 2) the way schema 2
// stored them: JSON audit entries in records/<id>/audit, JSON stacks in
// readers/<id>/undo and redo, the revision in readers/<id>/layer, and the
// model layer one key per beat.
func schema2Fixture(t *testing.T, b *bolt.DB, id annotate.RecordID) annotate.Snapshot {
	t.Helper()
	var mem annotate.MemRepository
	s, err := annotate.Open(&mem, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	for _, smp := range []int64{100, 400, 700, 1000} {
		mustDo(t, s.Insert(smp, annotate.Normal, ""))
	}
	mustDo(t, s.Relabel([]int64{400}, annotate.PVC, "wide"))
	mustDo(t, s.Delete([]int64{700}, ""))
	if _, err := s.SetEpisode(annotate.Episode{Start: 50, End: 900, Rhythm: "(AFIB"}, ""); err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.Undo())
	mustDo(t, s.Undo())
	mustDo(t, s.Redo())
	snap, _ := mem.Load(id, "ann")
	mustDo(t, b.Update(func(tx *bolt.Tx) error { return writeSchema2(tx, id, snap, mem.Log()) }))
	return snap
}

func writeSchema2(tx *bolt.Tx, id annotate.RecordID, snap annotate.Snapshot, log []annotate.Commit) error {
	rb, err := tx.Bucket(bucketRecords).CreateBucket([]byte(id))
	if err != nil {
		return err
	}
	info, _ := json.Marshal(recordInfo{Path: "/data/x.hea", Info: testInfo})
	mb, _ := rb.CreateBucket(bucketModel)
	mbeats, _ := mb.CreateBucket(bucketBeats)
	for _, bt := range modelBeats(700) {
		mbeats.Put(sampleKey(bt.Sample), encodeBeat(nil, bt))
	}
	ab, _ := rb.CreateBucket(bucketAudit)
	for _, c := range log {
		seq, _ := ab.NextSequence()
		a := auditOf(c)
		a.Seq = seq
		raw, _ := json.Marshal(a)
		ab.Put(u64(seq), raw)
	}
	lb, _ := rb.CreateBucket(bucketReaders)
	lb, _ = lb.CreateBucket([]byte("ann"))
	d := annotate.Diff{}
	for i := range snap.Labels.Beats {
		d.Beats = append(d.Beats, annotate.BeatChange{Sample: snap.Labels.Beats[i].Sample, After: &snap.Labels.Beats[i]})
	}
	for i := range snap.Labels.Episodes {
		d.Episodes = append(d.Episodes, annotate.EpisodeChange{ID: snap.Labels.Episodes[i].ID, After: &snap.Labels.Episodes[i]})
	}
	for i := range snap.Labels.Deleted {
		d.Tombs = append(d.Tombs, annotate.TombChange{Sample: snap.Labels.Deleted[i].Sample, After: &snap.Labels.Deleted[i]})
	}
	for name, stack := range map[string][]annotate.Entry{"undo": snap.Undo, "redo": snap.Redo} {
		sb, _ := lb.CreateBucket([]byte(name))
		for i, e := range stack {
			raw, _ := json.Marshal(e)
			sb.Put(u64(uint64(i+1)), raw)
		}
	}
	layerRaw, _ := json.Marshal(layerMeta{Rev: snap.Rev, Status: snap.Labels.Status})
	for _, err := range []error{rb.Put(keyInfo, info), mb.Put(keyLayer, []byte(`{"rev":1}`)),
		lb.Put(keyLayer, layerRaw), applyDiff(lb, d)} {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestMigration3JournalAndBlocks(t *testing.T) {
	b := boltAt(t, 2)
	id := testID(1)
	want := schema2Fixture(t, b, id)
	mustDo(t, b.Update(func(tx *bolt.Tx) error { return runMigrations(tx, 2, 3) }))
	path := b.Path()
	b.Close()
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Load(id, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if got.Rev != want.Rev || digest(got.Labels) != digest(want.Labels) {
		t.Errorf("after migration rev %d labels %s, want %d %s", got.Rev, digest(got.Labels), want.Rev, digest(want.Labels))
	}
	if !sameStack(got.Undo, want.Undo) || !sameStack(got.Redo, want.Redo) {
		t.Errorf("stacks %d/%d, want %d/%d", len(got.Undo), len(got.Redo), len(want.Undo), len(want.Redo))
	}
	model, err := db.Model(id)
	if err != nil || !reflect.DeepEqual(model.Beats, modelBeats(700)) {
		t.Errorf("model layer: %d beats, %v", len(model.Beats), err)
	}
	n := 0
	for a, err := range db.Audit(id, 1) {
		if err != nil || a.Seq != uint64(n+1) {
			t.Fatalf("audit entry %d: %+v, %v", n+1, a, err)
		}
		n++
	}
	if n != 10 { // 4 inserts, relabel, delete, episode, 2 undos, redo
		t.Errorf("%d audit entries after migration, want 10", n)
	}
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	before := s.Labels() // with the model layer merged in
	mustDo(t, s.Undo())
	if b, ok := s.Beat(700); !ok || b.Code != annotate.Normal {
		t.Errorf("undoing the delete after migration: beat 700 = %+v, %v", b, ok)
	}
	mustDo(t, s.Redo())
	if digest(s.Labels()) != digest(before) {
		t.Error("undo+redo after migration changed the labels")
	}
}

func sameStack(a, b []annotate.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Edit != b[i].Edit || !a[i].When.Equal(b[i].When) ||
			!reflect.DeepEqual(a[i].Diff, b[i].Diff) {
			return false
		}
	}
	return true
}

// TestMigration3RefusesMismatchedHistory checks that a reader whose stored
// undo stack does not match its audit log stops the migration.
func TestMigration3RefusesMismatchedHistory(t *testing.T) {
	b := boltAt(t, 2)
	id := testID(1)
	schema2Fixture(t, b, id)
	mustDo(t, b.Update(func(tx *bolt.Tx) error {
		undo := tx.Bucket(bucketRecords).Bucket([]byte(id)).Bucket(bucketReaders).Bucket([]byte("ann")).Bucket(bucketUndo)
		return undo.Put(u64(99), []byte("{}"))
	}))
	err := b.Update(func(tx *bolt.Tx) error { return runMigrations(tx, 2, 3) })
	if !errors.Is(err, ErrDBCorrupt) {
		t.Errorf("migration over a mismatched undo stack: %v", err)
	}
}
