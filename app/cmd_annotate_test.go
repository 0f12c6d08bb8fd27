package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// fixtureCopy copies the committed synth60 record (60 s, 2 leads, a pause)
// into a temporary folder and returns its path.
func fixtureCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, ext := range []string{".hea", ".dat", ".atr"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "synth", "synth60"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "synth60"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "synth60")
}

// TestAnnotateWithoutRuntime runs annotate with a library that does not
// exist: it still detects and writes the beats and the pause, but stores
// them as what they are, the detector's beats, unclassified (never N as if
// a model had said so), says plainly that classification is off and how to
// fix it, and exits with status 3 (done without models), which help documents.
func TestAnnotateWithoutRuntime(t *testing.T) {
	rec := fixtureCopy(t)
	db := filepath.Join(filepath.Dir(rec), "labels.db")
	var out, errs bytes.Buffer
	code := run([]string{"annotate", rec, "--ort-lib", "/nonexistent/libonnxruntime.so", "--db", db}, &out, &errs)
	if code != exitWithoutModels {
		t.Fatalf("exit %d, want %d (done without models): %s%s", code, exitWithoutModels, out.String(), errs.String())
	}
	for _, want := range []string{"ONNX Runtime is unavailable", "To fix", "Classification is off", "unclassified (Q, not N)", "done without models"} {
		if !strings.Contains(errs.String(), want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs.String())
		}
	}
	anns, err := wfdb.ReadAnnotations(rec + ".ann")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := wfdb.ReadAnnotations(rec + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	checkAnnotated(t, anns, ref)
	for _, a := range anns {
		if a.Code.IsBeat() && a.Code != annotate.Unclassified {
			t.Fatalf("beat %+v: without a runtime every beat is unclassified (Q)", a)
		}
	}
	for _, b := range checkStored(t, db, rec, len(beatsIn(anns))) {
		if !b.IsUnclassified() || b.Code == annotate.Normal {
			t.Fatalf("stored beat %+v: want the detector's, unclassified", b)
		}
	}
	for _, want := range []string{"models: none", "every beat unclassified", "detector layer", "PAUSE 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary does not say %q:\n%s", want, out.String())
		}
	}
	checkRerun(t, db, rec)
	var help bytes.Buffer
	printHelp(&help)
	if !strings.Contains(help.String(), "3 done without models") {
		t.Errorf("help does not document exit status 3:\n%s", help.String())
	}
}

// checkRerun checks that the window counts a detector-only layer as done
// only while ONNX Runtime is missing: once a library is found, the models
// run when the record opens.
func checkRerun(t *testing.T, db, rec string) {
	t.Helper()
	d, id := openStored(t, db, rec)
	found := filepath.Join(t.TempDir(), model.LibraryName)
	if err := os.WriteFile(found, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for lib, want := range map[string]bool{"/nonexistent/" + model.LibraryName: true, found: false} {
		if done, err := modelSaved(d, id, lib); err != nil || done != want {
			t.Errorf("library %s: modelSaved = %v, %v; want %v", lib, done, err, want)
		}
	}
}

// TestAnnotateWithModels runs annotate with the small test models and a
// reader: the labels come from the beat model and go into the reader's set.
func TestAnnotateWithModels(t *testing.T) {
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	env.Close()
	rec := fixtureCopy(t)
	db := filepath.Join(filepath.Dir(rec), "labels.db")
	models := filepath.Join("..", "testdata", "models")
	var out, errs bytes.Buffer
	code := run([]string{"annotate", rec, "--model", filepath.Join(models, "beat_small.onnx"),
		"--rhythm-model", filepath.Join(models, "rhythm_small.onnx"), "--db", db, "--reader", "alice",
		"--out-ext", "test", "--threads", "2"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	anns, err := wfdb.ReadAnnotations(rec + ".test")
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := wfdb.ReadAnnotations(rec + ".atr")
	checkAnnotated(t, anns, ref)
	n := len(checkStored(t, db, rec, len(beatsIn(anns))))
	id, _ := store.HashRecord(rec)
	d, err := store.OpenDB(db, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ls, _, err := d.Labels(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Beats) != n || ls.Beats[0].Prov.Who != "example-beat@0.1.0" {
		t.Errorf("alice has %d beats (want %d), first %+v", len(ls.Beats), n, ls.Beats[0])
	}
	for _, want := range []string{"classes by example-beat@0.1.0", "beats/s", "classify", "models: beat example-beat@0.1.0", "found by $" + model.LibraryEnv} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary does not say %q:\n%s", want, out.String())
		}
	}
}

// TestAnnotateQualityModel runs annotate with --quality-model: a quality
// model is named among the models (its stretches are checked in
// inference/pipeline); a model of another task, or no file, is refused
// with a message that says what was expected.
func TestAnnotateQualityModel(t *testing.T) {
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	env.Close()
	models := filepath.Join("..", "testdata", "models")
	cases := []struct {
		name, quality string
		code          int
		want          string
	}{
		{"a quality model", "quality_small.onnx", 0, "quality test-quality@test"},
		{"a beat model", "beat_small.onnx", 1, "a beat model, not a quality model"},
		{"no such file", "missing.onnx", 1, "--quality-model"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := fixtureCopy(t)
			var out, errs bytes.Buffer
			code := run([]string{"annotate", rec, "--model", filepath.Join(models, "beat_small.onnx"),
				"--rhythm-model", filepath.Join(models, "rhythm_small.onnx"),
				"--quality-model", filepath.Join(models, c.quality), "--out-ext", "test"}, &out, &errs)
			if code != c.code || !strings.Contains(out.String()+errs.String(), c.want) {
				t.Fatalf("exit %d (want %d), output does not say %q:\n%s%s", code, c.code, c.want, out.String(), errs.String())
			}
		})
	}
}

// TestAnnotateOutDir writes the annotation file into --out-dir (created
// on the way) and nothing beside the record, which may be read-only.
func TestAnnotateOutDir(t *testing.T) {
	rec := fixtureCopy(t)
	out := filepath.Join(t.TempDir(), "new", "anns")
	var stdout, errs bytes.Buffer
	if code := run([]string{"annotate", rec, "--out-dir", out, "--ort-lib", filepath.Join(t.TempDir(), "none.so")}, &stdout, &errs); code != exitWithoutModels {
		t.Fatalf("exit %d: %s%s", code, stdout.String(), errs.String())
	}
	anns, err := wfdb.ReadAnnotations(filepath.Join(out, filepath.Base(rec)+".ann"))
	if err != nil {
		t.Fatal(err)
	}
	if len(beatsIn(anns)) == 0 {
		t.Error("no beats in the annotation file")
	}
	if _, err := os.Stat(rec + ".ann"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written beside the record: %v", err)
	}
}

func beatsIn(anns []wfdb.Annotation) []wfdb.Annotation {
	var out []wfdb.Annotation
	for _, a := range anns {
		if a.Code.IsBeat() {
			out = append(out, a)
		}
	}
	return out
}

// checkAnnotated scores the written beats against the reference (EC57
// bxb, whole record) and checks the pause comment and the rhythm stream.
func checkAnnotated(t *testing.T, anns, ref []wfdb.Annotation) {
	t.Helper()
	conv := func(as []wfdb.Annotation) []eval.Annotation {
		var out []eval.Annotation
		for _, a := range as {
			out = append(out, eval.Annotation{Sample: a.Sample, Code: a.Code, Sub: a.Sub, Aux: a.Aux})
		}
		return out
	}
	r, err := eval.Compare("synth60", conv(ref), conv(anns), eval.DefaultOptions(250, 15000).WholeRecord())
	if err != nil {
		t.Fatal(err)
	}
	if se, _ := r.Matrix.Detection().Se(); se < 99 {
		t.Errorf("QRS Se %.2f against the reference", se)
	}
	var pause, first bool
	for i, a := range anns {
		pause = pause || (a.Code == annotate.Note && strings.HasPrefix(a.Aux, "PAUSE 2.5"))
		first = first || (i == 0 && a.Code == annotate.Rhythm && a.Aux == "(N")
	}
	if !pause || !first {
		t.Errorf("pause comment %v, opening (N %v", pause, first)
	}
}

// openStored opens the label database db read-only until the test ends
// and returns it with the id of the record rec.
func openStored(t *testing.T, db, rec string) (*store.DB, annotate.RecordID) {
	t.Helper()
	d, err := store.OpenDB(db, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	id, err := store.HashRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	return d, id
}

// checkStored checks the model layer in the database and returns its beats.
func checkStored(t *testing.T, db, rec string, beats int) []annotate.Beat {
	t.Helper()
	d, id := openStored(t, db, rec)
	m, err := d.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Beats) != beats {
		t.Errorf("model layer has %d beats, the file %d", len(m.Beats), beats)
	}
	return m.Beats
}

func TestAnnotateUsage(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string // what the message says is wrong
	}{
		{"no record", []string{"annotate"}, "no record given"},
		{"reader without a database", []string{"annotate", "x", "--reader", "alice"}, "--reader needs --db"},
		{"no threads", []string{"annotate", "x", "--threads", "0"}, "--threads 0: give the number of cores to use, 1 or more"},
		{"negative threads", []string{"annotate", "x", "--threads", "-3"}, "--threads -3: give the number of cores to use, 1 or more"},
		{"empty extension", []string{"annotate", "x", "--out-ext", ""}, "--out-ext is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(c.args, &out, &errs); code != 2 {
				t.Errorf("exit %d, want 2 (usage): %s", code, errs.String())
			}
			msg := errs.String()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, "usage: ecgstation annotate RECORD") || strings.Contains(msg, "usage: usage") {
				t.Errorf("message %q does not say %q and then the usage", msg, c.want)
			}
		})
	}
}
