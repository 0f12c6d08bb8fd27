package qrs

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// chunkLen is the number of samples per lead Detect reads at a time.
const chunkLen = 1 << 16

// Detect finds the QRS complexes of a whole record, reading it in chunks
// so that only O(chunkLen) samples are in memory at a time.
func Detect(sig annotate.Signal, o Options) ([]annotate.Beat, error) {
	info := sig.Info()
	d, err := New(info, o)
	if err != nil {
		return nil, err
	}
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, chunkLen)
	}
	var beats []annotate.Beat
	for start := int64(0); info.NSamples <= 0 || start < info.NSamples; {
		n, err := sig.Read(buf, start)
		if err != nil {
			return nil, fmt.Errorf("detect %s at sample %d: %w", info.Name, start, err)
		}
		if n == 0 {
			break
		}
		beats = append(beats, d.Push(buf, n)...)
		start += int64(n)
	}
	return append(beats, d.Flush()...), nil
}
