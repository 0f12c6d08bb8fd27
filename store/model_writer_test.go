package store

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// writerOutput is a model output of n beats with varied codes, models and
// probabilities, two episodes and three noise stretches.
func writerOutput(n int) annotate.ModelOutput {
	beats := modelBeats(n)
	for i := range beats {
		if i%7 == 3 {
			beats[i].Code, beats[i].Prov.Who = annotate.PVC, "beatnet@2"
			beats[i].Prov.Probs = []float32{0.1, 0.05, 0.8, 0.03, float32(i%5) / 100}
		}
	}
	end := beats[n-1].Sample + 300
	mid := (beats[0].Sample + end) / 2
	return annotate.ModelOutput{Beats: beats,
		Episodes: []annotate.Episode{{Start: beats[0].Sample, End: mid, Rhythm: "AFIB", Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "rhythm@1", Confidence: 0.7}},
			{Start: mid, End: end, Rhythm: "VT", Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "rules@1"}}},
		Noise: []annotate.Noise{{Start: 100, End: 900, Lead: -1, Reason: "lead off"}, {Start: 2000, End: 2600, Lead: 0},
			{Start: end - 500, End: end, Lead: 1}}}
}

// TestModelWriterSameLayer writes the same model output whole
// (SaveModelOutput) and in pieces (ModelWriter, pieces of 1 to 1000 beats,
// several flushes) and checks that the two model layers hold the same
// keys and values, read back to the same labels, and got the same audit
// note; short outputs (one beat, less than a block, none) too.
func TestModelWriterSameLayer(t *testing.T) {
	for _, n := range []int{1, 300, blockBeats, 3*flushBlocks*blockBeats + 777} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			out := writerOutput(n)
			whole, _ := openTestDB(t)
			streamed, _ := openTestDB(t)
			id := testID(1)
			for _, db := range []*DB{whole, streamed} {
				mustDo(t, db.PutRecord(id, "/data/rec.hea", testInfo))
				mustDo(t, db.SaveModelOutput(id, writerOutput(3), "old@1")) // a layer to replace
			}
			mustDo(t, whole.SaveModelOutput(id, out, "beatnet@1"))
			writeInPieces(t, streamed, id, out)
			if a, b := dumpModel(t, whole, id), dumpModel(t, streamed, id); !reflect.DeepEqual(a, b) {
				t.Fatalf("the layers differ: %d keys whole, %d streamed", len(a), len(b))
			}
			sameLabels(t, whole, streamed, id)
		})
	}
}

// writeInPieces writes out through a ModelWriter in pieces of growing
// length.
func writeInPieces(t *testing.T, db *DB, id annotate.RecordID, out annotate.ModelOutput) {
	t.Helper()
	w, err := db.NewModelWriter(id)
	mustDo(t, err)
	for i, k := 0, 1; i < len(out.Beats); i, k = i+k, k%1000+37 {
		mustDo(t, w.Write(out.Beats[i:min(i+k, len(out.Beats))]))
	}
	mustDo(t, w.Commit(out.Episodes, out.Noise, "beatnet@1"))
}

// dumpModel returns every key and value under the record's model layer
// (bucket paths as keys), and checks that nothing is left staged.
func dumpModel(t *testing.T, db *DB, id annotate.RecordID) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRecords).Bucket([]byte(id))
		if rb.Bucket(bucketStaging) != nil {
			return errors.New("a staging bucket is left")
		}
		return dumpBucket(rb.Bucket(bucketModel), "model/", m)
	})
	mustDo(t, err)
	return m
}

func dumpBucket(b *bolt.Bucket, prefix string, m map[string]string) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return dumpBucket(b.Bucket(k), prefix+string(k)+"/", m)
		}
		m[prefix+string(k)] = string(bytes.Clone(v))
		return nil
	})
}

// sameLabels checks that both databases read back the same model labels
// and audit entries (but for their times).
func sameLabels(t *testing.T, a, b *DB, id annotate.RecordID) {
	t.Helper()
	la, ra, err := a.Labels(id, ModelLayer)
	mustDo(t, err)
	lb, rb, err := b.Labels(id, ModelLayer)
	mustDo(t, err)
	if ra != rb || !reflect.DeepEqual(la, lb) {
		t.Errorf("labels differ: revision %d and %d", ra, rb)
	}
	if na, nb := auditNotes(t, a, id), auditNotes(t, b, id); !reflect.DeepEqual(na, nb) {
		t.Errorf("audit notes %q, want %q", nb, na)
	}
}

func auditNotes(t *testing.T, db *DB, id annotate.RecordID) []string {
	var notes []string
	for e, err := range db.Audit(id, 1) {
		mustDo(t, err)
		notes = append(notes, fmt.Sprintf("%s %s %s: %s", e.Kind, e.Who, e.Action, e.Note))
	}
	return notes
}

// TestModelWriterKeepsOldLayer: until Commit, the old layer is what reads
// back, after Abort and after a writer that stopped half way (a crash:
// the database is closed and opened again); the next writer drops what was
// staged and commits.
func TestModelWriterKeepsOldLayer(t *testing.T) {
	db, path := openTestDB(t)
	id := testID(1)
	mustDo(t, db.PutRecord(id, "/data/rec.hea", testInfo))
	mustDo(t, db.SaveModelOutput(id, writerOutput(1000), "old@1"))
	before := dumpModel(t, db, id)
	big := writerOutput(2 * flushBlocks * blockBeats)
	w, err := db.NewModelWriter(id)
	mustDo(t, err)
	mustDo(t, w.Write(big.Beats))
	mustDo(t, w.Abort())
	if !reflect.DeepEqual(dumpModel(t, db, id), before) {
		t.Fatal("Abort changed the model layer")
	}
	w, err = db.NewModelWriter(id)
	mustDo(t, err)
	mustDo(t, w.Write(big.Beats))
	db = reopen(t, db, path) // the writer never commits
	if m := dumpModelStaged(t, db, id); !reflect.DeepEqual(m, before) {
		t.Fatal("a writer that stopped half way changed the model layer")
	}
	mustDo(t, db.Close())
	if rep, err := CheckDB(path); err != nil || rep.Damaged() {
		t.Fatalf("db check with a staged layer left: %+v, %v; want a sound file", rep, err)
	}
	db = reopen(t, db, path)
	writeInPieces(t, db, id, big)
	if got, _, err := db.Labels(id, ModelLayer); err != nil || len(got.Beats) != len(big.Beats) {
		t.Fatalf("after the next writer: %d beats (%v), want %d", len(got.Beats), err, len(big.Beats))
	}
}

// dumpModelStaged is dumpModel for a database where a writer left its
// staging bucket.
func dumpModelStaged(t *testing.T, db *DB, id annotate.RecordID) map[string]string {
	t.Helper()
	m := map[string]string{}
	mustDo(t, db.bolt.View(func(tx *bolt.Tx) error {
		return dumpBucket(tx.Bucket(bucketRecords).Bucket([]byte(id)).Bucket(bucketModel), "model/", m)
	}))
	return m
}

// TestModelWriterErrors: beats out of order, a second Commit, an unknown
// record.
func TestModelWriterErrors(t *testing.T) {
	db, _ := openTestDB(t)
	id := testID(1)
	mustDo(t, db.PutRecord(id, "/data/rec.hea", testInfo))
	if _, err := db.NewModelWriter(testID(2)); !errors.Is(err, ErrNoRecord) {
		t.Errorf("writer of an unknown record: %v, want ErrNoRecord", err)
	}
	beats := modelBeats(10)
	for _, c := range []struct {
		name   string
		pieces [][]annotate.Beat
	}{
		{"repeated beat", [][]annotate.Beat{beats[:5], beats[4:]}},
		{"backwards", [][]annotate.Beat{beats[5:], beats[:5]}},
		{"negative sample", [][]annotate.Beat{{{Sample: -1}}}},
	} {
		w, err := db.NewModelWriter(id)
		mustDo(t, err)
		var got error
		for _, p := range c.pieces {
			if got = w.Write(p); got != nil {
				break
			}
		}
		if !errors.Is(got, ErrWriterOrder) || !errors.Is(w.Commit(nil, nil, "x"), ErrWriterOrder) {
			t.Errorf("%s: %v, want ErrWriterOrder, also from Commit", c.name, got)
		}
		mustDo(t, w.Abort())
	}
	w, err := db.NewModelWriter(id)
	mustDo(t, err)
	mustDo(t, w.Write(beats))
	mustDo(t, w.Commit(nil, nil, "x"))
	if err := w.Commit(nil, nil, "x"); err == nil {
		t.Error("a second Commit succeeded")
	}
}

// TestModelStaged: a layer is staged from NewModelWriter until Commit or
// Abort, including after a Commit that failed.
func TestModelStaged(t *testing.T) {
	db, _ := openTestDB(t)
	id := testID(1)
	mustDo(t, db.PutRecord(id, "/data/rec.hea", testInfo))
	staged := func(want bool, when string) {
		t.Helper()
		if got, err := db.ModelStaged(id); err != nil || got != want {
			t.Fatalf("%s: staged %v (%v), want %v", when, got, err, want)
		}
	}
	staged(false, "before a writer")
	w, err := db.NewModelWriter(id)
	mustDo(t, err)
	staged(true, "while writing")
	out := writerOutput(10)
	mustDo(t, w.Write(out.Beats))
	if err := w.Write(out.Beats[:1]); err == nil { // out of order: the writer is spoilt
		t.Fatal("a beat before the last one was written")
	}
	if err := w.Commit(nil, nil, "beatnet@1"); err == nil {
		t.Fatal("Commit of a spoilt writer succeeded")
	}
	staged(true, "after a failed Commit")
	mustDo(t, w.Abort())
	staged(false, "after Abort")
	writeInPieces(t, db, id, writerOutput(10))
	staged(false, "after Commit")
}

// TestModelWriterRelabel relabels written beats (the SVT run rule after
// the rhythm stage), some in the tail still in memory and some in blocks
// flushed before: they take the new code and provenance and keep their
// probabilities, and no other beat changes; a relabel where no beat was
// written adds none (one before the first beat skips no later one), and a
// beat the model did not call N (index 3 is V) keeps its label.
func TestModelWriterRelabel(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 0)
	w, err := db.NewModelWriter(id)
	if err != nil {
		t.Fatal(err)
	}
	out := writerOutput(flushBlocks*blockBeats + 700)
	mustDo(t, w.Write(out.Beats))
	rule := annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1+svt-run"}
	at := []int{3, 4, blockBeats - 1, blockBeats, flushBlocks*blockBeats + 5, len(out.Beats) - 1}
	rel := []annotate.Beat{{Sample: out.Beats[0].Sample - 300, Code: annotate.APC, Prov: rule}} // before every block
	for _, i := range at {
		rel = append(rel, annotate.Beat{Sample: out.Beats[i].Sample, Code: annotate.APC, Prov: rule})
	}
	rel = append(rel, annotate.Beat{Sample: out.Beats[10].Sample + 1, Code: annotate.APC, Prov: rule})
	mustDo(t, w.Relabel(rel))
	mustDo(t, w.Commit(out.Episodes, out.Noise, "beatnet@1"))
	got, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	want := annotate.RelabelBeats(slices.Clone(out.Beats), rel)
	if !reflect.DeepEqual(got.Beats, want) {
		t.Fatalf("model layer: %d beats, want %d relabelled as RelabelBeats says", len(got.Beats), len(want))
	}
	for _, i := range at {
		if i == 3 {
			if b := got.Beats[i]; b.Code != annotate.PVC || b.Prov.Who != "beatnet@2" {
				t.Errorf("beat %d: %v %+v, want the model's V", i, b.Code, b.Prov)
			}
			continue
		}
		if b := got.Beats[i]; b.Code != annotate.APC || b.Prov.Who != rule.Who || b.Prov.Probs == nil {
			t.Errorf("beat %d: %v %+v, want APC by the rule with the model's probabilities", i, b.Code, b.Prov)
		}
	}
}
