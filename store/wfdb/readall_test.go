package wfdb

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
)

// TestReadAll writes a short two-lead record and reads it whole, digital
// and physical ((value - baseline) / gain, per lead), and checks the
// errors for a missing record.
func TestReadAll(t *testing.T) {
	dir := t.TempDir()
	info := testInfo(2)
	sig := randomSignal(2, 1000, 7)
	writeChunks(t, dir, "r", info, 16, sig, []int{300})
	path := filepath.Join(dir, "r")
	dig, got, err := ReadAll(path)
	if err != nil {
		t.Fatal(err)
	}
	checkInfo(t, got, info, 1000)
	for i := range sig {
		if !slices.Equal(dig[i], sig[i]) {
			t.Fatalf("lead %d: digital samples differ", i)
		}
	}
	mv, _, err := ReadPhysical(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range info.Leads {
		for k, d := range sig[i] {
			if want := float64(d-l.Baseline) / l.Gain; mv[i][k] != want {
				t.Fatalf("lead %d sample %d: %v mV, want %v", i, k, mv[i][k], want)
			}
		}
	}
	if _, _, err := ReadPhysical(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing record: %v, want a not-exist error", err)
	}
}
