package model

import (
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// rhythmBench is the record of BenchmarkPrepareRhythm, made once.
var rhythmBench struct {
	once  sync.Once
	sig   *annotate.MemSignal
	peaks []int64
}

// rhythmBenchRecord returns a 2-hour 2-lead synthetic record at 250 Hz and
// its beats.
func rhythmBenchRecord(b *testing.B) (*annotate.MemSignal, []int64) {
	rhythmBench.once.Do(func() {
		cfg := synth.Default()
		cfg.Duration = 2 * time.Hour
		info, samples, ann, err := synth.Record(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rhythmBench.sig = &annotate.MemSignal{Meta: info, Samples: samples}
		for _, x := range ann.Beats {
			rhythmBench.peaks = append(rhythmBench.peaks, x.Sample)
		}
	})
	return rhythmBench.sig, rhythmBench.peaks
}

// BenchmarkPrepareRhythm measures a rhythm model's input preparation for
// 1024 segments of 32 beats, 8 beats apart (the pipeline's stride), of a
// 2-hour synthetic record (2 leads, 250 Hz): "rr" for rhythm_small.onnx
// (RR features alone, as the default rhythm model), "waveform" for
// rhythm_wave.onnx (also each beat's 1-lead window, 72+36 samples at
// 180 Hz) in one call, "waveform-pieces" in the pipeline's pieces of 110
// segments, and "beat-windows" the 32,768 windows of the segments' beats
// cut one by one by PrepareBeats: what cutting each beat once per segment
// that holds it would cost, without the copies.
func BenchmarkPrepareRhythm(b *testing.B) {
	sig, peaks := rhythmBenchRecord(b)
	starts := rhythmStarts(len(peaks), 32, 8)[:1024]
	run := func(b *testing.B, m *Model, piece int) {
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for a := 0; a < len(starts); a += piece {
				if _, err := m.PrepareRhythm(sig, peaks, starts[a:min(a+piece, len(starts))]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(starts))/b.Elapsed().Seconds(), "segments/s")
	}
	b.Run("rr", func(b *testing.B) { run(b, loadTest(b, "rhythm_small.onnx"), len(starts)) })
	b.Run("waveform", func(b *testing.B) { run(b, loadTest(b, "rhythm_wave.onnx"), len(starts)) })
	b.Run("waveform-pieces", func(b *testing.B) { run(b, loadTest(b, "rhythm_wave.onnx"), 110) })
	b.Run("beat-windows", func(b *testing.B) {
		twin := beatTwin(b, rhythmWaveProps())
		var index []int
		for _, s := range starts {
			for k := range 32 {
				index = append(index, s+k)
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := twin.PrepareBeats(sig, peaks, index); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(starts))/b.Elapsed().Seconds(), "segments/s")
	})
}
