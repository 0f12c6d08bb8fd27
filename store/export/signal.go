package export

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// readChunk is how many samples per lead a cursor decodes at a time.
const readChunk = 1 << 16

// cursor reads a record's samples forward in chunks, so that the windows
// of beats in sample order are cut from a few large sequential reads.
type cursor struct {
	sig   annotate.Signal
	buf   [][]int32 // per file lead
	start int64     // sample number of buf[*][0]
	n     int       // valid samples in buf
}

func newCursor(sig annotate.Signal) *cursor {
	return &cursor{sig: sig, buf: make([][]int32, len(sig.Info().Leads))}
}

// span returns, per lead, the samples [a, b); the slices are valid until
// the next call. a must not go backwards by more than the buffer holds.
func (c *cursor) span(a, b int64) ([][]int32, error) {
	if a < c.start || b > c.start+int64(c.n) {
		if err := c.fill(a, b); err != nil {
			return nil, err
		}
	}
	out := make([][]int32, len(c.buf))
	for i := range c.buf {
		out[i] = c.buf[i][a-c.start : b-c.start]
	}
	return out, nil
}

// fill reads from a on, at least up to b.
func (c *cursor) fill(a, b int64) error {
	size := max(readChunk, int(b-a))
	for i := range c.buf {
		if cap(c.buf[i]) < size {
			c.buf[i] = make([]int32, size)
		}
		c.buf[i] = c.buf[i][:size]
	}
	got, err := annotate.ReadMarked(c.sig, c.buf, a)
	if err != nil {
		return fmt.Errorf("read samples at %d: %w", a, err)
	}
	if int64(got) < b-a {
		return fmt.Errorf("read samples at %d: record ends at %d, window needs up to %d: %w", a, a+int64(got), b, annotate.ErrOutOfRange)
	}
	c.start, c.n = a, got
	return nil
}
