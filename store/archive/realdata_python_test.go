package archive_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/export"
)

// pyFigures is what testdata/atr_figures.py prints for a record.
type pyFigures struct {
	Record   string         `json:"record"`
	Counts   map[string]int `json:"counts"`
	AFPct    float64        `json:"af_pct"`
	NoisePct []float64      `json:"noise_pct"`
}

// TestArchiveAgainstPython imports the reference annotations of every
// MIT-BIH Arrhythmia and svdb record under $ECGDATA as reader "reference"
// (the archive view's screenshot) and checks each row the view shows,
// beats by class, AF burden and noise burden per lead, against a reading
// of the same .atr files by a separate Python script that shares no code
// with the app (testdata/atr_figures.py, standard library only).
func TestArchiveAgainstPython(t *testing.T) {
	root := os.Getenv("ECGDATA")
	if root == "" {
		t.Skip("set ECGDATA to the folder holding mitdb/ and svdb/ to check the archive's figures against an independent reading")
	}
	if testing.Short() {
		t.Skip("87 records: not under -short")
	}
	recs := realRecords(t, root)
	db := referenceDB(t, recs)
	rows, _, errs := archive.Summarise(db, archive.Options{}, nil)
	if len(errs) > 0 || len(rows) != len(recs) {
		t.Fatalf("%d rows of %d records, errors %v", len(rows), len(recs), errs)
	}
	want := pythonFigures(t, recs)
	for _, row := range rows {
		w, ok := want[strings.TrimSuffix(row.Path, ".hea")]
		if !ok {
			t.Errorf("%s: no Python figures", row.Path)
			continue
		}
		compareRow(t, row, w)
	}
	t.Logf("%d records: beats by class, AF and noise burden per lead as Python reads the .atr files", len(rows))
}

// realRecords lists the records of mitdb and svdb under root.
func realRecords(t *testing.T, root string) []string {
	var recs []string
	for _, dir := range []string{"mitdb", "svdb"} {
		heas, err := filepath.Glob(filepath.Join(root, dir, "*.hea"))
		if err != nil || len(heas) == 0 {
			t.Skipf("no records in %s (%v)", filepath.Join(root, dir), err)
		}
		for _, h := range heas {
			recs = append(recs, strings.TrimSuffix(h, ".hea"))
		}
	}
	return recs
}

// pythonFigures runs testdata/atr_figures.py on recs, by record path.
func pythonFigures(t *testing.T, recs []string) map[string]pyFigures {
	cmd := exec.Command("python3", append([]string{filepath.Join("testdata", "atr_figures.py")}, recs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("atr_figures.py: %v\n%s", err, stderr.String())
	}
	figs := map[string]pyFigures{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var f pyFigures
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("atr_figures.py line %q: %v", line, err)
		}
		figs[f.Record] = f
	}
	return figs
}

// compareRow fails t where row differs from the Python figures w: beats
// by class exactly, AF and noise burden within 0.01 percentage points.
func compareRow(t *testing.T, row archive.Row, w pyFigures) {
	t.Helper()
	for _, k := range annotate.Classes {
		if got := row.Counts[k]; got != w.Counts[k.String()] {
			t.Errorf("%s: %d %s beats, Python %d", row.Name, got, k, w.Counts[k.String()])
		}
	}
	if math.Abs(row.AFPct-w.AFPct) > 0.01 {
		t.Errorf("%s: AF %.3f%%, Python %.3f%%", row.Name, row.AFPct, w.AFPct)
	}
	if len(row.NoisePct) != len(w.NoisePct) {
		t.Fatalf("%s: %d leads, Python %d", row.Name, len(row.NoisePct), len(w.NoisePct))
	}
	for i := range w.NoisePct {
		if math.Abs(row.NoisePct[i]-w.NoisePct[i]) > 0.01 {
			t.Errorf("%s lead %d: noise %.3f%%, Python %.3f%%", row.Name, i, row.NoisePct[i], w.NoisePct[i])
		}
	}
}

// referenceDB imports the .atr of each record path (without .hea) into a
// new label database as reader "reference", as ecgstation import-ann does.
func referenceDB(t *testing.T, recs []string) *store.DB {
	t.Helper()
	db, err := store.OpenDB(filepath.Join(t.TempDir(), "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, r := range recs {
		if _, _, err := export.ImportAnnotationsWith(db, r, "atr", "reference", time.Now(), export.AnnotationOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}
