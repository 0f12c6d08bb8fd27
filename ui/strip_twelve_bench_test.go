package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// BenchmarkStripRedrawTwelve measures one strip frame of a 10 min
// synthetic 12-lead record (twelveRecord: every beat labelled, a range
// selected) in a 1000 x 560 unit strip at scale 1, drawn in the 12-lead
// layout and, on the same record and window, as twelve stacked lanes, at
// 25 and 50 mm/s, with the display filters off and all on. Each frame
// starts at another place of the record, as in BenchmarkStripRedraw.
// Besides the wall time it reports the CPU time a frame costs.
func BenchmarkStripRedrawTwelve(b *testing.B) {
	sig, beats := twelveRecord(b, 10*time.Minute)
	info := sig.Info()
	pyr, err := trace.NewPyramid(sig, 0)
	if err == nil {
		err = pyr.Build(context.Background(), nil)
	}
	if err != nil {
		b.Fatal(err)
	}
	test.NewTempApp(b).Settings().SetTheme(variantTheme{NewTheme(), theme.VariantLight})
	s := NewStrip()
	s.SetRecord(sig, pyr, NewLabels(beats))
	w := test.NewTempWindow(b, s)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 560))
	r := test.WidgetRenderer(s).(*stripRenderer)
	for _, sp := range []struct {
		name  string
		speed float64
	}{{"25mms", 25}, {"50mms", 50}} {
		for _, lay := range []string{"twelve", "stacked"} {
			for _, fl := range []struct {
				name string
				f    Filters
			}{benchFilters[0], benchFilters[len(benchFilters)-1]} {
				b.Run(sp.name+"/"+lay+"/"+fl.name, func(b *testing.B) {
					s.SetFilters(fl.f)
					s.SetSpeed(sp.speed, 0)
					s.SetTwelveLead(lay == "twelve")
					if got := s.LayoutChoice().Layout == trace.LayoutTwelve; got != (lay == "twelve") {
						b.Fatalf("layout %q, want %s", s.LayoutChoice().Text, lay)
					}
					twelveFrames(s, r, info.NSamples, 100) // warm: every place the timed frames draw, so the text caches are
					b.ReportAllocs()
					b.ResetTimer()
					cpu := cpuTime()
					twelveFrames(s, r, info.NSamples, b.N)
					b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}

// twelveFrames draws k frames of the 1000 x 560 strip, frame i starting
// 37 s further into the n-sample record than frame i-1 (wrapping), with a
// range selected.
func twelveFrames(s *Strip, r *stripRenderer, n int64, k int) {
	a, e := s.View()
	span := e - a
	for i := range k {
		s.start = float64((int64(i) * 37 * 250) % max(1, n-span))
		s.SetSelection(int64(s.start)+span/3, int64(s.start)+span/2, int64(s.start)+span/2)
		r.Refresh()
		r.draw(1000, 560)
	}
}
