package store

import (
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// beatChunk is how many beats Beats reads per read transaction, so a long
// export never holds one transaction open for the whole record.
const beatChunk = 4096

// Load implements annotate.Repository: the reader's label set (its
// buckets with the journalled edits laid over them), the undo and redo
// stacks replayed from the audit log, and the revision; empty (Rev 0) when
// the reader has none.
func (db *DB) Load(rec annotate.RecordID, reader annotate.ReaderID) (annotate.Snapshot, error) {
	var snap annotate.Snapshot
	err := db.view(fmt.Sprintf("load %s of %s", reader, rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		h, err := readHead(r, reader)
		if err != nil {
			return err
		}
		var pending []annotate.Diff
		if snap.Undo, snap.Redo, pending, err = history(r, reader, h); err != nil {
			return err
		}
		snap.Labels, err = readLabels(layer(r.rb, reader), pending, h)
		snap.Rev = h.Rev
		return err
	})
	return snap, err
}

// Labels returns the whole label set of a reader (ModelLayer: the model
// layer) on rec and its revision, tombstones included; empty with revision
// 0 when there is none.
func (db *DB) Labels(rec annotate.RecordID, reader annotate.ReaderID) (annotate.LabelSet, uint64, error) {
	var ls annotate.LabelSet
	var rev uint64
	err := db.view(fmt.Sprintf("read labels of %q on %s", reader, rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if reader == ModelLayer {
			ls, rev, err = readModel(r.rb.Bucket(bucketModel))
			return err
		}
		h, err := readHead(r, reader)
		if err != nil {
			return err
		}
		pending, err := pendingDiffs(r, reader, h)
		if err != nil {
			return err
		}
		ls, err = readLabels(layer(r.rb, reader), pending, h)
		rev = h.Rev
		return err
	})
	return ls, rev, err
}

// readLabels decodes a reader's label set bucket (nil: none), lays the
// journalled diffs over it and sets the head's status; the values are
// copies.
func readLabels(lb *bolt.Bucket, pending []annotate.Diff, h head) (annotate.LabelSet, error) {
	var ls annotate.LabelSet
	if lb != nil {
		var err error
		if ls.Beats, err = readAll(lb.Bucket(bucketBeats), decodeBeat); err != nil {
			return ls, err
		}
		if ls, err = readSpans(lb, ls); err != nil {
			return ls, err
		}
	}
	if len(pending) > 0 {
		ls = annotate.Apply(ls, pending...)
	}
	ls.Status = h.Status
	return ls, nil
}

// readSpans reads the tombstones, episodes and noise of label set lb into ls.
func readSpans(lb *bolt.Bucket, ls annotate.LabelSet) (annotate.LabelSet, error) {
	var err error
	if ls.Deleted, err = readAll(lb.Bucket(bucketDeleted), decodeTomb); err != nil {
		return ls, err
	}
	if ls.Episodes, err = readAll(lb.Bucket(bucketEpisodes), decodeEpisode); err != nil {
		return ls, err
	}
	ls.Noise, err = readAll(lb.Bucket(bucketNoise), decodeNoise)
	return ls, err
}

// readModel decodes the model layer (nil: none) and its revision.
func readModel(mb *bolt.Bucket) (annotate.LabelSet, uint64, error) {
	var ls annotate.LabelSet
	if mb == nil {
		return ls, 0, nil
	}
	m, err := readLayerMeta(mb)
	if err != nil {
		return ls, 0, err
	}
	ls.Status = m.Status
	if bb := mb.Bucket(bucketBlocks); bb != nil {
		if ls.Beats, err = readBlocks(nil, bb, 0, math.MaxInt64, math.MaxInt); err != nil {
			return ls, 0, err
		}
	}
	ls, err = readSpans(mb, ls)
	return ls, m.Rev, err
}

func decodeTomb(k, v []byte) (annotate.Tomb, error) {
	s, err := keySample(k)
	return annotate.Tomb{Sample: s, By: annotate.ReaderID(v)}, err
}

// readAll decodes every value of b (nil: none) in key order.
func readAll[T any](b *bolt.Bucket, decode func(k, v []byte) (T, error)) ([]T, error) {
	if b == nil {
		return nil, nil
	}
	var out []T
	err := b.ForEach(func(k, v []byte) error {
		x, err := decode(k, v)
		out = append(out, x)
		return err
	})
	return out, err
}

// Beats yields the beats of a reader's label set (ModelLayer: the model
// layer) with from <= Sample < to, in sample order, with their provenance
// and review state. It reads about beatChunk beats per read transaction
// with a cursor Seek, so the caller may take its time between beats; edits
// committed meanwhile may or may not be seen. A non-nil error ends it.
func (db *DB) Beats(rec annotate.RecordID, reader annotate.ReaderID, from, to int64) iter.Seq2[annotate.Beat, error] {
	return func(yield func(annotate.Beat, error) bool) {
		for more := true; more && from < to; {
			var chunk []annotate.Beat
			var err error
			chunk, from, more, err = db.beatChunk(rec, reader, from, to)
			if err != nil {
				yield(annotate.Beat{}, err)
				return
			}
			for _, b := range chunk {
				if !yield(b, nil) {
					return
				}
			}
		}
	}
}

// beatChunk reads the beats from from (inclusive) on, stopping before to
// or after about beatChunk beats; it returns where the next chunk starts
// and whether there may be more.
func (db *DB) beatChunk(rec annotate.RecordID, reader annotate.ReaderID, from, to int64) (out []annotate.Beat, next int64, more bool, err error) {
	err = db.view(fmt.Sprintf("read beats of %q on %s from %d", reader, rec, from), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if reader == ModelLayer {
			if mb := r.rb.Bucket(bucketModel); mb != nil && mb.Bucket(bucketBlocks) != nil {
				out, err = readBlocks(nil, mb.Bucket(bucketBlocks), from, to, beatChunk)
			}
			if more = len(out) >= beatChunk; more {
				next = out[len(out)-1].Sample + 1
			}
			return err
		}
		h, err := readHead(r, reader)
		if err != nil {
			return err
		}
		if out, err = readBeatKeys(layer(r.rb, reader), from, to); err != nil {
			return err
		}
		hi := to
		if more = len(out) >= beatChunk; more {
			hi = out[len(out)-1].Sample + 1
		}
		pending, err := pendingDiffs(r, reader, h)
		out, next = overlayBeats(out, pending, from, hi), hi
		return err
	})
	return out, next, more, err
}

// readBeatKeys reads up to beatChunk beats with from <= Sample < to from
// the beats bucket of label set lb (nil: none).
func readBeatKeys(lb *bolt.Bucket, from, to int64) ([]annotate.Beat, error) {
	if lb == nil || lb.Bucket(bucketBeats) == nil {
		return nil, nil
	}
	var out []annotate.Beat
	c := lb.Bucket(bucketBeats).Cursor()
	for k, v := c.Seek(sampleKey(max(from, 0))); k != nil && len(out) < beatChunk; k, v = c.Next() {
		b, err := decodeBeat(k, v)
		if err != nil || b.Sample >= to {
			return out, err
		}
		out = append(out, b)
	}
	return out, nil
}

// overlayBeats lays the beat changes of the journalled diffs with
// from <= Sample < hi over beats (sorted, all in that range).
func overlayBeats(beats []annotate.Beat, pending []annotate.Diff, from, hi int64) []annotate.Beat {
	last := map[int64]*annotate.Beat{}
	for _, d := range pending {
		for _, c := range d.Beats {
			if c.Sample >= from && c.Sample < hi {
				last[c.Sample] = c.After
			}
		}
	}
	if len(last) == 0 {
		return beats
	}
	out := make([]annotate.Beat, 0, len(beats)+len(last))
	i := 0
	for _, s := range slices.Sorted(maps.Keys(last)) {
		for ; i < len(beats) && beats[i].Sample < s; i++ {
			out = append(out, beats[i])
		}
		if i < len(beats) && beats[i].Sample == s {
			i++
		}
		if b := last[s]; b != nil {
			out = append(out, *b)
		}
	}
	return append(out, beats[i:]...)
}
