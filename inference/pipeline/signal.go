package pipeline

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// view is an annotate.Signal over samples held in memory: data[l][i] is
// sample off+i of lead l of the record; its own sample 0 is the record's
// sample off.
type view struct {
	info annotate.RecordInfo
	data [][]int32
	off  int64
}

func newView(info annotate.RecordInfo, data [][]int32, off int64) *view {
	info.NSamples = int64(len(data[0]))
	return &view{info: info, data: data, off: off}
}

// Info implements annotate.Signal.
func (v *view) Info() annotate.RecordInfo { return v.info }

// Read implements annotate.Signal.
func (v *view) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start > v.info.NSamples {
		return 0, fmt.Errorf("pipeline: read sample %d of %s (from %d): %w", start, v.info.Name, v.off, annotate.ErrOutOfRange)
	}
	n := 0
	for l := range dst {
		n = copy(dst[l], v.data[l][start:])
	}
	return n, nil
}

// sub returns the view of samples [a, b) of the record, which v must hold.
func (v *view) sub(a, b int64) *view {
	d := make([][]int32, len(v.data))
	for l := range d {
		d[l] = v.data[l][a-v.off : b-v.off]
	}
	return newView(v.info, d, a)
}
