package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// errShort is the cause when a stored value ends early.
var errShort = errors.New("value ends early")

// sampleKey returns the 8-byte big-endian key of a sample position (>= 0),
// so bbolt's byte order is sample order and Cursor.Seek finds a time.
func sampleKey(s int64) []byte { return u64(uint64(s)) }

// keySample decodes a sampleKey.
func keySample(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("%w: key is %d bytes, want 8", ErrDBCorrupt, len(k))
	}
	return int64(binary.BigEndian.Uint64(k)), nil
}

// appendProv writes a provenance: source u8, confidence f32 LE, who
// (uvarint length + bytes), probs (uvarint count + f32 LE each).
func appendProv(b []byte, p annotate.Provenance) []byte {
	b = append(b, byte(p.Source))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(p.Confidence))
	b = appendString(b, p.Who)
	b = binary.AppendUvarint(b, uint64(len(p.Probs)))
	for _, f := range p.Probs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// reader decodes a value, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) byte() byte {
	if len(r.b) < 1 {
		r.err = errShort
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) f32() float32 {
	if len(r.b) < 4 {
		r.err = errShort
		return 0
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(r.b))
	r.b = r.b[4:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < n {
		r.err = errShort
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) prov() annotate.Provenance {
	p := annotate.Provenance{Source: annotate.Source(r.byte()), Confidence: r.f32(), Who: r.string()}
	n := r.uvarint()
	if r.err != nil || uint64(len(r.b)) < 4*n {
		r.err = errShort
		return p
	}
	if n > 0 {
		p.Probs = make([]float32, n)
		for i := range p.Probs {
			p.Probs[i] = r.f32()
		}
	}
	return p
}

// done returns the decode error, wrapped with what and where.
func (r *reader) done(what string, key []byte) error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%d bytes left over", len(r.b))
	}
	if r.err != nil {
		return fmt.Errorf("%w: %s at key %x: %v", ErrDBCorrupt, what, key, r.err)
	}
	return nil
}

// encodeBeat writes a beat value (the sample is the key): code u8, chan
// i8, flags u8, review u8, then the provenance.
func encodeBeat(b []byte, bt annotate.Beat) []byte {
	b = append(b, byte(bt.Code), byte(bt.Chan), byte(bt.Flags), byte(bt.Review))
	return appendProv(b, bt.Prov)
}

// decodeBeat reads a beat stored under key k.
func decodeBeat(k, v []byte) (annotate.Beat, error) {
	s, err := keySample(k)
	if err != nil {
		return annotate.Beat{}, err
	}
	r := reader{b: v}
	bt := r.beat(s)
	return bt, r.done("beat", k)
}

// beat reads a beat value (see encodeBeat) of the beat at sample s.
func (r *reader) beat(s int64) annotate.Beat {
	bt := annotate.Beat{Sample: s, Code: annotate.Code(r.byte()), Chan: int8(r.byte()),
		Flags: annotate.BeatFlags(r.byte()), Review: annotate.Review(r.byte())}
	bt.Prov = r.prov()
	return bt
}

// encodeEpisode writes an episode entry value (the ID is the key): start
// and end (varint), deleted u8, review u8, rhythm, provenance.
func encodeEpisode(b []byte, e annotate.EpisodeEntry) []byte {
	b = binary.AppendVarint(b, e.Start)
	b = binary.AppendVarint(b, e.End)
	b = append(b, b2u8(e.Deleted), byte(e.Review))
	b = appendString(b, e.Rhythm)
	return appendProv(b, e.Prov)
}

func decodeEpisode(k, v []byte) (annotate.EpisodeEntry, error) {
	id, err := keySample(k)
	if err != nil {
		return annotate.EpisodeEntry{}, err
	}
	r := reader{b: v}
	e := r.episode(annotate.EpisodeID(id))
	return e, r.done("episode", k)
}

// episode reads an episode value (see encodeEpisode) of episode id.
func (r *reader) episode(id annotate.EpisodeID) annotate.EpisodeEntry {
	e := annotate.EpisodeEntry{ID: id}
	e.Start, e.End = r.varint(), r.varint()
	e.Deleted, e.Review = r.byte() != 0, annotate.Review(r.byte())
	e.Rhythm = r.string()
	e.Prov = r.prov()
	return e
}

// encodeNoise writes a noise entry value (the ID is the key): start, end,
// lead (varint), deleted u8, reason, provenance.
func encodeNoise(b []byte, n annotate.NoiseEntry) []byte {
	b = binary.AppendVarint(b, n.Start)
	b = binary.AppendVarint(b, n.End)
	b = binary.AppendVarint(b, int64(n.Lead))
	b = append(b, b2u8(n.Deleted))
	b = appendString(b, n.Reason)
	return appendProv(b, n.Prov)
}

func decodeNoise(k, v []byte) (annotate.NoiseEntry, error) {
	id, err := keySample(k)
	if err != nil {
		return annotate.NoiseEntry{}, err
	}
	r := reader{b: v}
	n := r.noise(annotate.NoiseID(id))
	return n, r.done("noise", k)
}

// noise reads a noise value (see encodeNoise) of noise stretch id.
func (r *reader) noise(id annotate.NoiseID) annotate.NoiseEntry {
	n := annotate.NoiseEntry{ID: id}
	n.Start, n.End, n.Lead = r.varint(), r.varint(), int(r.varint())
	n.Deleted = r.byte() != 0
	n.Reason = r.string()
	n.Prov = r.prov()
	return n
}

func b2u8(b bool) byte {
	if b {
		return 1
	}
	return 0
}
