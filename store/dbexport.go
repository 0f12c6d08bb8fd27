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
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		lb := layer(rb, reader)
		if lb == nil {
			return nil
		}
		m, err := readLayerMeta(lb)
		if err != nil {
			return err
		}
		sp.Status, sp.Rev = m.Status, m.Rev
		if tb := lb.Bucket(bucketDeleted); tb != nil {
			sp.Tombs = tb.Stats().KeyN
		}
		if sp.Episodes, err = readAll(lb.Bucket(bucketEpisodes), decodeEpisode); err != nil {
			return err
		}
		sp.Noise, err = readAll(lb.Bucket(bucketNoise), decodeNoise)
		return err
	})
	return sp, err
}

// Tombs returns the beat tombstones of a reader's label set in sample order
// (the beats the reader deleted), reading them in one transaction.
func (db *DB) Tombs(rec annotate.RecordID, reader annotate.ReaderID) ([]annotate.Tomb, error) {
	var out []annotate.Tomb
	err := db.view(fmt.Sprintf("read deleted beats of %q on %s", reader, rec), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		if lb := layer(rb, reader); lb != nil {
			out, err = readAll(lb.Bucket(bucketDeleted), decodeTomb)
		}
		return err
	})
	return out, err
}
