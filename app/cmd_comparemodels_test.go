package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
)

// reportDB imports the committed synth60 record's .atr as reader "ann".
func reportDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "labels.db")
	var out, errb bytes.Buffer
	rec := filepath.Join("..", "testdata", "synth", "synth60")
	if code := run([]string{"import-ann", rec, "--ext", "atr", "--reader", "ann", "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("import-ann: %d %s", code, errb.String())
	}
	return db
}

func TestReportCommands(t *testing.T) {
	db := reportDB(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		file string // written
	}{
		{"report", []string{"report", "synth60", "--db", db, "--out", filepath.Join(dir, "r.pdf")}, 0, "report of synth60", "r.pdf"},
		{"report usage", []string{"report", "synth60", "--db", db}, 2, "", ""},
		{"report no record", []string{"report", "nothere", "--db", db, "--out", filepath.Join(dir, "x.pdf")}, 1, "", ""},
		{"check", []string{"check", "synth60", "--db", db}, 0, "synth60, reader ann", ""},
		{"plot hr png", []string{"plot", "hr", "synth60", "--db", db, "--out", filepath.Join(dir, "hr.png")}, 0, "hr of synth60", "hr.png"},
		{"plot poincare svg", []string{"plot", "poincare", "synth60", "--db", db, "--out", filepath.Join(dir, "p.svg")}, 0, "", "p.svg"},
		// synth60 lasts one minute: too few for a Bland-Altman plot.
		{"plot ba one minute", []string{"plot", "bland-altman", "synth60", "--db", db, "--test", "detector", "--out", filepath.Join(dir, "ba.pdf")}, 1, "", ""},
		{"plot unknown kind", []string{"plot", "pie", "synth60", "--db", db, "--out", filepath.Join(dir, "x.png")}, 1, "", ""},
		{"plot bad format", []string{"plot", "hr", "synth60", "--db", db, "--out", filepath.Join(dir, "x.gif")}, 1, "", ""},
		{"compare-models usage", []string{"compare-models", "--db", db}, 2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d, want %d; stdout %q; stderr %q", code, tt.code, out.String(), errb.String())
			}
			if tt.file != "" {
				if st, err := os.Stat(filepath.Join(dir, tt.file)); err != nil || st.Size() < 1000 {
					t.Errorf("%s: %v", tt.file, err)
				}
			}
		})
	}
}

func TestCompareModelsCommand(t *testing.T) {
	db := reportDB(t)
	m := filepath.Join("..", "testdata", "models", "beat_small.onnx")
	var out, errb bytes.Buffer
	code := run([]string{"compare-models", "--db", db, "--model-a", m, "--model-b", m, "--whole"}, &out, &errb)
	if code != 0 && strings.Contains(errb.String(), "ONNX Runtime") {
		t.Skip("ONNX Runtime not found (make ort)")
	}
	// The same model on both sides: the tables agree and nothing flips.
	if code != 0 || !strings.Contains(out.String(), "0 of ") || !strings.Contains(out.String(), "0 fixed by B, 0 broken by B") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	// The per-record table has the record, with the same figures on both sides.
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) == 12 && f[0] == "synth60" {
			if strings.Join(f[3:7], " ") != strings.Join(f[8:12], " ") {
				t.Errorf("same model, different per-record figures: %q", l)
			}
			return
		}
	}
	t.Errorf("no per-record row for synth60:\n%s", out.String())
}

// BenchmarkErrorBrowser times what opening the error browser computes, on
// the label database named by $ECGSTATION_BENCH_DB (for example the 22 DS2
// records imported with import-ann and pre-annotated with annotate).
func BenchmarkErrorBrowser(b *testing.B) {
	path := os.Getenv("ECGSTATION_BENCH_DB")
	if path == "" {
		b.Skip("ECGSTATION_BENCH_DB not set: a label database with reader labels and a model layer")
	}
	for b.Loop() {
		db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		m, err := errorBrowser(db, "", "", eval.ConfusionOptions{})
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(m.Results)), "records")
	}
}

// TestErrorBrowserPicksReader imports synth60 as readers ann and bob, who
// confirm different numbers of beats and may sign off, and checks whose
// labels the error browser uses: the record is never left out.
func TestErrorBrowserPicksReader(t *testing.T) {
	tests := []struct {
		name        string
		annConfirms int
		bobConfirms int
		annSigns    bool
		bobUndo     bool // bob relabels a beat and undoes it: same reviews, later revision
		want        annotate.ReaderID
	}{
		{"bob reviewed more", 2, 5, false, false, "bob"},
		{"ann reviewed more", 6, 1, false, false, "ann"},
		{"equal: bob's later revision", 3, 3, false, true, "bob"},
		{"equal: the first by name", 3, 3, false, false, "ann"},
		{"ann signed off", 0, 9, true, false, "ann"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := reportDB(t)
			var out, errb bytes.Buffer
			rec := filepath.Join("..", "testdata", "synth", "synth60")
			if code := run([]string{"import-ann", rec, "--ext", "atr", "--reader", "bob", "--db", path}, &out, &errb); code != 0 {
				t.Fatalf("import-ann: %d %s", code, errb.String())
			}
			db, err := store.OpenDB(path, store.DBOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			e, err := report.Find(db, "synth60")
			if err != nil {
				t.Fatal(err)
			}
			confirm(t, db, e.ID, "ann", tt.annConfirms, tt.annSigns)
			confirm(t, db, e.ID, "bob", tt.bobConfirms, false)
			if tt.bobUndo {
				relabelUndo(t, db, e.ID, "bob")
			}
			ls, _, err := db.Labels(e.ID, "ann")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SaveModelOutput(e.ID, annotate.ModelOutput{Beats: ls.Beats}, "test@1"); err != nil {
				t.Fatal(err)
			}
			if e, err = report.Find(db, "synth60"); err != nil {
				t.Fatal(err)
			}
			if got, err := browserReader(db, e); err != nil || got != tt.want {
				t.Errorf("browserReader = %q, %v; want %q", got, err, tt.want)
			}
			m, err := errorBrowser(db, "", "", eval.ConfusionOptions{})
			if err != nil || len(m.Results) != 1 {
				t.Fatalf("error browser: %v, %d records; want synth60", err, len(m.Results))
			}
		})
	}
}

// confirm has reader confirm the first n beats of rec (one command each)
// and sign off when sign.
func confirm(t *testing.T, db *store.DB, rec annotate.RecordID, reader annotate.ReaderID, n int, sign bool) {
	t.Helper()
	s, err := annotate.Open(db, rec, annotate.Options{Reader: reader})
	if err != nil {
		t.Fatal(err)
	}
	beats := s.BeatsIn(0, 1<<62)
	for i := range n {
		if err := s.Confirm([]int64{beats[i].Sample}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if sign {
		if err := s.SignOff(""); err != nil {
			t.Fatal(err)
		}
	}
}

// relabelUndo has reader relabel the last beat of rec as V and undo it.
func relabelUndo(t *testing.T, db *store.DB, rec annotate.RecordID, reader annotate.ReaderID) {
	t.Helper()
	s, err := annotate.Open(db, rec, annotate.Options{Reader: reader})
	if err != nil {
		t.Fatal(err)
	}
	beats := s.BeatsIn(0, 1<<62)
	if err := s.Relabel([]int64{beats[len(beats)-1].Sample}, annotate.PVC, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
}

// TestReferenceBeats: the reference of a model A/B is what the reader owns
// (set, confirmed or changed, or imported), unless the record is signed off
// or --all-beats asks for every beat; an unreviewed model suggestion is no
// reference.
func TestReferenceBeats(t *testing.T) {
	model := annotate.Provenance{Source: annotate.SourceModel, Who: "m@1"}
	ls := annotate.LabelSet{Beats: []annotate.Beat{
		{Sample: 100, Code: annotate.Normal, Prov: annotate.Provenance{Source: annotate.SourceReference}},
		{Sample: 200, Code: annotate.PVC, Prov: model},
		{Sample: 300, Code: annotate.Normal, Prov: model, Review: annotate.Confirmed},
		{Sample: 400, Code: annotate.APC, Prov: annotate.Provenance{Source: annotate.SourceReader}, Review: annotate.Changed},
		{Sample: 500, Code: annotate.Unknown, Prov: annotate.Provenance{Source: annotate.SourceDetector}},
	}}
	samples := func(bs []annotate.Beat) []int64 {
		var out []int64
		for _, b := range bs {
			out = append(out, b.Sample)
		}
		return out
	}
	cases := []struct {
		name   string
		signed bool
		all    bool
		want   string
	}{
		{"reader-owned", false, false, "[100 300 400]"},
		{"all beats", false, true, "[100 200 300 400 500]"},
		{"signed off", true, false, "[100 200 300 400 500]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := ls
			if c.signed {
				l.Status.State = annotate.StateSignedOff
			}
			if got := fmt.Sprint(samples(referenceBeats(&l, c.all))); got != c.want {
				t.Errorf("reference beats at %s, want %s", got, c.want)
			}
		})
	}
}
