package wfdb

import (
	"strconv"
	"testing"
)

// readAll reads every frame of r at the frame rate, missing samples as
// InvalidSample (ReadMarked: what getvec gives).
func readAll(t testing.TB, r *Record) [][]int32 {
	t.Helper()
	info := r.Info()
	dst := make([][]int32, len(info.Leads))
	for i := range dst {
		dst[i] = make([]int32, info.NSamples)
	}
	n, err := r.ReadMarked(dst, 0)
	if err != nil || int64(n) != info.NSamples {
		t.Fatalf("Read all of %s: n=%d err=%v, want %d", info.Name, n, err, info.NSamples)
	}
	return dst
}

func fmtInt(v int64) string { return strconv.FormatInt(v, 10) }
