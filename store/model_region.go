package store

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// writeModelRegion replaces the labels region covers in the model layer of
// record bucket rb with those of out (annotate.ModelRegion.Replace), and
// moves the layer's revision. Only the beat blocks that hold beats of the
// region are rewritten, so a chunk of a few hundred beats costs a few
// blocks, not the whole layer; of the episodes and noise buckets only
// the entries the region touches are deleted and added (replaceSpans), so
// their IDs may have gaps (store/doc.go).
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
	switch {
	case region.Kinds&annotate.KindBeats != 0:
		if err := spliceBlocks(lb, part.Beats, region.Start, region.End); err != nil {
			return err
		}
	case region.Kinds&annotate.KindRelabel != 0:
		bb, err := lb.CreateBucketIfNotExists(bucketBlocks)
		if err != nil {
			return err
		}
		if err := relabelBlocks(bb, region.Clip(out).Beats); err != nil {
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

// relabelBlocks relabels the beats of bb at the samples of beats
// (annotate.RelabelBeats): only the blocks that hold one are rewritten,
// each once, with the same beats, so their keys stay.
func relabelBlocks(bb *bolt.Bucket, beats []annotate.Beat) error {
	beats = slices.Clone(beats) // stable: of two at one sample the later wins, as in RelabelBeats
	slices.SortStableFunc(beats, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	for i := 0; i < len(beats); {
		blk, keys, err := blocksOver(bb, beats[i].Sample, beats[i].Sample+1)
		if err != nil {
			return err
		}
		if len(blk) == 0 { // before the first block (or no blocks): no beat there
			i++
			continue
		}
		j := i + 1 // beats i..j-1 fall in the blocks read
		for j < len(beats) && beats[j].Sample <= blk[len(blk)-1].Sample {
			j++
		}
		if blk[len(blk)-1].Sample < beats[i].Sample { // after the last block's last beat
			i = j
			continue
		}
		for _, k := range keys {
			if err := bb.Delete(k); err != nil {
				return err
			}
		}
		if err := writeBlocks(bb, annotate.RelabelBeats(blk, beats[i:j])); err != nil {
			return err
		}
		i = j
	}
	return nil
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

// replaceSpans replaces lb's episodes and noise as region.Replace says:
// those starting in the region are deleted and part's are added after the
// rest, under the IDs after the largest in use, so the layer reads back in
// Replace's order. Only each value's start is decoded to find the
// region's, and nothing else is written: a pipeline chunk costs its own
// labels, not a rewrite of every noise stretch of a 14-day record.
func replaceSpans(lb *bolt.Bucket, part annotate.ModelOutput, region annotate.ModelRegion) error {
	if region.Kinds&annotate.KindEpisodes != 0 {
		vals := make([][]byte, len(part.Episodes))
		for i, e := range part.Episodes {
			vals[i] = encodeEpisode(nil, annotate.EpisodeEntry{Episode: e})
		}
		if err := replaceIn(lb, bucketEpisodes, region, vals); err != nil {
			return err
		}
	}
	if region.Kinds&annotate.KindNoise != 0 {
		vals := make([][]byte, len(part.Noise))
		for i, n := range part.Noise {
			vals[i] = encodeNoise(nil, annotate.NoiseEntry{Noise: n})
		}
		return replaceIn(lb, bucketNoise, region, vals)
	}
	return nil
}

// replaceIn deletes the values of lb's bucket name (episodes or noise,
// keyed by ID, each value starting with its start as a varint) whose start
// lies in region, and puts vals under the IDs after the largest in use.
func replaceIn(lb *bolt.Bucket, name []byte, region annotate.ModelRegion, vals [][]byte) error {
	b, err := lb.CreateBucketIfNotExists(name)
	if err != nil {
		return fmt.Errorf("store: model region: %w", err)
	}
	var gone [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		start, n := binary.Varint(v)
		if n <= 0 {
			return fmt.Errorf("%w: model %s value %x has no start", ErrDBCorrupt, name, k)
		}
		if region.Start <= start && start < region.End {
			gone = append(gone, append([]byte(nil), k...))
		}
	}
	next := uint64(1)
	if k, _ := c.Last(); k != nil {
		next = binary.BigEndian.Uint64(k) + 1
	}
	for _, k := range gone {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for i, v := range vals {
		if err := b.Put(u64(next+uint64(i)), v); err != nil {
			return err
		}
	}
	return nil
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
