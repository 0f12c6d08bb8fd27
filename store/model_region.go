package store

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// writeModelRegion replaces the labels region covers in the model layer of
// record bucket rb with those of out (annotate.ModelRegion.Replace), and
// moves the layer's revision. Only the beat blocks that hold beats of the
// region are rewritten, so a chunk of a few hundred beats costs a few
// blocks, not the whole layer; the episodes and noise buckets (a few
// values each) are rewritten whole when the region names them, keeping
// their IDs 1..n in order.
func writeModelRegion(rb *bolt.Bucket, out annotate.ModelOutput, region annotate.ModelRegion) error {
	lb, err := rb.CreateBucketIfNotExists(bucketModel)
	if err != nil {
		return err
	}
	m, err := readLayerMeta(lb)
	if err != nil {
		return err
	}
	part := region.Replace(annotate.ModelOutput{}, out) // out's labels in the region, beats sorted
	if region.Kinds&annotate.KindBeats != 0 {
		if err := spliceBlocks(lb, part.Beats, region.Start, region.End); err != nil {
			return err
		}
	}
	if region.Kinds&(annotate.KindEpisodes|annotate.KindNoise) != 0 {
		if err := replaceSpans(lb, part, region); err != nil {
			return err
		}
	}
	m.Rev++
	return writeLayerMeta(lb, m)
}

// spliceBlocks replaces the beats in [start, end) of lb's blocks with
// beats (sorted, all in the span): the blocks that hold beats of the span
// are decoded, deleted and written again with the new beats.
func spliceBlocks(lb *bolt.Bucket, beats []annotate.Beat, start, end int64) error {
	bb, err := lb.CreateBucketIfNotExists(bucketBlocks)
	if err != nil {
		return err
	}
	keep, keys, err := blocksOver(bb, start, end)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := bb.Delete(k); err != nil {
			return err
		}
	}
	var all []annotate.Beat
	for _, b := range keep {
		if b.Sample < start {
			all = append(all, b)
		}
	}
	all = append(all, beats...)
	for _, b := range keep {
		if b.Sample >= end {
			all = append(all, b)
		}
	}
	return writeBlocks(bb, all)
}

// blocksOver returns the beats and the keys (copied) of the blocks of bb
// that may hold beats in [start, end): the block before start, if any,
// and every block whose key is below end.
func blocksOver(bb *bolt.Bucket, start, end int64) ([]annotate.Beat, [][]byte, error) {
	c := bb.Cursor()
	k, v := c.Seek(sampleKey(start))
	switch {
	case k == nil:
		k, v = c.Last() // the last block may hold start; nil when there are none
	case int64(binary.BigEndian.Uint64(k)) > start:
		if k, v = c.Prev(); k == nil {
			k, v = c.First()
		}
	}
	var beats []annotate.Beat
	var keys [][]byte
	for ; k != nil && int64(binary.BigEndian.Uint64(k)) < end; k, v = c.Next() {
		var err error
		if beats, err = decodeBlock(beats, k, v); err != nil {
			return nil, nil, err
		}
		keys = append(keys, append([]byte(nil), k...))
	}
	return beats, keys, nil
}

// replaceSpans rewrites lb's episodes and noise as region.Replace says:
// those in the region give way to part's, and the IDs are 1..n again.
func replaceSpans(lb *bolt.Bucket, part annotate.ModelOutput, region annotate.ModelRegion) error {
	ls, err := readSpans(lb, annotate.LabelSet{})
	if err != nil {
		return err
	}
	var old annotate.ModelOutput
	for _, e := range ls.Episodes {
		old.Episodes = append(old.Episodes, e.Episode)
	}
	for _, n := range ls.Noise {
		old.Noise = append(old.Noise, n.Noise)
	}
	region.Kinds &^= annotate.KindBeats
	now := region.Replace(old, part)
	for _, name := range [][]byte{bucketEpisodes, bucketNoise} {
		if lb.Bucket(name) != nil {
			if err := lb.DeleteBucket(name); err != nil {
				return fmt.Errorf("store: model region: %w", err)
			}
		}
	}
	return applyDiff(lb, spanDiff(now))
}

// spanDiff is the diff that adds out's episodes and noise under IDs 1..n.
func spanDiff(out annotate.ModelOutput) annotate.Diff {
	var d annotate.Diff
	for i, e := range out.Episodes {
		d.Episodes = append(d.Episodes, annotate.EpisodeChange{ID: annotate.EpisodeID(i + 1),
			After: &annotate.EpisodeEntry{ID: annotate.EpisodeID(i + 1), Episode: e}})
	}
	for i, n := range out.Noise {
		d.Noise = append(d.Noise, annotate.NoiseChange{ID: annotate.NoiseID(i + 1),
			After: &annotate.NoiseEntry{ID: annotate.NoiseID(i + 1), Noise: n}})
	}
	return d
}

// SaveModelRegion replaces the labels region covers in the model layer of
// rec with out's, in one transaction with an audit entry. The rest of the
// layer and every reader's label set stay as they are.
func (db *DB) SaveModelRegion(rec annotate.RecordID, out annotate.ModelOutput, region annotate.ModelRegion, who string) error {
	return db.update(fmt.Sprintf("save model region [%d, %d) on %s", region.Start, region.End, rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if err := writeModelRegion(r.rb, out, region); err != nil {
			return err
		}
		_, err = appendAudit(r, AuditEntry{When: time.Now().UTC(), Who: who, Kind: "model region",
			Action: "save model region", Note: fmt.Sprintf("[%d, %d): %d beats, %d episodes, %d noise",
				region.Start, region.End, len(out.Beats), len(out.Episodes), len(out.Noise))})
		return err
	})
}
