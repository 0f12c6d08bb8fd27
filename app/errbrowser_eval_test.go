package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/app/research"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
	"github.com/ecgstation/ecgstation/ui"
)

// TestErrorBrowserEqualsEval checks that the error browser's figures are
// eval's on the same record: synth60's .atr imported as reader ann, then
// annotate with a model writes both the model layer (label database) and a
// WFDB annotation file; the error browser's matrix (model layer against
// ann's labels) must equal eval's (the file against the .atr), cell by
// cell, and so every Se and +P.
func TestErrorBrowserEqualsEval(t *testing.T) {
	rec, db := annotatedReference(t, fixtureCopy(t))
	ldb, err := store.OpenDB(db, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ldb.Close()
	conf, err := errorBrowser(ldb, "synth60", "ann", eval.ConfusionOptions{Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := recordInfo(rec)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := research.ReadLabelled(rec, "atr", info)
	if err != nil {
		t.Fatal(err)
	}
	test, _, err := research.ReadLabelled(rec, "tst", info)
	if err != nil {
		t.Fatal(err)
	}
	want, err := compareRecord(info, ref, test, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(conf.Results) != 1 {
		t.Fatalf("error browser compared %d records, want 1", len(conf.Results))
	}
	if got := conf.Results[0].Matrix; got != want.Matrix {
		t.Errorf("error browser matrix\n%v\neval matrix\n%v", fmt.Sprint(got), fmt.Sprint(want.Matrix))
	}
	if want.Matrix.Detection().TP == 0 {
		t.Error("eval matched no beat: the comparison shows nothing")
	}
}

// annotatedReference imports record rec's .atr as reader ann into a new
// label database beside it and annotates rec with the small beat model: the
// model layer in the database, the same beats in rec's .tst. It skips
// without ONNX Runtime.
func annotatedReference(t *testing.T, rec string) (string, string) {
	t.Helper()
	db := filepath.Join(filepath.Dir(rec), "labels.db")
	m := filepath.Join("..", "testdata", "models", "beat_small.onnx")
	if _, stderr, code := runCmd(t, "import-ann", rec, "--ext", "atr", "--reader", "ann", "--db", db); code != 0 {
		t.Fatalf("import-ann: %s", stderr)
	}
	_, stderr, code := runCmd(t, "annotate", rec, "--model", m, "--db", db, "--out-ext", "tst", "--quiet")
	if code == exitWithoutModels {
		t.Skip("ONNX Runtime not found (make ort): annotate ran without the model")
	}
	if code != 0 {
		t.Fatalf("annotate: exit %d: %s", code, stderr)
	}
	return rec, db
}

// TestErrorBrowserReferenceEqualsEval checks the error browser against a
// chosen reference as the issue met it: the record has the imported
// reference ann and a reader bob whose set is the model's suggestions with
// a few beats confirmed, on a 7-minute synthetic record with V and S beats
// (ecgstation synth), long enough for EC57's learning period. The browser's Automatic choice and the explicit
// choice of ann both compare with ann, and their per-record and total
// figures are `ecgstation eval --ref atr --test tst`'s, line by line,
// EC57 and whole; with bob chosen only bob's confirmed beats count, unless
// All beats, when the model agrees with its own suggestions.
func TestErrorBrowserReferenceEqualsEval(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "long")
	if _, stderr, code := runCmd(t, "synth", "--plain", "--out", rec, "--duration", "7m", "--pvc-rate", "300", "--pac-rate", "200", "--seed", "5"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	rec, path := annotatedReference(t, rec)
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := report.Find(db, "long")
	if err != nil {
		t.Fatal(err)
	}
	const confirmed = 7
	confirm(t, db, e.ID, "bob", confirmed, false)
	for _, whole := range []bool{false, true} {
		args := []string{"eval", "--ref", "atr", "--test", "tst", rec}
		if whole {
			args = append(args, "--whole")
		}
		want, stderr, code := runCmd(t, args...)
		if code != 0 {
			t.Fatalf("eval: %s", stderr)
		}
		for _, ref := range []string{"", "ann"} {
			conf, err := computeErrors(db, ui.ErrorOptions{Whole: whole, Reference: ref})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			printHeader(&got, whole)
			if err := eval.WriteTable(&got, conf.Results); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(want, got.String()) || !slices.Equal(conf.References, []string{"ann"}) {
				t.Errorf("whole %v, reference %q (%v): error browser\n%s\neval\n%s", whole, ref, conf.References, got.String(), want)
			}
		}
	}
	bob, err := computeErrors(db, ui.ErrorOptions{Whole: true, Reference: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if d := bob.EC57.Detection(); d.TP+d.FN != confirmed || bob.Unowned == 0 {
		t.Errorf("reference bob: %d reference beats scored (%d left out), want the %d bob confirmed", d.TP+d.FN, bob.Unowned, confirmed)
	}
	all, err := computeErrors(db, ui.ErrorOptions{Whole: true, Reference: "bob", AllBeats: true})
	if err != nil {
		t.Fatal(err)
	}
	if d := all.EC57.Detection(); d.FN != 0 || d.FP != 0 || d.TP < 50 {
		t.Errorf("reference bob, all beats: %+v; want the model's own suggestions matched one to one", d)
	}
}
