package archive_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/archive"
)

var update = flag.Bool("update", false, "rewrite the golden CSV files under testdata/")

// TestCSVGolden writes the three tidy tables of the test archive and
// compares them with testdata/*.csv (go test -update rewrites them: look
// at the diff before committing).
func TestCSVGolden(t *testing.T) {
	db, _ := buildArchive(t)
	rows, segs, errs := archive.Summarise(db, archive.Options{SegmentLen: time.Minute}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{"records.csv", func(w io.Writer) error { return archive.WriteRecordsCSV(w, rows) }},
		{"segments.csv", func(w io.Writer) error { return archive.WriteSegmentsCSV(w, segs) }},
		{"lead_noise.csv", func(w io.Writer) error { return archive.WriteLeadNoiseCSV(w, segs) }},
	} {
		var buf bytes.Buffer
		if err := c.write(&buf); err != nil {
			t.Fatal(err)
		}
		checkTidy(t, c.file, buf.Bytes())
		golden := filepath.Join("testdata", c.file)
		if *update {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update writes it)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from %s:\n%s", c.file, golden, buf.String())
		}
	}
}

// checkTidy checks a table reads back as CSV with one column count and no
// "NaN" cell.
func checkTidy(t *testing.T, name string, b []byte) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %d rows, %v", name, len(recs), err)
	}
	for i, r := range recs {
		for _, c := range r {
			if c == "NaN" || c == "+Inf" {
				t.Errorf("%s row %d has a cell %q", name, i, c)
			}
		}
	}
}

// TestRecordsCSVEmptyCells checks a figure that cannot be computed is an
// empty cell, and a record's header comments never reach the table.
func TestRecordsCSVEmptyCells(t *testing.T) {
	rows := []archive.Row{{ID: "id1", Name: "x", Hours: 1, NoisePct: []float64{math.NaN()}, Leads: []string{"II"},
		AFPct: math.NaN(), AgreePct: math.NaN(), Kappa: math.NaN()}}
	var buf bytes.Buffer
	if err := archive.WriteRecordsCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, col := range recs[0] {
		switch col {
		case "noise_pct_mean", "noise_pct_max", "af_pct", "agree_pairs", "agree_pct", "kappa", "start":
			if recs[1][i] != "" {
				t.Errorf("%s = %q, want an empty cell", col, recs[1][i])
			}
		case "label_set":
			if recs[1][i] != "model" {
				t.Errorf("label_set = %q, want model", recs[1][i])
			}
		}
	}
}

// TestGroupBy checks the group figures against sums written out by hand.
func TestGroupBy(t *testing.T) {
	conf := func(same, diff int) (m [annotate.ClassQ + 1][annotate.ClassQ + 1]int) {
		m[annotate.ClassN][annotate.ClassN], m[annotate.ClassV][annotate.ClassV], m[annotate.ClassN][annotate.ClassV] = same, same, diff
		return m
	}
	rows := []archive.Row{
		{Device: "d1", Site: "s", Patient: "p1", Hours: 1, NoisePct: []float64{10, 30}, AFPct: 10, Beats: 5, Counts: [6]int{0, 4, 0, 1},
			LabelSet: "ana", AgreePairs: 22, AgreePct: 100.0 * 20 / 22, Confusion: conf(10, 2)},
		{Device: "d1", Site: "s", Patient: "p1", Hours: 3, NoisePct: []float64{0, 0}, AFPct: 50, Beats: 7, Counts: [6]int{0, 7},
			AgreePct: math.NaN(), Kappa: math.NaN()},
		{Device: "d0", Patient: "p2", Hours: 2, NoisePct: []float64{5}, AFPct: math.NaN(), LabelSet: "bo",
			AgreePairs: 10, AgreePct: 80, Confusion: conf(4, 2)},
	}
	gs := archive.GroupBy(rows, archive.ByDevice)
	if len(gs) != 2 || gs[0].Key != "d0" || gs[1].Key != "d1" {
		t.Fatalf("groups %+v", gs)
	}
	d1 := gs[1]
	// kappa of [[10 2][0 10]] over N, V: po = 20/22, pe = (12*10 + 10*12)/22^2
	po, pe := 20.0/22, 240.0/484
	if d1.Records != 2 || d1.Patients != 1 || d1.Hours != 4 || !near(d1.NoisePct, (1*20+3*0)/4.0) || !near(d1.AFPct, (10+150)/4.0) ||
		d1.Beats != 12 || d1.Counts[annotate.ClassN] != 11 || d1.Reviewed != 1 || d1.AgreePairs != 22 ||
		!near(d1.AgreePct, 100*po) || !near(d1.Kappa, (po-pe)/(1-pe)) {
		t.Errorf("d1 %+v", d1)
	}
	if d0 := gs[0]; !math.IsNaN(d0.AFPct) || !near(d0.NoisePct, 5) || !near(d0.AgreePct, 80) {
		t.Errorf("d0 %+v", d0)
	}
	bySite := archive.GroupBy(rows, archive.BySite)
	if len(bySite) != 2 || bySite[0].Key != "" || bySite[0].Records != 1 || bySite[1].Key != "s" ||
		!near(bySite[1].AgreePct, 100*20.0/22) {
		t.Errorf("by site %+v", bySite)
	}
	if g := archive.GroupBy(rows[1:2], archive.ByDevice); !math.IsNaN(g[0].AgreePct) || !math.IsNaN(g[0].Kappa) {
		t.Errorf("no pairs: %+v", g[0])
	}
}
