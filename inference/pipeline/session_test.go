package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// openSession opens a reader's session on a record in memory.
func openSession(t *testing.T) *annotate.Session {
	t.Helper()
	s, err := annotate.Open(&annotate.MemRepository{}, annotate.RecordID("synthetic"), annotate.Options{Reader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReaderLabelsKept streams a run into a session, lets the reader
// relabel, delete and insert beats, and runs again: the second run's chunks
// never overwrite the reader's labels nor bring back the deleted beat, and
// still label the beats nobody touched.
func TestReaderLabelsKept(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	s := openSession(t)
	var stats annotate.MergeStats
	merge := func(c Chunk) {
		st, err := s.MergeModel(c.Output)
		if err != nil {
			t.Fatal(err)
		}
		stats.Kept += st.Kept
		stats.Rejected += st.Rejected
		stats.Unchanged += st.Unchanged
	}
	p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, OnChunk: merge})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.NumBeats() != len(res.Output.Beats) {
		t.Fatalf("session has %d beats, the run %d", s.NumBeats(), len(res.Output.Beats))
	}
	b := res.Output.Beats
	relabel, del := []int64{b[10].Sample, b[500].Sample}, b[20].Sample
	inserted := (b[30].Sample + b[31].Sample) / 2
	must(t, s.Relabel(relabel, annotate.PVC, "looks ventricular"))
	must(t, s.Delete([]int64{del}, "artefact"))
	must(t, s.Insert(inserted, annotate.APC, "missed beat"))
	stats = annotate.MergeStats{}
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, x := range relabel {
		if got, _ := s.Beat(x); got.Code != annotate.PVC || got.Prov.Source != annotate.SourceReader {
			t.Errorf("beat %d: %+v, want the reader's V", x, got)
		}
	}
	if _, ok := s.Beat(del); ok {
		t.Errorf("the beat the reader deleted at %d came back", del)
	}
	if got, _ := s.Beat(inserted); got.Code != annotate.APC {
		t.Errorf("the reader's beat at %d: %+v", inserted, got)
	}
	// unchanged: the other beats and the episodes; kept: the reader's two
	// beats and the noise stretches already there
	ne, nn := len(res.Output.Episodes), len(res.Output.Noise)
	if stats.Kept != 2+nn || stats.Rejected != 1 || stats.Unchanged != len(b)-3+ne {
		t.Errorf("second merge: %+v, want %d kept, 1 rejected, %d unchanged", stats, 2+nn, len(b)-3+ne)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
