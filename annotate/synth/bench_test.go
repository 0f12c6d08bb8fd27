package synth

import (
	"testing"
	"time"
)

// benchGenerate streams one record of c per iteration in chunks of 64 Ki
// samples. SetBytes counts the record at 2 bytes a sample (its int16 size),
// so MB/s compares with decode speeds; samples/s counts samples per lead.
func benchGenerate(b *testing.B, c Config) {
	c = c.withDefaults()
	n := int64(c.Duration.Seconds() * c.Fs)
	b.SetBytes(n * int64(c.Leads) * 2)
	b.ReportAllocs()
	buf := make([][]int32, c.Leads)
	for l := range buf {
		buf[l] = make([]int32, 1<<16)
	}
	for b.Loop() {
		g, err := New(c)
		if err != nil {
			b.Fatal(err)
		}
		var ann Annotations
		for g.Next(buf) > 0 {
			g.Drain(&ann)
			ann.Beats = ann.Beats[:0]
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

// copyBaseline is the floor the generator is measured against: filling the
// same int32 buffers with a counter, in the same chunks.
func BenchmarkBaselineFill1h(b *testing.B) {
	n := int64(3600 * 250)
	b.SetBytes(n * 2 * 2)
	buf := [][]int32{make([]int32, 1<<16), make([]int32, 1<<16)}
	for b.Loop() {
		for done := int64(0); done < n; done += 1 << 16 {
			for _, l := range buf {
				for i := range l {
					l[i] = int32(done) + int32(i)
				}
			}
		}
	}
}

// BenchmarkGenerate1h: 1 hour, 2 leads, 250 Hz.
func BenchmarkGenerate1h(b *testing.B) {
	clean := Default()
	clean.Duration, clean.Noise = time.Hour, NoiseConfig{}
	noisy := Default()
	noisy.Duration = time.Hour
	demo := Demo()
	demo.Duration = time.Hour
	demo.Noise.Real = []NoiseRecord{fakeNoise(360, 2, 60)}
	demo.Noise.RealSNR = 12
	b.Run("clean", func(b *testing.B) { benchGenerate(b, clean) })
	b.Run("default-noise", func(b *testing.B) { benchGenerate(b, noisy) })
	b.Run("demo+recorded-noise", func(b *testing.B) { benchGenerate(b, demo) })
}
