package trace

import (
	"context"
	"fmt"
	"image"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// The strip-redraw benchmarks draw a 1200 x 600 frame (grid and both
// leads) of a 24 h, 2-lead, 250 Hz record at five visible spans, scrolling
// by a tenth of the span between frames so no frame reuses the last one's
// samples. The record is the procedural ECG copied into memory as int16,
// so a read costs what reading a decoded record costs, not what computing
// the procedural samples costs.

var (
	dayOnce sync.Once
	daySrc  *Source
)

// daySource is a 24 h, 2-lead, 250 Hz record held in memory as int16 (86
// MB, as a decoded record would be read), with its pyramid built.
func daySource(b *testing.B) *Source {
	dayOnce.Do(func() {
		sig := newMem16(tracetest.New(250, 2, 24*time.Hour))
		p, err := NewPyramid(sig, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Build(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		daySrc = NewSource(sig, p)
	})
	return daySrc
}

// mem16 is an annotate.Signal held in memory as int16 per lead.
type mem16 struct {
	info annotate.RecordInfo
	data [][]int16
}

func newMem16(sig annotate.Signal) *mem16 {
	info := sig.Info()
	m := &mem16{info: info, data: make([][]int16, len(info.Leads))}
	buf := make([][]int32, len(info.Leads))
	for l := range buf {
		buf[l] = make([]int32, 1<<16)
		m.data[l] = make([]int16, info.NSamples)
	}
	for pos := int64(0); pos < info.NSamples; {
		n, _ := sig.Read(buf, pos)
		for l := range buf {
			for i, v := range buf[l][:n] {
				m.data[l][pos+int64(i)] = int16(v)
			}
		}
		pos += int64(n)
	}
	return m
}

func (m *mem16) Info() annotate.RecordInfo { return m.info }

func (m *mem16) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start >= m.info.NSamples {
		return 0, annotate.ErrOutOfRange
	}
	n := int(min(int64(len(dst[0])), m.info.NSamples-start))
	for l := range dst {
		src := m.data[l][start : start+int64(n)]
		for i, v := range src {
			dst[l][i] = int32(v)
		}
	}
	return n, nil
}

var spans = []struct {
	name string
	dur  time.Duration
}{{"10s", 10 * time.Second}, {"1min", time.Minute}, {"1h", time.Hour}, {"24h", 24 * time.Hour},
	// 10 min is 125 samples per column, just under the 24 h record's
	// 128-sample finest bucket: near the most samples a frame reads from
	// the signal instead of the pyramid.
	{"10min", 10 * time.Minute}}

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
			cpu0 := cpuTime()
			n := 0
			for i := 0; b.Loop(); i++ {
				f.View.Start = min(float64(i)*step, max(last, 0))
				if err := f.Draw(img, src); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
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
			cpu0, n := cpuTime(), 0
			for i := 0; b.Loop(); i++ {
				f.View.Start = float64(i) * step
				if err := f.Draw(img, raw); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
		})
	}
}

// BenchmarkClear is the floor of any redraw: painting 1200 x 600 pixels.
func BenchmarkClear(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 600))
	cpu0, n := cpuTime(), 0
	for b.Loop() {
		Fill(img, img.Rect, paperStyle.Paper)
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
}

// cpuTime returns the CPU time the process has used, in nanoseconds. The
// machines the benchmarks run on are shared; CPU time per frame is what a
// frame costs whatever else runs, wall time (ns/op) what it took today.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
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
			cpu0, n := cpuTime(), 0
			for b.Loop() {
				n++
				var err error
				if p, err = NewPyramid(sig, 0); err != nil {
					b.Fatal(err)
				}
				if err := p.Build(context.Background(), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
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
			cpu0, n := cpuTime(), 0
			for b.Loop() {
				readAll(b, sig, buf)
				n++
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/op")
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
