package main

import (
	"context"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// runOnce runs the pre-annotation's pipeline on s to its end.
func runOnce(t *testing.T, g *gui, s openedSession, replace bool) {
	t.Helper()
	ms, release, _ := g.guiModels() // without ONNX Runtime the detector's beats still come
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := g.pipelineRun(ctx, &preannotation{cancel: cancel, done: make(chan struct{})}, g.rec, s, ms, replace); err != nil {
		t.Fatal(err)
	}
}

// TestRerunReplacesStaleBeats: a run after the model leads changed
// replaces the previous run's machine beats: a false beat of the old run
// (here a detector beat half-way between two real ones) goes, a beat the
// reader inserted at such a place stays. A plain run only adds, so the
// false beat stays beside the new ones: the defect this guards against.
func TestRerunReplacesStaleBeats(t *testing.T) {
	for _, tc := range []struct {
		replace   bool
		falseKept bool
	}{{false, true}, {true, false}} {
		g, rec, s := pipelineGUI(t)
		g.rec = rec
		runOnce(t, g, s, false)
		real := s.sess.BeatsIn(0, 1<<62)
		if len(real) < 40 {
			t.Fatalf("%d beats in 12 minutes", len(real))
		}
		falseAt := (real[10].Sample + real[11].Sample) / 2
		readerAt := (real[30].Sample + real[31].Sample) / 2
		stale := annotate.ModelOutput{Beats: []annotate.Beat{{Sample: falseAt, Code: annotate.Unclassified,
			Prov: annotate.Provenance{Source: annotate.SourceDetector}}}}
		if _, err := s.sess.MergeModelRegion(stale, annotate.ModelRegion{Start: falseAt, End: falseAt + 1, Kinds: annotate.KindBeats}); err != nil {
			t.Fatal(err)
		}
		if err := s.sess.Insert(readerAt, annotate.Normal, ""); err != nil {
			t.Fatal(err)
		}
		runOnce(t, g, s, tc.replace)
		if _, ok := beatAt(s.sess.BeatsIn(falseAt, falseAt+1), falseAt); ok != tc.falseKept {
			t.Errorf("replace %v: the old run's false beat kept: %v, want %v", tc.replace, ok, tc.falseKept)
		}
		if b, ok := beatAt(s.sess.BeatsIn(readerAt, readerAt+1), readerAt); !ok || b.Prov.Source != annotate.SourceReader {
			t.Errorf("replace %v: the reader's beat is gone: %+v", tc.replace, b)
		}
		want := len(real) + 1
		if tc.falseKept {
			want++
		}
		if n := s.sess.NumBeats(); n != want {
			t.Errorf("replace %v: %d beats, want %d (the run's, the reader's and the false one when kept)", tc.replace, n, want)
		}
		g.models.Close()
	}
}

// TestRunPreannotationStopsTheRunningJob: two lead changes in quick
// succession start two runs; the second stops the first (it was left
// running unseen, and merged into the session, before).
func TestRunPreannotationStopsTheRunningJob(t *testing.T) {
	g, rec, s := pipelineGUI(t)
	defer g.models.Close()
	g.rec, g.session, g.recID = rec, s.sess, s.id
	g.runPreannotation(rec, s, true)
	first := g.job
	g.runPreannotation(rec, s, true)
	select {
	case <-first.done:
	default:
		t.Error("the first run is still going after the second started")
	}
	if g.job == first {
		t.Error("the window holds the first run, not the second")
	}
	g.cancelPreannotation()
}
