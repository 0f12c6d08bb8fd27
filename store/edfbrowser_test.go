package store

import (
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// TestEDFBrowserBeats reads MIT-BIH record 100 as EDFbrowser's MIT-to-EDF+
// converter wrote it, with beat labels as long names ("normal beat"), and
// checks every beat against the reference 100.atr: same sample, same code
// (2,239 N, 33 A, 1 V; 33 S in AAMI classes).
func TestEDFBrowserBeats(t *testing.T) {
	edfDir := ecgdata.Dir(t, "edfbrowser", "mitdb-100.edf")
	mit := ecgdata.Dir(t, "mitdb", "100.atr")
	got := loadRef(t, filepath.Join(edfDir, "mitdb-100.edf"))
	want := loadRef(t, filepath.Join(mit, "100"))
	var wantBeats []annotate.Beat
	for _, b := range want.Beats {
		if b.Code.IsBeat() {
			wantBeats = append(wantBeats, b)
		}
	}
	if len(got.Beats) != len(wantBeats) {
		t.Fatalf("%d beats from EDF+, %d in 100.atr", len(got.Beats), len(wantBeats))
	}
	counts := map[annotate.Code]int{}
	for i, b := range got.Beats {
		w := wantBeats[i]
		if b.Sample != w.Sample || b.Code != w.Code {
			t.Errorf("beat %d: %v@%d, 100.atr has %v@%d", i, b.Code, b.Sample, w.Code, w.Sample)
		}
		counts[b.Code]++
	}
	if counts[annotate.Normal] != 2239 || counts[annotate.APC] != 33 || counts[annotate.PVC] != 1 {
		t.Errorf("counts %v, want 2239 N, 33 A, 1 V", counts)
	}
}

func loadRef(t *testing.T, path string) *Recording {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.LoadReference(); err != nil {
		t.Fatal(err)
	}
	return r
}
