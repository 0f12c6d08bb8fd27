package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/svtrun"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// TestAnnotateSVTRun runs annotate with the shipped models on a record
// with 3 minutes of paroxysmal SVT at 120 bpm, which the beat model calls
// N: the SVT run rule makes them S, and both the annotation file (S beats
// and an SVTA rhythm) and the model layer (S by the model and the rule,
// with the model's probabilities) say so.
func TestAnnotateSVTRun(t *testing.T) {
	env, err := model.NewEnv(model.Options{Threads: 1})
	if err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	must(t, env.Close())
	cfg := synth.Default()
	cfg.Duration, cfg.Noise, cfg.SVTRate = 15*time.Minute, synth.NoiseConfig{}, 120
	cfg.Events = []synth.Event{{Rhythm: "SVTA", At: 6 * time.Minute, Length: 3 * time.Minute}}
	info, sig, ann, err := synth.Record(cfg)
	must(t, err)
	dir := t.TempDir()
	must(t, wfdb.WriteRecord(dir, "svt", info, 16, sig))
	rec := filepath.Join(dir, "svt")
	var svt annotate.Episode
	for _, e := range ann.Episodes {
		if e.Rhythm == "SVTA" {
			svt = e
		}
	}
	db := filepath.Join(dir, "labels.db")
	models := filepath.Join("..", "assets", "models")
	var out, errs bytes.Buffer
	if code := run([]string{"annotate", rec + ".hea", "--model", filepath.Join(models, "beat.onnx"), "--rhythm-model", filepath.Join(models, "rhythm.onnx"),
		"--db", db, "--threads", "2"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	anns, err := wfdb.ReadAnnotations(rec + ".ann")
	must(t, err)
	var in, s int
	rhythm := false
	for _, a := range anns {
		rhythm = rhythm || a.Code == annotate.Rhythm && strings.HasPrefix(a.Text(), "(SVTA") && a.Sample < svt.End && a.Sample >= svt.Start-int64(info.Fs)
		if a.Code.IsBeat() && a.Sample >= svt.Start && a.Sample < svt.End {
			in++
			if a.Code.Class() == annotate.ClassS {
				s++
			}
		}
	}
	if in == 0 || s < in*9/10 || !rhythm {
		t.Errorf("annotation file: %d of the %d SVT beats S, SVTA rhythm annotation %v; want 90%% S and SVTA", s, in, rhythm)
	}
	d, id := openStored(t, db, rec+".hea")
	ls, _, err := d.Labels(id, store.ModelLayer)
	must(t, err)
	rule := 0
	for _, b := range ls.Beats {
		if svtrun.Tagged(b.Prov) {
			rule++
			if b.Code != annotate.APC || len(b.Prov.Probs) == 0 || b.Sample < svt.Start || b.Sample >= svt.End {
				t.Errorf("model layer beat %d by the rule: %v, probabilities %v", b.Sample, b.Code, b.Prov.Probs)
			}
		}
	}
	if rule < in/2 {
		t.Errorf("model layer: %d beats relabelled by the rule, want most of the %d SVT beats", rule, in)
	}
}
