package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/qrs"
)

// benchModels returns the default models (assets/models) when they exist,
// else the small test models, and says which.
func benchModels(b *testing.B) (beat, rhy *model.Model) {
	dir := filepath.Join("..", "..", "assets", "models")
	bn, rn := filepath.Join(dir, "beat.onnx"), filepath.Join(dir, "rhythm.onnx")
	if _, err := os.Stat(bn); err != nil {
		bn, rn = filepath.Join(modelDir, "beat_small.onnx"), filepath.Join(modelDir, "rhythm_small.onnx")
	}
	env := testEnv(b)
	var err error
	if beat, err = model.Load(bn, env); err != nil {
		b.Fatal(err)
	}
	if rhy, err = model.Load(rn, env); err != nil {
		b.Fatal(err)
	}
	b.Logf("models %s (%s), %s (%s); ONNX Runtime %s, %d thread(s) per session",
		bn, beat.Meta().ID(), rn, rhy.Meta().ID(), env.Version(), env.Threads())
	return beat, rhy
}

var day struct {
	once sync.Once
	sig  *view
	err  error
}

// daySignal is a 24-hour 2-lead 250 Hz synthetic record (synth.Default with
// the length of a Holter day), as `ecgstation synth --plain --duration 24h` makes.
func daySignal(b *testing.B) *view {
	day.once.Do(func() {
		cfg := synth.Default()
		cfg.Duration = 24 * time.Hour
		info, samples, _, err := synth.Record(cfg)
		day.sig, day.err = newView(info, samples, 0), err
	})
	if day.err != nil {
		b.Fatal(day.err)
	}
	return day.sig
}

// BenchmarkFirstLabels measures the time from Run to the chunk that holds
// the reader's position (the middle of a 24-hour record), then cancels:
// detection only (the baseline) and with the beat and rhythm models.
func BenchmarkFirstLabels(b *testing.B) {
	sig := daySignal(b)
	beat, rhy := benchModels(b)
	focus := sig.Info().NSamples / 2
	for _, c := range []struct {
		name      string
		beat, rhy *model.Model
	}{{"detect-only", nil, nil}, {"models", beat, rhy}} {
		b.Run(c.name, func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				total += firstLabels(b, Config{Signal: sig, Beat: c.beat, Rhythm: c.rhy}, focus)
			}
			b.ReportMetric(float64(total.Microseconds())/1e3/float64(b.N), "ms-to-focus")
		})
	}
}

// firstLabels runs until the chunk holding focus arrives and returns how
// long that took.
func firstLabels(b *testing.B, cfg Config, focus int64) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var took time.Duration
	var start time.Time
	cfg.OnChunk = func(c Chunk) {
		if took == 0 && c.Start <= focus && focus < c.End {
			took = time.Since(start)
			cancel()
		}
	}
	p, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	p.SetFocus(focus)
	start = time.Now()
	if _, err := p.Run(ctx); err != context.Canceled {
		b.Fatalf("run ended with %v before the focus chunk", err)
	}
	return took
}

// BenchmarkRun pre-annotates the first hour of the 24-hour record with the
// default workers: detection only, with the beat model, and with both models;
// the baseline is qrs.Detect over the hour in one pass on one core.
func BenchmarkRun(b *testing.B) {
	sig := daySignal(b)
	beat, rhy := benchModels(b)
	hour := int64(3600 * sig.Info().Fs)
	b.Run("baseline-qrs.Detect", func(b *testing.B) {
		h := sig.sub(0, hour)
		beats := 0
		for i := 0; i < b.N; i++ {
			bs, err := qrs.Detect(h, qrs.Options{})
			if err != nil {
				b.Fatal(err)
			}
			beats += len(bs)
		}
		b.ReportMetric(float64(beats)/b.Elapsed().Seconds(), "beats/s")
	})
	for _, c := range []struct {
		name      string
		beat, rhy *model.Model
	}{{"detect-only", nil, nil}, {"beat", beat, nil}, {"beat+rhythm", beat, rhy}} {
		b.Run(c.name, func(b *testing.B) {
			b.StopTimer()
			p, err := New(Config{Signal: sig, Beat: c.beat, Rhythm: c.rhy})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(hour * int64(len(sig.data)) * 4)
			b.ReportAllocs()
			b.StartTimer()
			beats := 0
			for i := 0; i < b.N; i++ {
				res, err := p.RunRegion(context.Background(), 0, hour)
				if err != nil {
					b.Fatal(err)
				}
				beats += len(res.Output.Beats)
			}
			b.ReportMetric(float64(beats)/b.Elapsed().Seconds(), "beats/s")
		})
	}
}

// BenchmarkReclassify measures re-classifying an inserted beat and its
// neighbours (5 beats) against a session, idle and while a run of the same
// pipeline keeps the other cores busy.
func BenchmarkReclassify(b *testing.B) {
	sig := daySignal(b)
	beat, _ := benchModels(b)
	s, err := annotate.Open(&annotate.MemRepository{}, "bench", annotate.Options{Reader: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Config{Signal: sig, Beat: beat, Beats: s, OnChunk: func(c Chunk) { s.MergeModel(c.Output) }})
	if err != nil {
		b.Fatal(err)
	}
	ten := int64(600 * sig.Info().Fs)
	res, err := p.RunRegion(context.Background(), 0, ten)
	if err != nil {
		b.Fatal(err)
	}
	at := res.Output.Beats[len(res.Output.Beats)/2].Sample
	b.Run("idle", func(b *testing.B) { reclassify(b, p, at) })
	b.Run("during-run", func(b *testing.B) {
		ctx, cancel := context.WithCancel(context.Background())
		busy, err := New(Config{Signal: sig, Beat: beat})
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); busy.RunRegion(ctx, ten, sig.Info().NSamples) }()
		b.ResetTimer()
		reclassify(b, p, at)
		b.StopTimer()
		cancel()
		<-done
	})
}

func reclassify(b *testing.B, p *Pipeline, at int64) {
	b.ReportAllocs()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := p.Reclassify(context.Background(), []int64{at}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1e3/float64(b.N), "ms/edit")
}

// BenchmarkClassify splits the classify stage for the benchmark's beat
// model on 1024 beats of the 24-hour record: input preparation (read,
// resample, normalise, RR features) and the model run alone, on one thread.
func BenchmarkClassify(b *testing.B) {
	sig := daySignal(b)
	beat, _ := benchModels(b)
	res, err := (&worker{p: &Pipeline{info: sig.Info(), cfg: Config{Signal: sig}}}).detect(sig.sub(0, int64(1200*sig.Info().Fs)))
	if err != nil || len(res) < 1024 {
		b.Fatalf("%d beats: %v", len(res), err)
	}
	peaks := make([]int64, len(res))
	for i, x := range res {
		peaks[i] = x.Sample
	}
	index := make([]int, 1024)
	for i := range index {
		index[i] = i
	}
	batch, err := beat.PrepareBeats(sig, peaks, index)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("prepare", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := beat.PrepareBeats(sig, peaks, index); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
	})
	b.Run("model", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := beat.Run(batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
	})
}

// BenchmarkStream runs a new pipeline with the beat model over the first 6
// hours of the 24-hour record keeping the chunks (as a Result) and
// streaming them (Config.Stream, each chunk dropped once handed over), and
// reports the heap the result still holds after the run (MB-kept: Go heap
// in use after a collection, against before the run) and per hour of
// record (MB-kept/h): what grows with a record's length. Rhythm is left
// out: it runs over Marks in both modes.
func BenchmarkStream(b *testing.B) {
	sig := daySignal(b)
	beat, _ := benchModels(b)
	const hours = 6
	end := int64(hours * 3600 * sig.Info().Fs)
	for _, stream := range []bool{false, true} {
		name := map[bool]string{false: "whole", true: "stream"}[stream]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var kept float64
			for b.Loop() {
				kept = heapKept(b, func() (*Result, error) {
					p, err := New(Config{Signal: sig, Beat: beat, Stream: stream, OnChunk: func(Chunk) {}})
					if err != nil {
						return nil, err
					}
					return p.RunRegion(context.Background(), 0, end)
				})
			}
			b.ReportMetric(kept/1e6, "MB-kept")
			b.ReportMetric(kept/1e6/hours, "MB-kept/h")
		})
	}
}

// heapKept runs run and returns the bytes of Go heap that its result
// holds.
func heapKept(b *testing.B, run func() (*Result, error)) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := run()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}
