package wfdb

import (
	"path/filepath"
	"testing"
)

// writeGapRecord writes a two-lead record in the given format whose lead 0
// holds the format's invalid value in samples [gapA, gapB) and returns its path.
func writeGapRecord(t *testing.T, format int, gapA, gapB int) (string, [][]int32) {
	t.Helper()
	dir := t.TempDir()
	sig := randomSignal(2, 1000, 7)
	if format == 80 { // 8-bit: keep the walk within -127..127
		for _, l := range sig {
			for k, v := range l {
				l[k] = max(-127, min(127, v))
			}
		}
	}
	inv, _ := formatInfo(format).invalid()
	for k := gapA; k < gapB; k++ {
		sig[0][k] = inv
	}
	if err := WriteRecord(dir, "gap", testInfo(2), format, sig); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "gap"), sig
}

// TestReadPadsInvalid: the format's invalid value reads as the baseline
// through Read (what detectors and strips see, no -32768 spike) and as
// InvalidSample through ReadMarked (what dumps and exports see), wherever
// the read window starts.
func TestReadPadsInvalid(t *testing.T) {
	for _, format := range []int{212, 16, 80, 310, 311} {
		path, sig := writeGapRecord(t, format, 400, 460)
		r := mustOpen(t, path)
		base := r.Info().Leads[0].Baseline
		for _, start := range []int64{0, 399, 420} {
			dst := [][]int32{make([]int32, 300), make([]int32, 300)}
			if _, err := r.Read(dst, start); err != nil {
				t.Fatal(err)
			}
			marked := [][]int32{make([]int32, 300), make([]int32, 300)}
			if _, err := r.ReadMarked(marked, start); err != nil {
				t.Fatal(err)
			}
			for k := range dst[0] {
				s := start + int64(k)
				gap := s >= 400 && s < 460
				want, wantMarked := sig[0][s], sig[0][s]
				if gap {
					want, wantMarked = base, InvalidSample
				}
				if dst[0][k] != want || marked[0][k] != wantMarked || dst[1][k] != sig[1][s] {
					t.Fatalf("format %d sample %d: Read %d ReadMarked %d lead 1 %d, want %d %d %d",
						format, s, dst[0][k], marked[0][k], dst[1][k], want, wantMarked, sig[1][s])
				}
			}
		}
		r.Close()
	}
}
