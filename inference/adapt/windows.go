package adapt

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// windowChunk is how many samples CutWindows reads at a time (about 70 min
// at 250 Hz): a 14-day record is never held whole.
const windowChunk = 1 << 20

// CutWindows returns the beat windows Input.Windows takes: for each beat,
// the samples [Sample-pre, Sample+post) of lead, in ADC units, row after
// row (len(beats) × (pre+post)). Positions before the record's start or
// after its end repeat the first or last sample. beats must be sorted by
// Sample; sig is read in chunks.
func CutWindows(sig annotate.Signal, lead int, beats []annotate.Beat, pre, post int) ([]float32, error) {
	info := sig.Info()
	switch {
	case lead < 0 || lead >= len(info.Leads):
		return nil, fmt.Errorf("adapt: lead %d of a record with %d leads", lead, len(info.Leads))
	case pre < 0 || post <= 0:
		return nil, fmt.Errorf("adapt: window %d samples before and %d after the R peak", pre, post)
	case info.NSamples <= 0:
		return nil, fmt.Errorf("adapt: the record has no samples")
	}
	c := chunkReader{sig: sig, lead: lead, total: info.NSamples, buf: make([][]int32, len(info.Leads))}
	out := make([]float32, 0, len(beats)*(pre+post))
	for _, b := range beats {
		lo, hi := b.Sample-int64(pre), b.Sample+int64(post)
		if err := c.cover(max(lo, 0), min(hi, c.total)); err != nil {
			return nil, err
		}
		for s := lo; s < hi; s++ {
			out = append(out, float32(c.at(min(max(s, 0), c.total-1))))
		}
	}
	return out, nil
}

// chunkReader holds one chunk of a record: samples [start, start+n).
type chunkReader struct {
	sig         annotate.Signal
	lead        int
	total       int64
	buf         [][]int32
	start, n    int64
	initialised bool
}

// cover makes the chunk hold [lo, hi), reading from lo when it does not.
func (c *chunkReader) cover(lo, hi int64) error {
	if c.initialised && lo >= c.start && hi <= c.start+c.n {
		return nil
	}
	size := max(windowChunk, hi-lo)
	for l := range c.buf {
		if int64(cap(c.buf[l])) < size {
			c.buf[l] = make([]int32, size)
		}
		c.buf[l] = c.buf[l][:min(size, c.total-lo)]
	}
	n, err := c.sig.Read(c.buf, lo)
	if err != nil {
		return fmt.Errorf("adapt: reading samples from %d: %w", lo, err)
	}
	c.start, c.n, c.initialised = lo, int64(n), true
	if lo+c.n < hi {
		return fmt.Errorf("adapt: the record ends at sample %d, before %d", lo+c.n, hi)
	}
	return nil
}

// at returns sample s of the lead; the chunk holds it.
func (c *chunkReader) at(s int64) int32 { return c.buf[c.lead][s-c.start] }
