package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// beatChunk is how many beats Beats reads per read transaction, so a long
// export never holds one transaction open for the whole record.
const beatChunk = 4096

// Load implements annotate.Repository: the reader's label set with its
// undo and redo stacks and revision; empty (Rev 0) when the reader has none.
func (db *DB) Load(rec annotate.RecordID, reader annotate.ReaderID) (annotate.Snapshot, error) {
	var snap annotate.Snapshot
	err := db.view(fmt.Sprintf("load %s of %s", reader, rec), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		lb := layer(rb, reader)
		if lb == nil {
			return nil
		}
		if snap.Labels, snap.Rev, err = readLabels(lb); err != nil {
			return err
		}
		if snap.Undo, err = readEntries(lb.Bucket(bucketUndo)); err != nil {
			return err
		}
		snap.Redo, err = readEntries(lb.Bucket(bucketRedo))
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
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		if lb := layer(rb, reader); lb != nil {
			ls, rev, err = readLabels(lb)
		}
		return err
	})
	return ls, rev, err
}

// readLabels decodes a label set bucket; the values are copies.
func readLabels(lb *bolt.Bucket) (annotate.LabelSet, uint64, error) {
	var ls annotate.LabelSet
	m, err := readLayerMeta(lb)
	if err != nil {
		return ls, 0, err
	}
	ls.Status = m.Status
	if ls.Beats, err = readAll(lb.Bucket(bucketBeats), decodeBeat); err != nil {
		return ls, 0, err
	}
	if ls.Deleted, err = readAll(lb.Bucket(bucketDeleted), decodeTomb); err != nil {
		return ls, 0, err
	}
	if ls.Episodes, err = readAll(lb.Bucket(bucketEpisodes), decodeEpisode); err != nil {
		return ls, 0, err
	}
	ls.Noise, err = readAll(lb.Bucket(bucketNoise), decodeNoise)
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

func readEntries(b *bolt.Bucket) ([]annotate.Entry, error) {
	return readAll(b, func(k, v []byte) (annotate.Entry, error) {
		var e annotate.Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return e, fmt.Errorf("%w: undo entry %x: %v", ErrDBCorrupt, k, err)
		}
		return e, nil
	})
}

// Beats yields the beats of a reader's label set (ModelLayer: the model
// layer) with from <= Sample < to, in sample order, with their provenance
// and review state. It reads beatChunk beats per read transaction with a
// cursor Seek, so the caller may take its time between beats; edits
// committed meanwhile may or may not be seen. A non-nil error ends it.
func (db *DB) Beats(rec annotate.RecordID, reader annotate.ReaderID, from, to int64) iter.Seq2[annotate.Beat, error] {
	return func(yield func(annotate.Beat, error) bool) {
		for from < to {
			chunk, err := db.beatChunk(rec, reader, from, to)
			if err != nil {
				yield(annotate.Beat{}, err)
				return
			}
			for _, b := range chunk {
				if !yield(b, nil) {
					return
				}
			}
			if len(chunk) < beatChunk {
				return
			}
			from = chunk[len(chunk)-1].Sample + 1
		}
	}
}

// beatChunk reads up to beatChunk beats from from (inclusive) to to.
func (db *DB) beatChunk(rec annotate.RecordID, reader annotate.ReaderID, from, to int64) ([]annotate.Beat, error) {
	var out []annotate.Beat
	err := db.view(fmt.Sprintf("read beats of %q on %s from %d", reader, rec, from), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		lb := layer(rb, reader)
		if lb == nil || lb.Bucket(bucketBeats) == nil {
			return nil
		}
		c := lb.Bucket(bucketBeats).Cursor()
		for k, v := c.Seek(sampleKey(max(from, 0))); k != nil && len(out) < beatChunk; k, v = c.Next() {
			b, err := decodeBeat(k, v)
			if err != nil || b.Sample >= to {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// writeModel replaces the model layer of record bucket rb with out and
// increments its revision.
func writeModel(rb *bolt.Bucket, out annotate.ModelOutput) error {
	m, err := readLayerMeta(rb.Bucket(bucketModel))
	if err != nil {
		return err
	}
	if rb.Bucket(bucketModel) != nil {
		if err := rb.DeleteBucket(bucketModel); err != nil {
			return err
		}
	}
	lb, err := rb.CreateBucket(bucketModel)
	if err != nil {
		return err
	}
	if err := putBeatsSorted(lb, out.Beats); err != nil {
		return err
	}
	var d annotate.Diff
	for i, e := range out.Episodes {
		d.Episodes = append(d.Episodes, annotate.EpisodeChange{ID: annotate.EpisodeID(i + 1),
			After: &annotate.EpisodeEntry{ID: annotate.EpisodeID(i + 1), Episode: e}})
	}
	for i, n := range out.Noise {
		d.Noise = append(d.Noise, annotate.NoiseChange{ID: annotate.NoiseID(i + 1),
			After: &annotate.NoiseEntry{ID: annotate.NoiseID(i + 1), Noise: n}})
	}
	if err := applyDiff(lb, d); err != nil {
		return err
	}
	m.Rev++
	return writeLayerMeta(lb, m)
}

// putBeatsSorted writes beats into a new beats bucket of lb in sample order
// (the last of equal samples wins), packing pages full.
func putBeatsSorted(lb *bolt.Bucket, beats []annotate.Beat) error {
	bb, err := lb.CreateBucket(bucketBeats)
	if err != nil {
		return err
	}
	bb.FillPercent = 1
	beats = slices.Clone(beats)
	slices.SortStableFunc(beats, func(a, b annotate.Beat) int { return cmpInt(a.Sample, b.Sample) })
	keys := make([]byte, 0, 8*len(beats))
	var vals []byte
	for i, bt := range beats {
		if bt.Sample < 0 {
			return fmt.Errorf("model beat at sample %d: %w", bt.Sample, annotate.ErrBadSample)
		}
		if i+1 < len(beats) && beats[i+1].Sample == bt.Sample {
			continue
		}
		k0, v0 := len(keys), len(vals)
		keys = binary.BigEndian.AppendUint64(keys, uint64(bt.Sample))
		vals = encodeBeat(vals, bt)
		if err := bb.Put(keys[k0:len(keys):len(keys)], vals[v0:len(vals):len(vals)]); err != nil {
			return err
		}
	}
	return nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
