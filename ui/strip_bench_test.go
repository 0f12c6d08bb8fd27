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
// (paper, traces, marks, shading, calibration pulses), 1000 x 400 units at
// scale 1, at every zoom from 50 mm/s to the whole day, with the display
// filters off, each one on, and all on. Each frame starts at another place
// of the record, so nothing is served from the last frame's samples (nor
// their filtered copy: the worst case, a scroll); the frames of a span are
// drawn once untimed first, so the text caches are warm for every setting. The samples come from
// memSignal, the min/max pyramid from the 24 h record. Besides the wall
// time it reports the CPU time a frame costs (cpu-ns/op), which on a
// shared machine does not count the waits for a core.
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
		s.SetFilters(Filters{})
		s.SetSpeed(sp, 0)
		frames(s, r, n, 0, benchWarm) // the text caches: every filter setting then draws the same frames warm
		for _, fl := range benchFilters {
			b.Run(name+"/"+fl.name, func(b *testing.B) {
				s.SetFilters(fl.f)
				s.SetSpeed(sp, 0)
				b.ReportAllocs()
				b.ResetTimer()
				cpu := cpuTime()
				frames(s, r, n, 0, b.N)
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// benchWarm is how many frames of each span are drawn before they are
// timed: the first frame at a place measures its new texts (ruler times,
// RR intervals) with the font shaper, a cost that would fall on whichever
// filter setting ran first.
const benchWarm = 600

// frames draws frames i0 to i0+k of the strip benchmark: frame i starts
// 7,919 s further into the n-sample record than frame i-1 (wrapping) with
// a range selected.
func frames(s *Strip, r *stripRenderer, n int64, i0, k int) {
	a, e := s.View()
	span := e - a
	for i := i0; i < i0+k; i++ {
		s.start = float64((int64(i) * 7_919 * 250) % max(1, n-span))
		s.SetSelection(int64(s.start)+span/3, int64(s.start)+span/2, int64(s.start)+span/2)
		r.Refresh()
		r.draw(1000, 400)
	}
}

// benchFilters are the display filter settings the strip benchmark runs.
var benchFilters = []struct {
	name string
	f    Filters
}{
	{"off", Filters{MainsHz: 50}},
	{"HP", Filters{Baseline: true, MainsHz: 50}},
	{"notch", Filters{Mains: true, MainsHz: 50}},
	{"LP", Filters{Muscle: true, MainsHz: 50}},
	{"all", Filters{Baseline: true, Mains: true, Muscle: true, MainsHz: 50}},
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
