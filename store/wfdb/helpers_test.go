package wfdb

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// ecgdata returns $ECGDATA/sub, skipping the test when it is not there.
func ecgdata(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("ECGDATA")
	if dir == "" {
		t.Skip("ECGDATA not set: set it to ../shared/data to run this test")
	}
	p := filepath.Join(dir, sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("ECGDATA has no %s: %v", sub, err)
	}
	return p
}

// readAll reads every frame of r at the frame rate.
func readAll(t testing.TB, r *Record) [][]int32 {
	t.Helper()
	info := r.Info()
	dst := make([][]int32, len(info.Leads))
	for i := range dst {
		dst[i] = make([]int32, info.NSamples)
	}
	n, err := r.Read(dst, 0)
	if err != nil || int64(n) != info.NSamples {
		t.Fatalf("Read all of %s: n=%d err=%v, want %d", info.Name, n, err, info.NSamples)
	}
	return dst
}

func fmtInt(v int64) string { return strconv.FormatInt(v, 10) }
