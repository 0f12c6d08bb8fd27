package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// TestAnnotateAndExportWriteOneFile pre-annotates MIT-BIH 201 (AF with
// pauses, trigeminy and bradycardia inside) with the built-in models, then
// exports the reader's labels with --format wfdb: both commands write the
// same bytes (one writer, wfdb.FromLabels), with an "(AFIB" for each AF
// episode of the label set (and one more where AF resumes after a run that
// outranks it: with beat model v1.4.0, "(AFIB (VT (AFIB").
func TestAnnotateAndExportWriteOneFile(t *testing.T) {
	rec := filepath.Join(ecgdata.Dir(t, "mitdb", "201.hea"), "201")
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	env.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	for _, args := range [][]string{
		{"annotate", rec, "--out-dir", dir, "--db", db, "--reader", "alice"},
		{"export", "--db", db, "--out", filepath.Join(dir, "ds"), "--format", "wfdb", "--reader", "alice"},
	} {
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != 0 {
			t.Fatalf("%s: exit %d: %s%s", args[0], code, out.String(), errs.String())
		}
	}
	ann, err := os.ReadFile(filepath.Join(dir, "201.ann"))
	if err != nil {
		t.Fatal(err)
	}
	if exp, err := os.ReadFile(filepath.Join(dir, "ds", "201.ecg")); err != nil || !bytes.Equal(ann, exp) {
		t.Errorf("export --format wfdb wrote other bytes than annotate (%v)", err)
	}
	anns, err := wfdb.DecodeAnnotations("201.ann", ann)
	if err != nil {
		t.Fatal(err)
	}
	marks := 0
	for _, a := range anns {
		if a.Code == annotate.Rhythm && a.Text() == "(AFIB" {
			marks++
		}
	}
	// An episode that outranks AF inside an AF episode (a ventricular run)
	// is followed by a second "(AFIB", where AF resumes.
	if af := afEpisodes(t, db, rec); af == 0 || marks < af {
		t.Errorf("%d (AFIB marks for %d AF episodes", marks, af)
	}
}

// afEpisodes counts alice's live AF episodes of the record.
func afEpisodes(t *testing.T, db, rec string) int {
	t.Helper()
	d, err := store.OpenDB(db, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	id, err := store.HashRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	ls, _, err := d.Labels(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ls.Episodes {
		if !e.Deleted && e.Rhythm == "AFIB" {
			n++
		}
	}
	return n
}
