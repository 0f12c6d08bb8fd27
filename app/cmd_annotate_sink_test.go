package main

import (
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// TestModelSinkAbortsFailedCommit: when the model writer's Commit fails
// (here the writer was spoilt by beats out of order, as a failed chunk
// write leaves it), save returns the error and the deferred abort drops
// the staged layer instead of leaving it in the database.
func TestModelSinkAbortsFailedCommit(t *testing.T) {
	dir := t.TempDir()
	info := annotate.RecordInfo{Fs: 250, Leads: []annotate.Lead{{Name: "MLII", Units: "mV", Gain: 200, ADCRes: 12}}}
	if err := wfdb.WriteRecord(dir, "r", info, 16, [][]int32{make([]int32, 2500)}); err != nil {
		t.Fatal(err)
	}
	rec, err := store.Open(filepath.Join(dir, "r.hea"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := newModelSink(db, rec, "", "")
	if err != nil {
		t.Fatal(err)
	}
	chunk := s.chunk(func() {})
	beats := []annotate.Beat{{Sample: 500, Code: annotate.Normal}}
	chunk(pipeline.Chunk{Stage: pipeline.StageBeats, Output: annotate.ModelOutput{Beats: beats}})
	chunk(pipeline.Chunk{Stage: pipeline.StageBeats, Output: annotate.ModelOutput{Beats: beats}})
	if _, err := s.save(&pipeline.Result{}, "", &models{}); err == nil {
		t.Fatal("save after a failed write succeeded")
	}
	s.abort()
	if staged, err := db.ModelStaged(s.id); err != nil || staged {
		t.Errorf("after the failed save and abort: staged %v (%v), want nothing staged", staged, err)
	}
}
