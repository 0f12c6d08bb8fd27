package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// checkReads checks that every read path of the DB (Labels, Beats in
// chunks, Spans, Tombs, Records) gives the session's label set, whatever
// part of it is still journalled.
func checkReads(t *testing.T, db *DB, s *annotate.Session, when string) {
	t.Helper()
	want := s.Labels()
	ls, rev, err := db.Labels(s.Record(), s.Reader())
	if err != nil || rev != s.Revision() || digest(ls) != digest(want) {
		t.Fatalf("%s: Labels rev %d (want %d), digest %s (want %s), %v", when, rev, s.Revision(), digest(ls), digest(want), err)
	}
	var beats []annotate.Beat
	for b, err := range db.Beats(s.Record(), s.Reader(), 0, math.MaxInt64) {
		if err != nil {
			t.Fatal(err)
		}
		beats = append(beats, b)
	}
	if !reflect.DeepEqual(beats, want.Beats) {
		t.Fatalf("%s: Beats yields %d beats, the session has %d", when, len(beats), len(want.Beats))
	}
	sp, err := db.Spans(s.Record(), s.Reader())
	if err != nil || sp.Rev != rev || sp.Tombs != len(want.Deleted) || !reflect.DeepEqual(sp.Episodes, want.Episodes) ||
		!reflect.DeepEqual(sp.Noise, want.Noise) || !reflect.DeepEqual(sp.Status, want.Status) {
		t.Fatalf("%s: Spans = %+v, %v", when, sp, err)
	}
	tombs, err := db.Tombs(s.Record(), s.Reader())
	if err != nil || !reflect.DeepEqual(tombs, want.Deleted) {
		t.Fatalf("%s: Tombs = %v, %v", when, tombs, err)
	}
	e, err := db.Record(s.Record())
	if err != nil || len(e.Readers) != 1 || e.Readers[0].Rev != rev {
		t.Fatalf("%s: Record = %+v, %v", when, e, err)
	}
}

// TestJournalReadsMatchSession runs random edits, undos and redos (small
// ones journalled, cluster relabels of 100 beats applied at once, a fold
// every 256 journalled entries) and checks every read against the session,
// then after a restart.
func TestJournalReadsMatchSession(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 9000) // three Beats chunks
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, 1))
	out := bufio.NewWriter(io.Discard)
	n := 1200
	if testing.Short() {
		n = 300
	}
	for i := range n {
		if i%500 == 0 { // between them the journal reaches foldAt
			all := s.BeatsIn(0, math.MaxInt64)
			k := r.IntN(len(all) - 100)
			samples := make([]int64, 100)
			for j := range samples {
				samples[j] = all[k+j].Sample
			}
			mustDo(t, s.Relabel(samples, annotate.Code(1+r.IntN(2)), "cluster"))
		}
		if _, err := crashEdit(r, s, out); err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
		if i%50 == 0 {
			checkReads(t, db, s, fmt.Sprint("edit ", i))
		}
	}
	checkReads(t, db, s, "end")
	mustDo(t, db.view("head", func(tx *bolt.Tx) error {
		r, err := openRec(tx, id)
		if err != nil {
			return err
		}
		h, err := readHead(r, "ann")
		if h.Folded == 0 || h.Pending >= foldAt {
			t.Errorf("head %+v: never folded", h)
		}
		return err
	}))
	undo, redo := s.History()
	db2 := reopen(t, db, path)
	s2, err := annotate.Open(db2, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if u, r := s2.History(); u != undo || r != redo || digest(s2.Labels()) != digest(s.Labels()) {
		t.Fatalf("after restart: history %d/%d (want %d/%d), labels %s (want %s)", u, r, undo, redo,
			digest(s2.Labels()), digest(s.Labels()))
	}
	checkReads(t, db2, s2, "after restart")
}

func TestCommitOutsideHistory(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 10)
	for _, k := range []annotate.CommitKind{annotate.CommitUndo, annotate.CommitRedo} {
		_, err := db.Commit(annotate.Commit{Record: id, Reader: "ann", Kind: k, Edit: annotate.Edit{Action: annotate.ActRelabel}})
		if !errors.Is(err, annotate.ErrHistory) {
			t.Errorf("%v with an empty history: %v", k, err)
		}
	}
	if _, err := db.Commit(annotate.Commit{Record: testID(99), Reader: "ann"}); !errors.Is(err, ErrNoRecord) {
		t.Errorf("commit on an unknown record: %v", err)
	}
}

// TestModelBlocksRange checks model-layer range reads across blocks.
func TestModelBlocksRange(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 3*blockBeats+7)
	all := modelBeats(3*blockBeats + 7)
	for _, tt := range []struct {
		name     string
		from, to int64
	}{
		{"all", 0, math.MaxInt64}, {"inside a block", all[3].Sample, all[9].Sample},
		{"across blocks", all[blockBeats-2].Sample - 1, all[2*blockBeats+1].Sample + 1},
		{"past the end", all[len(all)-1].Sample + 1, math.MaxInt64}, {"before the start", 0, 10},
	} {
		var got []annotate.Beat
		for b, err := range db.Beats(id, ModelLayer, tt.from, tt.to) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b)
		}
		i := slices.IndexFunc(all, func(b annotate.Beat) bool { return b.Sample >= tt.from })
		j := slices.IndexFunc(all, func(b annotate.Beat) bool { return b.Sample >= tt.to })
		if i < 0 {
			i = len(all)
		}
		if j < 0 {
			j = len(all)
		}
		if !reflect.DeepEqual(got, all[i:j]) && (len(got) != 0 || i != j) {
			t.Errorf("%s: %d beats, want %d", tt.name, len(got), j-i)
		}
	}
}
