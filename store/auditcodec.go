package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// auditV1 is the first byte of a binary audit entry (schema 3). Schema 2
// wrote JSON, whose first byte is '{'; decodeAudit reads both, so the
// migration never rewrites the append-only log.
const auditV1 = 0x01

// encodeAudit appends the binary form of a (its Seq is the key):
//
//	01 | kind str | who str | when time | action str | note str | why str
//	   | u8 0, or u8 1 and a diff
//
// kind and who come first so that a scan for one reader's entries reads
// only a few bytes of the others' (see auditWho).
func encodeAudit(b []byte, a AuditEntry) []byte {
	b = append(b, auditV1)
	b = appendString(b, a.Kind)
	b = appendString(b, a.Who)
	b = appendTime(b, a.When)
	b = appendString(b, string(a.Action))
	b = appendString(b, a.Note)
	b = appendString(b, a.Why)
	if a.Diff == nil {
		return append(b, 0)
	}
	return appendDiff(append(b, 1), *a.Diff)
}

// decodeAudit reads the audit entry stored under key k, binary or JSON.
func decodeAudit(k, v []byte) (AuditEntry, error) {
	seq, err := keySample(k)
	if err != nil {
		return AuditEntry{}, err
	}
	if len(v) > 0 && v[0] == '{' {
		var a AuditEntry
		if err := json.Unmarshal(v, &a); err != nil {
			return a, fmt.Errorf("%w: audit entry %x: %v", ErrDBCorrupt, k, err)
		}
		a.Seq = uint64(seq)
		return a, nil
	}
	r := reader{b: v}
	if r.byte() != auditV1 && r.err == nil {
		return AuditEntry{}, fmt.Errorf("%w: audit entry %x: unknown format %#x", ErrDBCorrupt, k, v[0])
	}
	a := AuditEntry{Seq: uint64(seq), Kind: r.string(), Who: r.string(), When: r.time()}
	a.Action, a.Note, a.Why = annotate.Action(r.string()), r.string(), r.string()
	if r.flag() {
		d := r.diff()
		a.Diff = &d
	}
	return a, r.done("audit entry", k)
}

// auditWho reads only the kind and who of an audit entry, binary or JSON.
func auditWho(k, v []byte) (kind, who string, err error) {
	if len(v) > 0 && v[0] == auditV1 {
		r := reader{b: v[1:]}
		kind, who = r.string(), r.string()
		if r.err != nil {
			return "", "", fmt.Errorf("%w: audit entry %x: %v", ErrDBCorrupt, k, r.err)
		}
		return kind, who, nil
	}
	a, err := decodeAudit(k, v)
	return a.Kind, a.Who, err
}

// appendTime writes a time: u8 0 for the zero time, else u8 1, Unix
// seconds (varint), nanoseconds (uvarint) and the zone offset in seconds
// (varint), so a time reads back as the same instant in the same offset.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	_, off := t.Zone()
	b = binary.AppendVarint(append(b, 1), t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(off))
}

// time reads a time written by appendTime. Like encoding/json, an offset
// that is the local zone's comes back in time.Local, offset 0 as UTC.
func (r *reader) time() time.Time {
	if !r.flag() {
		return time.Time{}
	}
	t := time.Unix(r.varint(), int64(r.uvarint())).UTC()
	off := int(r.varint())
	switch _, local := t.In(time.Local).Zone(); {
	case off == 0:
		return t
	case off == local:
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", off))
}

// appendDiff writes a diff: each list as a uvarint count and its changes,
// each change its key and two optional values (u8 0 absent, u8 1 and the
// value), then the status change (u8 0, or u8 1 and two statuses).
//
//	beats    n | n x (sample varint | opt beat value | opt beat value)
//	tombs    n | n x (sample varint | opt reader str | opt reader str)
//	episodes n | n x (id uvarint | opt episode value | opt episode value)
//	noise    n | n x (id uvarint | opt noise value | opt noise value)
//	status   opt (state u8 | by str | at time) x 2
func appendDiff(b []byte, d annotate.Diff) []byte {
	b = binary.AppendUvarint(b, uint64(len(d.Beats)))
	for _, c := range d.Beats {
		b = binary.AppendVarint(b, c.Sample)
		b = appendOpt(b, c.Before, encodeBeat)
		b = appendOpt(b, c.After, encodeBeat)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Tombs)))
	for _, c := range d.Tombs {
		b = binary.AppendVarint(b, c.Sample)
		b = appendOpt(b, c.Before, func(b []byte, t annotate.Tomb) []byte { return appendString(b, string(t.By)) })
		b = appendOpt(b, c.After, func(b []byte, t annotate.Tomb) []byte { return appendString(b, string(t.By)) })
	}
	b = binary.AppendUvarint(b, uint64(len(d.Episodes)))
	for _, c := range d.Episodes {
		b = binary.AppendUvarint(b, uint64(c.ID))
		b = appendOpt(b, c.Before, encodeEpisode)
		b = appendOpt(b, c.After, encodeEpisode)
	}
	b = binary.AppendUvarint(b, uint64(len(d.Noise)))
	for _, c := range d.Noise {
		b = binary.AppendUvarint(b, uint64(c.ID))
		b = appendOpt(b, c.Before, encodeNoise)
		b = appendOpt(b, c.After, encodeNoise)
	}
	if d.Status == nil {
		return append(b, 0)
	}
	b = appendStatus(append(b, 1), d.Status.Before)
	return appendStatus(b, d.Status.After)
}

func appendOpt[T any](b []byte, v *T, enc func([]byte, T) []byte) []byte {
	if v == nil {
		return append(b, 0)
	}
	return enc(append(b, 1), *v)
}

func appendStatus(b []byte, s annotate.Status) []byte {
	b = append(b, byte(s.State))
	b = appendString(b, string(s.By))
	return appendTime(b, s.At)
}

func (r *reader) status() annotate.Status {
	return annotate.Status{State: annotate.State(r.byte()), By: annotate.ReaderID(r.string()), At: r.time()}
}

// count reads a list length, refusing one longer than the bytes left (each
// element takes at least one byte), so a bad length cannot allocate much.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = errShort
		return 0
	}
	return int(n)
}

// diff reads a diff written by appendDiff.
func (r *reader) diff() annotate.Diff {
	var d annotate.Diff
	for n := r.count(); n > 0 && r.err == nil; n-- {
		s := r.varint()
		c := annotate.BeatChange{Sample: s}
		c.Before = readOpt(r, func() annotate.Beat { return r.beat(s) })
		c.After = readOpt(r, func() annotate.Beat { return r.beat(s) })
		d.Beats = append(d.Beats, c)
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		s := r.varint()
		tomb := func() annotate.Tomb { return annotate.Tomb{Sample: s, By: annotate.ReaderID(r.string())} }
		d.Tombs = append(d.Tombs, annotate.TombChange{Sample: s, Before: readOpt(r, tomb), After: readOpt(r, tomb)})
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		id := annotate.EpisodeID(r.uvarint())
		ep := func() annotate.EpisodeEntry { return r.episode(id) }
		d.Episodes = append(d.Episodes, annotate.EpisodeChange{ID: id, Before: readOpt(r, ep), After: readOpt(r, ep)})
	}
	for n := r.count(); n > 0 && r.err == nil; n-- {
		id := annotate.NoiseID(r.uvarint())
		no := func() annotate.NoiseEntry { return r.noise(id) }
		d.Noise = append(d.Noise, annotate.NoiseChange{ID: id, Before: readOpt(r, no), After: readOpt(r, no)})
	}
	if r.flag() {
		d.Status = &annotate.StatusChange{Before: r.status(), After: r.status()}
	}
	return d
}

// flag reads a u8 that must be 0 or 1.
func (r *reader) flag() bool {
	switch b := r.byte(); {
	case r.err != nil:
		return false
	case b > 1:
		r.err = fmt.Errorf("flag byte %#x, want 0 or 1", b)
		return false
	default:
		return b == 1
	}
}

func readOpt[T any](r *reader, dec func() T) *T {
	if !r.flag() {
		return nil
	}
	v := dec()
	return &v
}
