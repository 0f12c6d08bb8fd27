package archive_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// TestRealRecords imports the reference annotations of a few MIT-BIH
// Arrhythmia and Supraventricular Arrhythmia records as reader "reference"
// (as ecgstation import-ann does) and checks the archive's figures against
// the .atr files read directly: beats by AAMI class, the AF burden (from
// each "(AFIB" rhythm change to the next), and the device taken from the
// folder. It needs $ECGDATA.
func TestRealRecords(t *testing.T) {
	root := os.Getenv("ECGDATA")
	if root == "" {
		t.Skip("set ECGDATA to the folder holding mitdb/ and svdb/ to check the figures against real records")
	}
	var recs []string
	for _, r := range []string{"mitdb/100", "mitdb/201", "mitdb/203", "svdb/803", "svdb/807"} {
		path := filepath.Join(root, r)
		if _, err := os.Stat(path + ".hea"); err != nil {
			t.Skipf("%s is missing under ECGDATA (%v)", r, err)
		}
		recs = append(recs, path)
	}
	db := referenceDB(t, recs)
	rows, segs, errs := archive.Summarise(db, archive.Options{SegmentLen: 5 * time.Minute}, nil)
	if len(errs) > 0 || len(rows) != len(recs) {
		t.Fatalf("%d rows, errors %v", len(rows), errs)
	}
	for _, row := range rows {
		rel := filepath.Base(filepath.Dir(row.Path)) + "/" + row.Name
		t.Run(rel, func(t *testing.T) {
			counts, beats, af := atrFigures(t, filepath.Join(root, rel))
			if row.Counts != counts || row.Beats != beats || row.Reviewed != beats {
				t.Errorf("beats %v (%d, %d reviewed), the .atr has %v (%d)", row.Counts, row.Beats, row.Reviewed, counts, beats)
			}
			t.Logf("%d beats %v, AF %.2f%%, noise %v%%", beats, counts, af, row.NoisePct)
			if !near(row.AFPct, af) {
				t.Errorf("AF %v%%, the .atr says %v%%", row.AFPct, af)
			}
			if dev := strings.Split(rel, "/")[0]; row.Device != dev || row.DeviceFrom != archive.FromFolder || row.LabelSet != "reference" {
				t.Errorf("device %q from %q, label set %q", row.Device, row.DeviceFrom, row.LabelSet)
			}
			n := 0
			for _, s := range segs {
				if s.Row.ID == row.ID {
					n += s.Beats
				}
			}
			if n != beats {
				t.Errorf("the segments hold %d beats, the record %d", n, beats)
			}
		})
	}
}

// atrFigures reads a record's .atr and returns its beats by AAMI class,
// their number and its AF burden in percent of the record.
func atrFigures(t *testing.T, path string) (counts [annotate.ClassQ + 1]int, beats int, af float64) {
	t.Helper()
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	n := rec.Info().NSamples
	rec.Close()
	var inAF bool
	var from, afSamples int64
	for _, a := range anns {
		if a.Code.IsBeat() {
			counts[a.Code.Class()]++
			beats++
		}
		if a.Code == annotate.Rhythm {
			if inAF {
				afSamples += a.Sample - from
			}
			inAF, from = a.Text() == "(AFIB", a.Sample
		}
	}
	if inAF {
		afSamples += n - from
	}
	return counts, beats, 100 * float64(afSamples) / float64(n)
}
