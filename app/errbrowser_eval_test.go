package main

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/app/research"
	"github.com/ecgstation/ecgstation/store"
)

// TestErrorBrowserEqualsEval checks that the error browser's figures are
// eval's on the same record: synth60's .atr imported as reader ann, then
// annotate with a model writes both the model layer (label database) and a
// WFDB annotation file; the error browser's matrix (model layer against
// ann's labels) must equal eval's (the file against the .atr), cell by
// cell, and so every Se and +P.
func TestErrorBrowserEqualsEval(t *testing.T) {
	rec := fixtureCopy(t)
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
