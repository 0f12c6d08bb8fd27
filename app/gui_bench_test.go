package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
	"github.com/ecgstation/ecgstation/ui/trace"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// daySession makes a label database in a temporary folder holding a 24 h
// procedural record (2 leads, 250 Hz, about 108,000 beats); with seed, its
// beats are the model layer, as after a pre-annotation. It returns the
// reader "bench"'s session on it and the signal.
func daySession(b *testing.B, seed bool) (*annotate.Session, *tracetest.ECG) {
	b.Helper()
	sig := tracetest.New(250, 2, 24*time.Hour)
	db, err := store.OpenDB(filepath.Join(b.TempDir(), "labels.db"), store.DBOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	h := sha256.Sum256([]byte(sig.Info().Name))
	id := annotate.RecordID(hex.EncodeToString(h[:]))
	if err := db.PutRecord(id, "procedural", sig.Info()); err != nil {
		b.Fatal(err)
	}
	if seed {
		out := annotate.ModelOutput{}
		for _, bt := range sig.Beats() {
			bt.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "bench@1", Confidence: 0.9}
			out.Beats = append(out.Beats, bt)
		}
		if err := db.SaveModelOutput(id, out, "bench@1"); err != nil {
			b.Fatal(err)
		}
	}
	sess, err := annotate.Open(db, id, annotate.Options{Reader: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	return sess, sig
}

// stripFrame returns a function drawing one strip frame as the window does:
// the renderer's refresh (overlay layout) and its raster's pixels.
func stripFrame(s *ui.Strip) func() {
	r := test.WidgetRenderer(s)
	ras := r.Objects()[0].(*canvas.Raster)
	return func() {
		r.Refresh()
		sz := ras.Size()
		ras.Generator(int(sz.Width), int(sz.Height))
	}
}

// BenchmarkKeyToRelabel measures, on a 24 h record in a real label
// database, the time from a relabel key on the focused strip to the end
// of the strip's next frame: the session's commit (durable in bbolt),
// reading the touched beats back and drawing. The keys alternate v and n
// on one selected beat, so every press is a real change.
func BenchmarkKeyToRelabel(b *testing.B) {
	sess, sig := daySession(b, true)
	test.NewTempApp(b).Settings().SetTheme(ui.NewTheme())
	r := ui.NewRecordScreen()
	r.Inline = true // the test driver runs fyne.Do on the calling goroutine
	w := test.NewTempWindow(b, r.Content())
	w.Resize(fyne.NewSize(1200, 700))
	r.SetWindow(w)
	r.SetRecord(sig, nil)
	b.Cleanup(r.Close)
	<-r.Ready()
	r.SetEditor(sess)
	r.Strip.ScrollTo(12 * 3600 * 250)
	w.Canvas().Focus(r.Strip)
	f := w.Canvas().Focused()
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	frame := stripFrame(r.Strip)
	for _, withFrame := range []bool{false, true} {
		name := "edit"
		if withFrame {
			name = "edit+frame"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				f.TypedRune([]rune{'v', 'n'}[i%2])
				i++
				if withFrame {
					frame()
				}
			}
		})
	}
}

// swapBeats is a BeatSource whose beats are replaced whole, as the record
// screen's copy is when a merge is read.
type swapBeats struct {
	beats atomic.Pointer[[]annotate.Beat]
}

func (s *swapBeats) BeatsIn(t0, t1 int64) []annotate.Beat {
	p := s.beats.Load()
	if p == nil {
		return nil
	}
	bs := *p
	i := sort.Search(len(bs), func(i int) bool { return bs[i].Sample >= t0 })
	j := sort.Search(len(bs), func(i int) bool { return bs[i].Sample >= t1 })
	return bs[i:max(i, j)]
}

// BenchmarkFrameWhilePreannotating measures the strip's frame on a 24 h
// record while the pipeline pre-annotates it in the background (the
// default models when ONNX Runtime is there, else detection only): chunks
// merge into the session, the whole label set is read off the drawing
// goroutine after each merge (as the record screen's watcher does), and
// each frame takes the newest copy and draws at 25 mm/s somewhere else in
// the record.
func BenchmarkFrameWhilePreannotating(b *testing.B) {
	sess, sig := daySession(b, false)
	test.NewTempApp(b).Settings().SetTheme(ui.NewTheme())
	pyr, err := trace.NewPyramid(sig, 0)
	if err == nil {
		err = pyr.Build(context.Background(), nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	src := &swapBeats{}
	s := ui.NewStrip()
	s.SetRecord(sig, pyr, src)
	w := test.NewTempWindow(b, s)
	w.Resize(fyne.NewSize(1000, 400))
	frame := stripFrame(s)
	n := sig.Info().NSamples
	run := func(b *testing.B) {
		b.ReportAllocs()
		i := int64(0)
		for b.Loop() {
			s.ScrollTo(float64((i * 7_919 * 250) % n))
			i++
			frame()
		}
	}
	// Idle: every beat in, nothing running; the baseline of the ratio.
	all := sig.Beats()
	src.beats.Store(&all)
	b.Run("idle", run)
	src.beats.Store(nil)
	b.Run("preannotating", func(b *testing.B) {
		merges, stop := startPreannotating(b, sess, sig, src)
		defer stop()
		m0 := merges.Load()
		run(b)
		b.ReportMetric(float64(merges.Load()-m0), "merges")
	})
}

// startPreannotating runs the pipeline on sig into sess and publishes the
// whole beat list into src after every merge; it returns once the first
// chunk is in, with the merge count and a stop function.
func startPreannotating(b *testing.B, sess *annotate.Session, sig annotate.Signal, src *swapBeats) (*atomic.Int64, func()) {
	svc := modelsvc.New(modelsvc.Config{Threads: 1})
	b.Cleanup(func() { _ = svc.Close() })
	beat, rhythm, err := svc.Suggesters()
	if err != nil {
		b.Logf("models unavailable (%v): detection and rules only", err)
	}
	merges := &atomic.Int64{}
	first := make(chan struct{})
	p, err := pipeline.New(pipeline.Config{Signal: sig, Beat: beat, Rhythm: rhythm, Beats: sess,
		OnChunk: func(c pipeline.Chunk) {
			if _, err := sess.MergeModel(c.Output); err != nil {
				b.Error(err)
				return
			}
			beats := sess.BeatsIn(0, 1<<62)
			src.beats.Store(&beats)
			if merges.Add(1) == 1 {
				close(first)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _, _ = p.Run(ctx) }()
	<-first
	return merges, func() { cancel(); <-done }
}
