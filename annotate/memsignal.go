package annotate

// MemSignal is a Signal whose samples are held in memory: a short record
// read whole, or samples made by the synthetic generator or a test.
type MemSignal struct {
	Meta    RecordInfo
	Samples [][]int32 // one slice per lead, all of the same length
}

var _ Signal = (*MemSignal)(nil)

// Info returns the record's metadata.
func (m *MemSignal) Info() RecordInfo { return m.Meta }

// Read copies samples [start, start+len(dst[0])) of every lead into dst.
// Reading at the very end returns 0 samples; beyond it, ErrOutOfRange.
func (m *MemSignal) Read(dst [][]int32, start int64) (int, error) {
	if len(m.Samples) == 0 || start < 0 || start > int64(len(m.Samples[0])) {
		return 0, ErrOutOfRange
	}
	n := 0
	for i := range dst {
		n = copy(dst[i], m.Samples[i][start:])
	}
	return n, nil
}
