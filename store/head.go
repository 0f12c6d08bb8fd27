package store

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// headV1 is the first byte of a head value.
const headV1 = 0x01

// head is what a commit needs to know of one reader's label set, kept in
// the audit bucket right after the record's newest entry, so that writing
// it dirties no page the audit append does not already dirty.
type head struct {
	Rev     uint64 // label-set revision: commits so far
	Folded  uint64 // audit seq up to which the reader's buckets hold every change
	Pending uint64 // this reader's journalled entries after Folded
	Undo    uint64 // undo stack depth
	Redo    uint64 // redo stack depth
	Status  annotate.Status
}

// headKey returns the key of reader's head: id (32 bytes) | 'h' | reader.
func (r recTx) headKey(reader annotate.ReaderID) []byte {
	return append(r.headPrefix(), reader...)
}

// headPrefix is the part all the record's head keys share.
func (r recTx) headPrefix() []byte { return append(bytes.Clone(r.key), 'h') }

// encodeHead writes a head value:
//
//	01 | rev uvarint | folded uvarint | pending uvarint | undo uvarint
//	   | redo uvarint | state u8 | by str | at time
func encodeHead(b []byte, h head) []byte {
	b = append(b, headV1)
	for _, v := range []uint64{h.Rev, h.Folded, h.Pending, h.Undo, h.Redo} {
		b = binary.AppendUvarint(b, v)
	}
	return appendStatus(b, h.Status)
}

func decodeHead(k, v []byte) (head, error) {
	r := reader{b: v}
	if r.byte() != headV1 && r.err == nil {
		return head{}, fmt.Errorf("%w: head %q: unknown format %#x", ErrDBCorrupt, k, v[0])
	}
	h := head{Rev: r.uvarint(), Folded: r.uvarint(), Pending: r.uvarint(), Undo: r.uvarint(), Redo: r.uvarint()}
	h.Status = r.status()
	return h, r.done("head", k)
}

// readHead returns the head of reader on the record; the zero head when
// the reader has no label set there.
func readHead(r recTx, reader annotate.ReaderID) (head, error) {
	k := r.headKey(reader)
	v := r.log.Get(k)
	if v == nil {
		return head{}, nil
	}
	return decodeHead(k, v)
}

func writeHead(r recTx, reader annotate.ReaderID, h head) error {
	return r.log.Put(r.headKey(reader), encodeHead(nil, h))
}

// heads calls fn with every reader's head on the record, by reader.
func heads(r recTx, fn func(annotate.ReaderID, head) error) error {
	c, p := r.log.Cursor(), r.headPrefix()
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		h, err := decodeHead(k, v)
		if err != nil {
			return err
		}
		if err := fn(annotate.ReaderID(k[len(p):]), h); err != nil {
			return err
		}
	}
	return nil
}

// moveStacks checks that a commit of kind fits the stack depths and moves
// them as annotate.MoveStacks moves the stacks themselves.
func (h *head) moveStacks(kind annotate.CommitKind) error {
	switch kind {
	case annotate.CommitDo:
		h.Undo, h.Redo = h.Undo+1, 0
	case annotate.CommitUndo:
		if h.Undo == 0 {
			return fmt.Errorf("undo: %w", annotate.ErrHistory)
		}
		h.Undo, h.Redo = h.Undo-1, h.Redo+1
	case annotate.CommitRedo:
		if h.Redo == 0 {
			return fmt.Errorf("redo: %w", annotate.ErrHistory)
		}
		h.Undo, h.Redo = h.Undo+1, h.Redo-1
	}
	return nil
}
