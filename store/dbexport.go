package store

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// Spans is the part of a label set that is small whatever the record's
// length: its rhythm episodes and noise stretches (tombstones included),
// status and revision. Exports read it whole and stream the beats with
// DB.Beats, so a 14-day record's beats never have to be in memory at once.
type Spans struct {
	Episodes []annotate.EpisodeEntry // sorted by ID
	Noise    []annotate.NoiseEntry   // sorted by ID
	Status   annotate.Status
	Rev      uint64 // label-set revision, 0 when the reader has no set
	Tombs    int    // number of beat tombstones (beats a reader deleted)
}

// Spans returns the episodes, noise stretches, status and revision of a
// reader's label set (ModelLayer: the model layer) on rec, without its
// beats; empty with revision 0 when there is none.
func (db *DB) Spans(rec annotate.RecordID, reader annotate.ReaderID) (Spans, error) {
	var sp Spans
	err := db.view(fmt.Sprintf("read spans of %q on %s", reader, rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		var ls annotate.LabelSet
		if reader == ModelLayer {
			if mb := r.rb.Bucket(bucketModel); mb != nil {
				m, err := readLayerMeta(mb)
				if err != nil {
					return err
				}
				sp.Status, sp.Rev = m.Status, m.Rev
				ls, err = readSpans(mb, ls)
				sp.Episodes, sp.Noise, sp.Tombs = ls.Episodes, ls.Noise, len(ls.Deleted)
				return err
			}
			return nil
		}
		if ls, sp.Rev, err = readerSpans(r, reader); err != nil {
			return err
		}
		sp.Episodes, sp.Noise, sp.Status, sp.Tombs = ls.Episodes, ls.Noise, ls.Status, len(ls.Deleted)
		return nil
	})
	return sp, err
}

// Tombs returns the beat tombstones of a reader's label set in sample order
// (the beats the reader deleted), reading them in one transaction.
func (db *DB) Tombs(rec annotate.RecordID, reader annotate.ReaderID) ([]annotate.Tomb, error) {
	var out []annotate.Tomb
	err := db.view(fmt.Sprintf("read deleted beats of %q on %s", reader, rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if reader != ModelLayer {
			var ls annotate.LabelSet
			ls, _, err = readerSpans(r, reader)
			out = ls.Deleted
		}
		return err
	})
	return out, err
}

// readerSpans reads a reader's tombstones, episodes, noise and status,
// journalled edits included, without the beats; and the revision.
func readerSpans(r recTx, reader annotate.ReaderID) (annotate.LabelSet, uint64, error) {
	var ls annotate.LabelSet
	h, err := readHead(r, reader)
	if err != nil {
		return ls, 0, err
	}
	pending, err := pendingDiffs(r, reader, h)
	if err != nil {
		return ls, 0, err
	}
	if lb := layer(r.rb, reader); lb != nil {
		if ls, err = readSpans(lb, ls); err != nil {
			return ls, 0, err
		}
	}
	for i := range pending {
		pending[i].Beats = nil // the beats are not read here
	}
	ls = annotate.Apply(ls, pending...)
	ls.Status = h.Status
	return ls, h.Rev, nil
}
