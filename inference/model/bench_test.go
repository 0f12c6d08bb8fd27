package model

import (
	"fmt"
	"path/filepath"
	"testing"
)

// benchModel loads beat_small.onnx (the example: 2 leads × 256 samples and
// 4 RR features in, 5 classes and a 16-value embedding out) with the
// given intra-op threads.
func benchModel(b *testing.B, threads int, spin bool) *Model {
	env, err := NewEnv(Options{Library: testEnv(b).Library(), Threads: threads, Spin: spin})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { env.Close() })
	m, err := Load(filepath.Join(modelDir, "beat_small.onnx"), env)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkBeatModel measures the beat model alone: Run on 1024 prepared
// beats (one ONNX Runtime run with output checks), at 1 and 2 threads,
// and at 2 threads with spinning threads.
func BenchmarkBeatModel(b *testing.B) {
	for _, c := range []struct {
		threads int
		spin    bool
	}{{1, false}, {2, false}, {2, true}} {
		b.Run(fmt.Sprintf("threads=%d/spin=%v", c.threads, c.spin), func(b *testing.B) {
			m := benchModel(b, c.threads, c.spin)
			batch := randomBatch(m, 1024, 1)
			b.SetBytes(int64(4 * (len(batch.Waveform) + len(batch.RR))))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.Run(batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch.N)/b.Elapsed().Seconds(), "beats/s")
		})
	}
}

// BenchmarkClassifyBeats measures preparation and the model together:
// 1024 beats of a 2-lead 250 Hz record, read, resampled to 360 Hz,
// z-scored, with RR features, then run, at 1 and 2 threads. The
// "prepare" case is the input preparation alone.
func BenchmarkClassifyBeats(b *testing.B) {
	sig, peaks := beatRecord(250, 0.8, 830, "MLII", "V1")
	index := make([]int, 1024)
	for i := range index {
		index[i] = i
	}
	b.Run("prepare", func(b *testing.B) {
		m := benchModel(b, 1, false)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := m.PrepareBeats(sig, peaks, index); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
	})
	for _, k := range []string{"", "8", "16"} {
		b.Run("prepare-180Hz/template="+k, func(b *testing.B) {
			m := templateModel(b, k)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := m.PrepareBeats(sig, peaks, index); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
		})
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			m := benchModel(b, threads, false)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := m.ClassifyBeats(sig, peaks, index); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
		})
	}
}
