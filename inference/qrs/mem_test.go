package qrs_test

import "github.com/ecgstation/ecgstation/annotate"

// memSignal is an in-memory annotate.Signal.
type memSignal struct {
	info annotate.RecordInfo
	x    [][]int32
}

func (m *memSignal) Info() annotate.RecordInfo { return m.info }

func (m *memSignal) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start > int64(len(m.x[0])) {
		return 0, annotate.ErrOutOfRange
	}
	n := 0
	for i := range dst {
		n = copy(dst[i], m.x[i][start:])
	}
	return n, nil
}
