package main

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// adaptDay is a 24 h synthetic record (250 Hz, 2 leads, about 100,000
// beats; 150 fascicular V beats and 150 S beats an hour, which the shipped
// model calls N) in a real label database, its model layer the shipped beat
// model's labels, the adapter's features read (the beat model over every
// beat, once), and a reader session holding one reader label per 500 beats
// (the reference's code). It is made once per test binary: -count 5 runs
// reuse it.
type adaptDay struct {
	dir   string
	rec   *store.Recording
	db    *store.DB
	sess  *annotate.Session
	feat  *adapt.Features
	truth map[int64]annotate.Code
	next  int // index into order of the next beat a reader labels
	order []int64
	err   error
}

var (
	adaptDayOnce sync.Once
	adaptDayRec  adaptDay
)

// benchAdaptDay returns the shared 24 h record, building it the first time
// in a folder TestMain removes when the tests end (not at the first
// benchmark's cleanup: later runs use it).
func benchAdaptDay(b *testing.B) *adaptDay {
	b.Helper()
	needRuntime(b)
	adaptDayOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ecgstation-adaptday-")
		if err == nil {
			adaptDayRec.dir = dir
			err = adaptDayRec.build(dir)
		}
		adaptDayRec.err = err
	})
	if adaptDayRec.err != nil {
		b.Fatal(adaptDayRec.err)
	}
	return &adaptDayRec
}

// build writes the record and its database into dir.
func (d *adaptDay) build(dir string) error {
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 24*time.Hour, 24
	cfg.PVC, cfg.PVCOrigin, cfg.PAC = synth.Ectopy{PerHour: 150, Coupling: 0.75}, synth.OriginFascicular, synth.Ectopy{PerHour: 150}
	_, ann, err := writeSynthRecord(dir, "day", cfg, 16)
	if err != nil {
		return err
	}
	if d.rec, err = store.Open(filepath.Join(dir, "day.hea")); err != nil {
		return err
	}
	svc := modelsvc.New(modelsvc.Config{Threads: 1})
	m, err := svc.Beat()
	if err != nil {
		return err
	}
	if d.feat, err = adapt.NewFeatures(m, d.rec.Signal); err != nil {
		return err
	}
	d.truth = map[int64]annotate.Code{}
	var beats []annotate.Beat
	for _, b := range ann.Beats {
		if b.Code.IsBeat() {
			d.truth[b.Sample] = b.Code
			beats = append(beats, annotate.Beat{Sample: b.Sample, Code: annotate.Unclassified, Prov: annotate.Provenance{Source: annotate.SourceDetector}})
		}
	}
	if _, err := d.feat.Add(context.Background(), beats, nil); err != nil {
		return err
	}
	return d.open(dir, beats)
}

// open makes the database: the record, its model layer (the population
// labels from the features' probabilities, as the pipeline gives them) and
// the reader's first labels.
func (d *adaptDay) open(dir string, beats []annotate.Beat) error {
	in, err := d.feat.Input(beats)
	if err != nil {
		return err
	}
	m := d.feat.Model()
	out := annotate.ModelOutput{Beats: make([]annotate.Beat, len(in.Beats))}
	for i, b := range in.Beats {
		p := in.Probs[i*len(in.Classes) : (i+1)*len(in.Classes)]
		best := 0
		for k := range p {
			if p[k] > p[best] {
				best = k
			}
		}
		b.Code = in.Classes[best].Code()
		b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: m.Meta().ID(), Confidence: p[best], Probs: append([]float32(nil), p...)}
		out.Beats[i] = b
	}
	if d.db, err = store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{}); err != nil {
		return err
	}
	id, err := store.HashRecord(d.rec.Path)
	if err == nil {
		err = d.db.PutRecord(id, d.rec.Path, d.rec.Signal.Info())
	}
	if err == nil {
		err = d.db.SaveModelOutput(id, out, m.Meta().ID())
	}
	if err == nil {
		d.sess, err = annotate.Open(d.db, id, annotate.Options{Reader: "bench", MergeWindow: mergeWindow(250)})
	}
	if err != nil {
		return err
	}
	for i := 0; i < len(beats); i += 97 { // the order the reader labels beats in: spread over the day
		d.order = append(d.order, beats[i].Sample)
	}
	for range len(beats) / 500 {
		if err := d.label(); err != nil {
			return err
		}
	}
	_, err = d.feat.Run(context.Background(), d.sess, adapt.Product())
	return err
}

// close closes the record and the database and removes the folder.
func (d *adaptDay) close() {
	if d.dir == "" {
		return
	}
	if d.db != nil {
		d.db.Close()
	}
	if d.rec != nil {
		d.rec.Close()
	}
	os.RemoveAll(d.dir)
}

// TestMain removes the shared 24 h record of the benchmarks after the run.
// With $ECGSTATION_TEST_AS_MAIN=1 the test binary is the ecgstation
// program instead (the Slurm test's jobs run it: no second build).
func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	adaptDayRec.close()
	os.Exit(code)
}

// label has the reader label the next beat of the order by the reference.
func (d *adaptDay) label() error {
	at := d.order[d.next%len(d.order)]
	d.next++
	return d.sess.Relabel([]int64{at}, d.truth[at], "")
}

// BenchmarkAdaptAfterEdit24h is the adapter's cost after a reader edit on
// a 24 h record (about 100,000 beats), features cached: each op is one
// reader relabel (committed to bbolt) and one adapt.Features.Run (read the
// labels, fit, relabel the unreviewed beats, commit them to bbolt). The
// reader-label count grows by one each op, so every adapted label's Who
// changes and is written again. run-ms is Features.Run alone, fit-ms and
// commit-ms its parts in Adapt and in Session.SetAdapted; cpu-ms/op is the
// process's user+system CPU time per op (garbage collection included),
// which other work on a shared machine does not inflate. Run it on one
// core:
//
//	go test ./app -run '^$' -bench BenchmarkAdaptAfterEdit24h -benchtime 5x -count 5 -cpu 1
func BenchmarkAdaptAfterEdit24h(b *testing.B) {
	d := benchAdaptDay(b)
	var run, fit, commit time.Duration
	var sum adapt.Summary
	cpu0 := cpuTime()
	for b.Loop() {
		if err := d.label(); err != nil {
			b.Fatal(err)
		}
		s, err := d.feat.Run(context.Background(), d.sess, adapt.Product())
		if err != nil {
			b.Fatal(err)
		}
		run, fit, commit = run+s.Elapsed, fit+s.Fit, commit+s.Commit
		sum = s
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpuTime()-cpu0)/n/1e6, "cpu-ms/op")
	b.ReportMetric(float64(run.Milliseconds())/n, "run-ms")
	b.ReportMetric(float64(fit.Milliseconds())/n, "fit-ms")
	b.ReportMetric(float64(commit.Milliseconds())/n, "commit-ms")
	b.ReportMetric(float64(sum.Learned), "reader-labels")
	b.ReportMetric(float64(sum.Adapted), "adapted-beats")
	b.ReportMetric(float64(d.sess.NumBeats()), "beats")
}

// BenchmarkFrameWhileAdapting measures the strip's frame (25 mm/s,
// somewhere else in the record each frame) on the 24 h record, idle and
// while the adapter runs without pause beside it (a reader edit, a Run,
// the whole label set read again for the strip, as the record screen's
// watcher does, and again). An op is framesPerOp frames (so -benchtime 5x
// draws 2000, over several adapter runs); frame-ms is one frame.
func BenchmarkFrameWhileAdapting(b *testing.B) {
	d := benchAdaptDay(b)
	test.NewTempApp(b).Settings().SetTheme(ui.NewTheme())
	pyr, err := trace.NewPyramid(d.rec.Signal, 0)
	if err == nil {
		err = pyr.Build(context.Background(), nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	src := &swapBeats{}
	all := d.sess.BeatsIn(0, 1<<62)
	src.beats.Store(&all)
	s := ui.NewStrip()
	s.SetRecord(d.rec.Signal, pyr, src)
	w := test.NewTempWindow(b, s)
	w.Resize(fyne.NewSize(1000, 400))
	frame := stripFrame(s)
	n := d.rec.Signal.Info().NSamples
	run := func(b *testing.B) {
		i := int64(0)
		t0 := time.Now()
		for b.Loop() {
			for range framesPerOp {
				s.ScrollTo(float64((i * 7_919 * 250) % n))
				i++
				frame()
			}
		}
		b.ReportMetric(float64(time.Since(t0).Microseconds())/1000/float64(i), "frame-ms")
	}
	b.Run("idle", run)
	b.Run("adapting", func(b *testing.B) {
		runs, stop := startAdapting(b, d, src)
		defer stop()
		r0 := runs()
		run(b)
		b.ReportMetric(float64(runs()-r0), "adapter-runs")
	})
}

// framesPerOp is how many strip frames one op of BenchmarkFrameWhileAdapting draws.
const framesPerOp = 400

// startAdapting runs reader edits and the adapter back to back on d until
// stop, publishing the label set into src after each run.
func startAdapting(b *testing.B, d *adaptDay, src *swapBeats) (runs func() int, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	var mu sync.Mutex
	n := 0
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if err := d.label(); err != nil {
				b.Error(err)
				return
			}
			if _, err := d.feat.Run(ctx, d.sess, adapt.Product()); err != nil && ctx.Err() == nil {
				b.Error(err)
				return
			}
			beats := d.sess.BeatsIn(0, 1<<62)
			src.beats.Store(&beats)
			mu.Lock()
			n++
			mu.Unlock()
		}
	}()
	return func() int { mu.Lock(); defer mu.Unlock(); return n }, func() { cancel(); <-done }
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
