package store

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// The model layer's beats are written whole, 100,000 a day, and never
// edited one by one, so they are stored in blocks of up to blockBeats beats
// under the sample of the block's first beat: a bulk save is a few hundred
// Puts of sequential keys instead of one per beat, and the file holds about
// half the bytes.
const (
	blockBeats = 512
	blockV1    = 0x01
)

// bucketBlocks is the model layer's bucket of beat blocks (schema 3).
var bucketBlocks = []byte("blocks")

// appendBlock writes a block of beats sorted by sample, the first at the
// block's key sample:
//
//	01 | n uvarint | who table: m uvarint, m x str
//	   | n x (delta uvarint | code u8 | chan i8 | flags u8 | review u8
//	          | source u8 | confidence f32 | who index uvarint
//	          | probs: k uvarint, k x f32)
//
// where delta is the sample minus the previous beat's (the first beat's
// delta is 0) and who index points into the who table.
func appendBlock(b []byte, beats []annotate.Beat, whos []string) []byte {
	whos = whos[:0]
	for _, bt := range beats {
		if !slices.Contains(whos, bt.Prov.Who) {
			whos = append(whos, bt.Prov.Who)
		}
	}
	b = binary.AppendUvarint(append(b, blockV1), uint64(len(beats)))
	b = binary.AppendUvarint(b, uint64(len(whos)))
	for _, w := range whos {
		b = appendString(b, w)
	}
	prev := beats[0].Sample
	for _, bt := range beats {
		b = binary.AppendUvarint(b, uint64(bt.Sample-prev))
		prev = bt.Sample
		p := bt.Prov
		b = append(b, byte(bt.Code), byte(bt.Chan), byte(bt.Flags), byte(bt.Review), byte(p.Source))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(p.Confidence))
		b = binary.AppendUvarint(b, uint64(slices.Index(whos, p.Who)))
		b = binary.AppendUvarint(b, uint64(len(p.Probs)))
		for _, f := range p.Probs {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
		}
	}
	return b
}

// decodeBlock appends the beats of the block stored under key k to dst.
// The beats' probabilities share one slice per block.
func decodeBlock(dst []annotate.Beat, k, v []byte) ([]annotate.Beat, error) {
	s, err := keySample(k)
	if err != nil {
		return dst, err
	}
	r := reader{b: v}
	if r.byte() != blockV1 && r.err == nil {
		return dst, fmt.Errorf("%w: beat block at key %x: unknown format %#x", ErrDBCorrupt, k, v[0])
	}
	n := r.count()
	whos := make([]string, r.count())
	for i := range whos {
		whos[i] = r.string()
	}
	var probs []float32
	for i := 0; i < n && r.err == nil; i++ {
		s += int64(r.uvarint())
		bt := annotate.Beat{Sample: s, Code: annotate.Code(r.byte()), Chan: int8(r.byte()),
			Flags: annotate.BeatFlags(r.byte()), Review: annotate.Review(r.byte())}
		bt.Prov.Source, bt.Prov.Confidence = annotate.Source(r.byte()), r.f32()
		if w := r.uvarint(); w < uint64(len(whos)) {
			bt.Prov.Who = whos[w]
		} else if r.err == nil {
			r.err = fmt.Errorf("who index %d of %d", w, len(whos))
		}
		bt.Prov.Probs, probs = r.probs(probs)
		dst = append(dst, bt)
	}
	return dst, r.done("beat block", k)
}

// probs reads a probability list into the spare capacity of arena (growing
// it a block's worth at a time) and returns it and the arena.
func (r *reader) probs(arena []float32) ([]float32, []float32) {
	k := r.uvarint()
	if r.err != nil || k > uint64(len(r.b))/4 {
		r.err = errShort
		return nil, arena
	}
	if k == 0 {
		return nil, arena
	}
	if cap(arena)-len(arena) < int(k) {
		arena = make([]float32, 0, max(int(k), 8*blockBeats))
	}
	start := len(arena)
	for range k {
		arena = append(arena, r.f32())
	}
	return arena[start:len(arena):len(arena)], arena
}

// putBlocks writes beats (any order; the last of equal samples wins) as
// blocks into a new blocks bucket of lb, packing its pages full: the keys
// come in order. The values share one arena, which bbolt reads at commit.
func putBlocks(lb *bolt.Bucket, beats []annotate.Beat) error {
	bb, err := lb.CreateBucket(bucketBlocks)
	if err != nil {
		return err
	}
	bb.FillPercent = 1
	return writeBlocks(bb, beats)
}

// writeBlocks puts beats (any order; the last of equal samples wins) into
// blocks bucket bb as blocks of up to blockBeats beats, each under the
// sample of its first beat. The caller makes sure no block already in bb
// holds beats among them.
func writeBlocks(bb *bolt.Bucket, beats []annotate.Beat) error {
	beats = sortUnique(beats)
	if len(beats) > 0 && beats[0].Sample < 0 {
		return fmt.Errorf("model beat at sample %d: %w", beats[0].Sample, annotate.ErrBadSample)
	}
	arena := make([]byte, 0, 48*len(beats)+64)
	keys := make([]byte, 0, 8*(len(beats)/blockBeats+1))
	var whos []string
	for i := 0; i < len(beats); i += blockBeats {
		blk := beats[i:min(i+blockBeats, len(beats))]
		k0, v0 := len(keys), len(arena)
		keys = binary.BigEndian.AppendUint64(keys, uint64(blk[0].Sample))
		arena = appendBlock(arena, blk, whos)
		if err := bb.Put(keys[k0:len(keys):len(keys)], arena[v0:len(arena):len(arena)]); err != nil {
			return err
		}
	}
	return nil
}

// sortUnique returns beats sorted by sample with the last of equal samples
// kept; it copies only when beats are not already strictly in order.
func sortUnique(beats []annotate.Beat) []annotate.Beat {
	strict := true
	for i := 1; i < len(beats) && strict; i++ {
		strict = beats[i-1].Sample < beats[i].Sample
	}
	if strict {
		return beats
	}
	s := slices.Clone(beats)
	slices.SortStableFunc(s, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	out := s[:0]
	for _, b := range s {
		if n := len(out); n > 0 && out[n-1].Sample == b.Sample {
			out[n-1] = b
			continue
		}
		out = append(out, b)
	}
	return out
}

// readBlocks appends the model beats with from <= Sample < to to dst,
// stopping after the block in which dst reaches limit beats.
func readBlocks(dst []annotate.Beat, bb *bolt.Bucket, from, to int64, limit int) ([]annotate.Beat, error) {
	c := bb.Cursor()
	k, v := c.Seek(sampleKey(max(from, 0)))
	switch {
	case k == nil:
		k, v = c.Last() // the last block may hold from
	case int64(binary.BigEndian.Uint64(k)) > from:
		if k, v = c.Prev(); k == nil {
			k, v = c.First()
		}
	}
	var blk []annotate.Beat
	for ; k != nil && len(dst) < limit; k, v = c.Next() {
		var err error
		if blk, err = decodeBlock(blk[:0], k, v); err != nil {
			return dst, err
		}
		for _, bt := range blk {
			if bt.Sample >= to {
				return dst, nil
			}
			if bt.Sample >= from {
				dst = append(dst, bt)
			}
		}
	}
	return dst, nil
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
	if err := putBlocks(lb, out.Beats); err != nil {
		return err
	}
	if err := applyDiff(lb, spanDiff(out)); err != nil {
		return err
	}
	m.Rev++
	return writeLayerMeta(lb, m)
}
