package trace

import (
	"context"
	"fmt"
	"image"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// The strip-redraw benchmarks draw a 1200 x 600 frame (grid and both
// leads) of a 24 h, 2-lead, 250 Hz record at four visible spans, scrolling
// by a tenth of the span between frames so no frame reuses the last one's
// samples.

var (
	dayOnce sync.Once
	daySrc  *Source
)

func daySource(b *testing.B) *Source {
	dayOnce.Do(func() { daySrc = buildSource(b, 24*time.Hour) })
	return daySrc
}

var spans = []struct {
	name string
	dur  time.Duration
}{{"10s", 10 * time.Second}, {"1min", time.Minute}, {"1h", time.Hour}, {"24h", 24 * time.Hour}}

func spanFrame(dur time.Duration) *Frame {
	const w, h = 1200, 600
	return &Frame{
		View: View{SPP: dur.Seconds() * 250 / w, Width: w}, Fs: 250, PxPerMM: 4.72,
		Plot: image.Rect(0, 20, w, h-20), Style: paperStyle, MinGap: 3,
	}
}

func BenchmarkStripRedraw(b *testing.B) {
	src := daySource(b)
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for _, s := range spans {
		b.Run(s.name, func(b *testing.B) {
			f := spanFrame(s.dur)
			step := s.dur.Seconds() * 250 / 10
			last := float64(src.n) - f.View.End() + f.View.Start
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				f.View.Start = min(float64(i)*step, max(last, 0))
				if err := f.Draw(img, src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStripRedrawNoPyramid is the baseline: the same 1 min and 1 h
// frames computed from the samples, as without a pyramid.
func BenchmarkStripRedrawNoPyramid(b *testing.B) {
	raw := NewSource(daySource(b).Signal(), nil)
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for _, s := range spans[1:3] {
		b.Run(s.name, func(b *testing.B) {
			f := spanFrame(s.dur)
			step := s.dur.Seconds() * 250 / 10
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				f.View.Start = float64(i) * step
				if err := f.Draw(img, raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClear is the floor of any redraw: painting 1200 x 600 pixels.
func BenchmarkClear(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	for b.Loop() {
		Fill(img, img.Rect, paperStyle.Paper)
	}
}

var records = []struct {
	name string
	dur  time.Duration
}{{"24h", 24 * time.Hour}, {"7d", 7 * 24 * time.Hour}}

// BenchmarkPyramidBuild builds the pyramid of a 2-lead 250 Hz record;
// SetBytes is the record's int16 size, pyramid-MB the memory it keeps.
// BenchmarkSignalRead below reads the same samples without building, the
// baseline that tells what the pyramid itself costs.
func BenchmarkPyramidBuild(b *testing.B) {
	for _, r := range records {
		b.Run(r.name, func(b *testing.B) {
			sig := tracetest.New(250, 2, r.dur)
			b.SetBytes(sig.Info().NSamples * 2 * 2)
			b.ReportAllocs()
			var p *Pyramid
			for b.Loop() {
				var err error
				if p, err = NewPyramid(sig, 0); err != nil {
					b.Fatal(err)
				}
				if err := p.Build(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Bytes())/(1<<20), "pyramid-MB")
			b.ReportMetric(float64(p.K0()), "K0")
		})
	}
}

func BenchmarkSignalRead(b *testing.B) {
	for _, r := range records {
		b.Run(r.name, func(b *testing.B) {
			sig := tracetest.New(250, 2, r.dur)
			b.SetBytes(sig.Info().NSamples * 2 * 2)
			buf := [][]int32{make([]int32, 1<<chunkShift), make([]int32, 1<<chunkShift)}
			for b.Loop() {
				readAll(b, sig, buf)
			}
		})
	}
}

func readAll(b *testing.B, sig annotate.Signal, buf [][]int32) {
	n := sig.Info().NSamples
	for pos := int64(0); pos < n; pos += int64(len(buf[0])) {
		if _, err := readFull(sig, buf, pos, min(int64(len(buf[0])), n-pos)); err != nil {
			b.Fatal(fmt.Errorf("at %d: %w", pos, err))
		}
	}
}
