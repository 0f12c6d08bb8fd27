package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
)

// TestAnnotateStreamsSameLabels runs the annotate command, which streams
// each chunk into the label database, and the whole run as annotate did
// before (pipeline.Result whole, written by writeLabels and
// SaveModelOutput), on a 25-minute demo record (5 chunks, with AF, VT,
// ectopy, pauses and noise) and on the 60-second fixture (one chunk): the
// annotation files are the same bytes and the model layers the same
// labels. With ONNX Runtime the small test models label the beats;
// without it, the detector does.
func TestAnnotateStreamsSameLabels(t *testing.T) {
	long := filepath.Join(t.TempDir(), "demo25")
	var out, errs bytes.Buffer
	if code := run([]string{"synth", "--demo", "--duration", "25m", "--out", long}, &out, &errs); code != 0 {
		t.Fatalf("synth: exit %d: %s", code, errs.String())
	}
	for _, rec := range []string{long, fixtureCopy(t)} {
		t.Run(filepath.Base(rec), func(t *testing.T) {
			args := streamArgs(t)
			db := filepath.Join(t.TempDir(), "labels.db")
			out.Reset()
			errs.Reset()
			code := run(append([]string{"annotate", rec, "--db", db, "--out-ext", "str", "--threads", "2"}, args...), &out, &errs)
			if code != 0 && code != exitWithoutModels {
				t.Fatalf("annotate: exit %d: %s%s", code, out.String(), errs.String())
			}
			t.Log(out.String())
			wholeDB := annotateWhole(t, rec, streamModels(t, len(args) == 4))
			got, err := os.ReadFile(rec + ".str")
			must(t, err)
			want, err := os.ReadFile(rec + ".whole")
			must(t, err)
			if !bytes.Equal(got, want) {
				t.Errorf("the streamed annotation file (%d bytes) differs from the whole run's (%d bytes)", len(got), len(want))
			}
			a, b := modelLayer(t, db, rec), modelLayer(t, wholeDB, rec)
			if len(a.Beats) == 0 || !reflect.DeepEqual(a, b) {
				t.Errorf("the streamed model layer (%d beats) differs from the whole run's (%d beats)", len(a.Beats), len(b.Beats))
			}
		})
	}
}

// streamArgs returns the annotate flags of the small test models when
// ONNX Runtime is there, else a library that does not exist (detector only).
func streamArgs(t *testing.T) []string {
	env, err := model.NewEnv(model.Options{Threads: 1})
	if err != nil {
		t.Logf("ONNX Runtime not available, detector only: %v", err)
		return []string{"--ort-lib", "/nonexistent/libonnxruntime.so"}
	}
	must(t, env.Close())
	dir := filepath.Join("..", "testdata", "models")
	return []string{"--model", filepath.Join(dir, "beat_small.onnx"), "--rhythm-model", filepath.Join(dir, "rhythm_small.onnx")}
}

// streamModels loads the small test models (on), or none.
func streamModels(t *testing.T, on bool) *models {
	t.Helper()
	if !on {
		return &models{}
	}
	env, err := model.NewEnv(model.Options{Threads: 1})
	must(t, err)
	t.Cleanup(func() { env.Close() })
	dir := filepath.Join("..", "testdata", "models")
	beat, err := model.Load(filepath.Join(dir, "beat_small.onnx"), env)
	must(t, err)
	rhy, err := model.Load(filepath.Join(dir, "rhythm_small.onnx"), env)
	must(t, err)
	return &models{beat: beat, rhythm: rhy}
}

// annotateWhole runs the pipeline on rec keeping the whole result and
// writes it as annotate did before streaming: rec.whole and a new label
// database, whose path it returns.
func annotateWhole(t *testing.T, path string, ms *models) string {
	t.Helper()
	rec, err := store.Open(path)
	must(t, err)
	defer rec.Close()
	p, err := pipeline.New(pipeline.Config{Signal: rec.Signal, Beat: ms.beat, Rhythm: ms.rhythm, Workers: 2})
	must(t, err)
	res, err := p.Run(context.Background())
	must(t, err)
	info := rec.Signal.Info()
	must(t, writeLabels(path+".whole", res.Output, info))
	dbPath := filepath.Join(t.TempDir(), "whole.db")
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	must(t, err)
	defer db.Close()
	id, err := store.HashRecord(path)
	must(t, err)
	must(t, db.PutRecord(id, path, info))
	must(t, db.SaveModelOutput(id, res.Output, ms.who()))
	return dbPath
}

// modelLayer reads the model layer of rec from the database at path.
func modelLayer(t *testing.T, path, rec string) annotate.LabelSet {
	t.Helper()
	db, id := openStored(t, path, rec)
	ls, _, err := db.Labels(id, store.ModelLayer)
	must(t, err)
	return ls
}
