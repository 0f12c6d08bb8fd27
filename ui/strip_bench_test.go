package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// dayRecord returns a 24 h procedural record (2 leads, 250 Hz, about
// 108,000 beats) and its built pyramid, shared by the benchmarks.
func dayRecord(b *testing.B) (*tracetest.ECG, *trace.Pyramid) { return procRecord(b, 24*time.Hour) }

// memSignal stands for a decoded record file in the page cache: it serves
// the samples of a 24 h procedural ECG from a copy of its first ten
// minutes, repeated, so a read costs a copy and not the generator's sines
// (which cost more than the drawing at the zooms that read samples).
type memSignal struct {
	info annotate.RecordInfo
	buf  [][]int32
}

func newMemSignal(b *testing.B, sig annotate.Signal) *memSignal {
	info := sig.Info()
	n := int(10 * 60 * info.Fs)
	m := &memSignal{info: info, buf: make([][]int32, len(info.Leads))}
	for i := range m.buf {
		m.buf[i] = make([]int32, n)
	}
	if _, err := sig.Read(m.buf, 0); err != nil {
		b.Fatal(err)
	}
	return m
}

func (m *memSignal) Info() annotate.RecordInfo { return m.info }

func (m *memSignal) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start >= m.info.NSamples {
		return 0, annotate.ErrOutOfRange
	}
	k := int(min(int64(len(dst[0])), m.info.NSamples-start))
	n := len(m.buf[0])
	for l := range dst {
		for i := 0; i < k; {
			j := int((start + int64(i)) % int64(n))
			i += copy(dst[l][i:k], m.buf[l][j:])
		}
	}
	return k, nil
}

// BenchmarkStripRedraw measures one frame of the strip on a 24 h record
// with every beat labelled (mixed provenance, a noise stretch, a
// selection): the overlay layout (labels, RR texts, ruler) and the raster
// (paper, traces, marks, shading), 1000 x 400 units at scale 1, at every
// zoom from 50 mm/s to the whole day. Each frame starts at another place
// of the record, so nothing is served from the last frame's samples. The
// samples come from memSignal, the min/max pyramid from the 24 h record.
func BenchmarkStripRedraw(b *testing.B) {
	sig, pyr := dayRecord(b)
	test.NewTempApp(b).Settings().SetTheme(variantTheme{NewTheme(), theme.VariantLight})
	labels, noise := mixedLabels(sig.Beats())
	s := NewStrip()
	s.SetRecord(newMemSignal(b, sig), pyr, labels)
	s.SetNoise(func() []annotate.NoiseEntry { return noise })
	w := test.NewTempWindow(b, s)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 400))
	r := test.WidgetRenderer(s).(*stripRenderer)
	n := sig.Info().NSamples
	for _, sp := range []float64{50, 25, 12.5, 6.25, 3.125, 1.5625, 0.78125, 0.1, 0.01, 0} {
		name := fmt.Sprintf("%gmms", sp)
		if sp == 0 {
			name = "24h"
		}
		b.Run(name, func(b *testing.B) {
			s.SetSpeed(sp, 0)
			a, e := s.View()
			span := e - a
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				s.start = float64((int64(i) * 7_919 * 250) % max(1, n-span))
				s.SetSelection(int64(s.start)+span/3, int64(s.start)+span/2, int64(s.start)+span/2)
				r.Refresh()
				r.draw(1000, 400)
			}
		})
	}
}

// BenchmarkOverviewRedraw measures one frame of the overview's tracks on
// the 24 h record with its 108,000 beats (HR trend, ectopy, confidence,
// review state summed per column), 1000 units wide.
func BenchmarkOverviewRedraw(b *testing.B) {
	sig, pyr := dayRecord(b)
	test.NewTempApp(b).Settings().SetTheme(variantTheme{NewTheme(), theme.VariantLight})
	labels, _ := mixedLabels(sig.Beats())
	o := NewOverview()
	o.SetRecord(sig, pyr, labels)
	w := test.NewTempWindow(b, o)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 120))
	r := test.WidgetRenderer(o).(*overviewRenderer)
	b.ReportAllocs()
	for b.Loop() {
		r.Refresh()
		r.draw(1000, 120)
	}
}

// BenchmarkDisclosureRedraw measures one full-disclosure page of the
// 24 h record, 1000 x 660 units, at 30, 60 and 120 s a line, with lines to
// fit (15 lines of 44 units, non-N beats lettered) and with 30 lines a
// page (marks only), at a different hour each frame; the samples come from
// memSignal, as for the strip. Each pixel column of a line is drawn from
// the min/max envelope of its samples (the pyramid's buckets where they
// fit a column), never sample by sample.
func BenchmarkDisclosureRedraw(b *testing.B) {
	sig, pyr := dayRecord(b)
	test.NewTempApp(b).Settings().SetTheme(variantTheme{NewTheme(), theme.VariantLight})
	labels, _ := mixedLabels(sig.Beats())
	mem := newMemSignal(b, sig)
	for _, lines := range []int{FitLines, 30} {
		for _, secs := range LineSecondsChoices {
			b.Run(fmt.Sprintf("%gs-a-line/%s", secs, linesName(lines)), func(b *testing.B) {
				d := NewDisclosure()
				d.SetRecord(mem, pyr, labels)
				d.SetDensity(secs, lines)
				w := test.NewTempWindow(b, d)
				w.SetPadded(false)
				w.Resize(fyne.NewSize(1000, 660))
				r := test.WidgetRenderer(d).(*disclosureRenderer)
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					d.ShowSample(int64(i%24) * 3600 * 250)
					i++
					r.Refresh()
					r.draw(1000, 660)
				}
			})
		}
	}
}
