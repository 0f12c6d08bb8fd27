package export

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// edfExport imports the MIT-BIH reference labels of recs into a new
// database and exports them with --format edf; it returns the database
// and the output folder.
func edfExport(t *testing.T, recs ...string) (*store.DB, string, string) {
	t.Helper()
	data := ecgdata.Dir(t, "mitdb", recs[0]+".hea")
	dir := t.TempDir()
	db := openDB(t, dir)
	for _, r := range recs {
		if _, err := ImportAnnotations(db, filepath.Join(data, r), "atr", "mitdb", testNow); err != nil {
			t.Fatal(err)
		}
	}
	return db, data, exportEDF(t, db, dir)
}

// exportEDF exports db with --format edf into dir/ds and returns that folder.
func exportEDF(t *testing.T, db *store.DB, dir string) string {
	t.Helper()
	o := DefaultOptions()
	o.Formats = []string{"edf"}
	out := filepath.Join(dir, "ds")
	if _, err := Export(db, out, o); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEDFRoundTrip exports MIT-BIH records as EDF+ and reads the files back
// with our own reader: the same digital samples (then the baseline padding
// of the last second), physical values equal to 1e-9 mV, and every beat and
// rhythm episode of the label set at the same sample with the same label.
func TestEDFRoundTrip(t *testing.T) {
	recs := []string{"100", "203"}
	if testing.Short() {
		recs = recs[:1]
	}
	db, data, out := edfExport(t, recs...)
	for _, r := range recs {
		orig := openRec(t, filepath.Join(data, r))
		got := openRec(t, filepath.Join(out, r+".edf"))
		compareSignals(t, r, orig.Signal, got.Signal)
		id, err := store.HashRecord(filepath.Join(data, r))
		if err != nil {
			t.Fatal(err)
		}
		ls, _, err := db.Labels(id, "mitdb")
		if err != nil {
			t.Fatal(err)
		}
		compareBeats(t, r, ls.Beats, got.Beats)
		var eps []string
		for _, e := range ls.Episodes {
			if !e.Deleted {
				eps = append(eps, fmt.Sprintf("%d-%d %s", e.Start, e.End, e.Rhythm))
			}
		}
		var gotEps []string
		for _, e := range got.Episodes {
			gotEps = append(gotEps, fmt.Sprintf("%d-%d %s", e.Start, e.End, e.Rhythm))
		}
		if r == "203" && len(eps) == 0 {
			t.Errorf("record 203: no rhythm episodes imported, nothing to compare")
		}
		if fmt.Sprint(eps) != fmt.Sprint(gotEps) {
			t.Errorf("record %s: episodes\n%v\nread back as\n%v", r, eps, gotEps)
		}
	}
}

func openRec(t *testing.T, path string) *store.Recording {
	t.Helper()
	r, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.LoadReference(); err != nil {
		t.Fatal(err)
	}
	return r
}

func compareSignals(t *testing.T, name string, a, b annotate.Signal) {
	t.Helper()
	ia, ib := a.Info(), b.Info()
	pad := int64(ia.Fs) - ia.NSamples%int64(ia.Fs)
	if ib.Fs != ia.Fs || len(ib.Leads) != len(ia.Leads) || ib.NSamples != ia.NSamples+pad%int64(ia.Fs) {
		t.Fatalf("record %s: EDF+ has %d leads, %d samples at %g Hz; want %d leads, %d (+%d padding) at %g Hz",
			name, len(ib.Leads), ib.NSamples, ib.Fs, len(ia.Leads), ia.NSamples, pad, ia.Fs)
	}
	da, db := readAll(t, a, ib.NSamples), readAll(t, b, ib.NSamples)
	for l := range ia.Leads {
		for i := range ib.NSamples {
			want := ia.Leads[l].Baseline
			if i < ia.NSamples {
				want = da[l][i]
			}
			pa, pb := ia.Leads[l].Physical(want), ib.Leads[l].Physical(db[l][i])
			if db[l][i] != want || math.Abs(pa-pb) > 1e-9 {
				t.Fatalf("record %s lead %d sample %d: %d (%g %s) read back as %d (%g %s)",
					name, l, i, want, pa, ia.Leads[l].Units, db[l][i], pb, ib.Leads[l].Units)
			}
		}
	}
}

func readAll(t *testing.T, s annotate.Signal, n int64) [][]int32 {
	t.Helper()
	dst := make([][]int32, len(s.Info().Leads))
	for i := range dst {
		dst[i] = make([]int32, n)
	}
	if _, err := s.Read(dst, 0); err != nil {
		t.Fatal(err)
	}
	return dst
}

func compareBeats(t *testing.T, name string, want, got []annotate.Beat) {
	t.Helper()
	var w []annotate.Beat
	for _, b := range want {
		if b.Code.IsBeat() {
			w = append(w, b)
		}
	}
	if len(got) != len(w) {
		t.Fatalf("record %s: %d beats read back, %d exported", name, len(got), len(w))
	}
	for i := range w {
		if got[i].Sample != w[i].Sample || got[i].Code != w[i].Code {
			t.Fatalf("record %s beat %d: %v@%d read back as %v@%d", name, i, w[i].Code, w[i].Sample, got[i].Code, got[i].Sample)
		}
	}
}
