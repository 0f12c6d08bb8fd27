package wfdb

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// MaxReadAll bounds the samples per signal ReadAll takes into memory
// (2^26, about 62 hours at 300 Hz): it is for short records such as the
// noise stress records, not for Holter recordings, which are read in
// windows.
const MaxReadAll = 1 << 26

// ReadAll reads the whole of the short record at path into memory: its
// digital samples per signal, and what it is.
func ReadAll(path string) ([][]int32, annotate.RecordInfo, error) {
	rec, err := Open(path)
	if err != nil {
		return nil, annotate.RecordInfo{}, err
	}
	defer rec.Close()
	info := rec.Info()
	if info.NSamples <= 0 || info.NSamples > MaxReadAll {
		return nil, info, fmt.Errorf("wfdb: read %s: %d samples: need a known length up to %d", path, info.NSamples, MaxReadAll)
	}
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, info.NSamples)
	}
	n, err := rec.Read(buf, 0)
	if err != nil {
		return nil, info, fmt.Errorf("wfdb: read %s: %w", path, err)
	}
	for i := range buf {
		buf[i] = buf[i][:n]
	}
	return buf, info, nil
}

// ReadPhysical reads the whole of the short record at path as ReadAll
// does, in physical units (mV for ECG leads) per signal.
func ReadPhysical(path string) ([][]float64, annotate.RecordInfo, error) {
	dig, info, err := ReadAll(path)
	if err != nil {
		return nil, info, err
	}
	out := make([][]float64, len(dig))
	for i, l := range info.Leads {
		out[i] = make([]float64, len(dig[i]))
		for k, d := range dig[i] {
			out[i][k] = l.Physical(d)
		}
	}
	return out, info, nil
}
