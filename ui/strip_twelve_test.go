package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// twelveRecord is a synthetic 12-lead record of length d (I, II, III,
// aVR, aVL, aVF, V1-V6 at 250 Hz, 200 units/mV, sinus rhythm at 72 bpm
// with PVCs, light wander and muscle noise) and its reference beats.
func twelveRecord(tb testing.TB, d time.Duration) (*annotate.MemSignal, []annotate.Beat) {
	tb.Helper()
	cfg := synth.Default()
	cfg.Duration, cfg.Leads, cfg.Seed = d, 12, 12
	cfg.HR, cfg.Circadian = 72, 0
	cfg.PVC = synth.Ectopy{PerHour: 500}
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return &annotate.MemSignal{Meta: info, Samples: samples}, ann.Beats
}

// newTwelveStrip shows the 12-lead record on a strip at 25 mm/s from 4 s
// in a test window of w x h units.
func newTwelveStrip(t *testing.T, v fyne.ThemeVariant, w, h float32) (*Strip, fyne.Window, []annotate.Beat) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), v})
	sig, beats := twelveRecord(t, 30*time.Second)
	s := NewStrip()
	s.SetRecord(sig, nil, NewLabels(beats))
	win := test.NewTempWindow(t, s)
	win.SetPadded(false)
	win.Resize(fyne.NewSize(w, h))
	s.ScrollTo(4 * sig.Meta.Fs)
	return s, win, beats
}

// TestTwelveLeadGolden renders a 12-lead record in the 12-lead layout at
// 25 mm/s and 10 mm/mV, in both themes: three rows of four leads (I II
// III | aVR aVL aVF | V1 V2 V3 | V4 V5 V6), each column a quarter of the
// 8.5 s in view with a separator mark where the lead changes, the
// rhythm strip of II below over the whole view, a calibration pulse at
// the left of each row, the beat labels above, a noise stretch on V2 and
// a selected beat with the cursor on it. The goldens were looked at when
// made; a mismatch writes the new image under testdata/failed.
func TestTwelveLeadGolden(t *testing.T) {
	for _, vr := range themeVariants {
		t.Run(vr.name, func(t *testing.T) {
			s, w, beats := newTwelveStrip(t, vr.v, 1000, 560)
			if c := s.LayoutChoice(); c.Layout != trace.LayoutTwelve {
				t.Fatalf("layout %d (%q), want the 12-lead layout", c.Layout, c.Text)
			}
			noise := []annotate.NoiseEntry{{ID: 1, Noise: annotate.Noise{Start: 8 * 250, End: 9 * 250, Lead: 7, Reason: "noise"}}}
			s.SetNoise(func() []annotate.NoiseEntry { return noise })
			b := NewLabels(beats).BeatsIn(10*250, 12*250)[0]
			s.SetSelection(b.Sample, b.Sample, b.Sample)
			test.AssertRendersToImage(t, "strip_"+vr.name+"_twelve.png", w.Canvas())
		})
	}
	// An RR interval measured on the rhythm strip, and the same interval
	// read on V2: its bar in V2's row, its points only in V2's column.
	for _, c := range []struct {
		name string
		lead int
	}{{"rhythm", 1}, {"v2", 7}} {
		t.Run("caliper_"+c.name, func(t *testing.T) {
			s, w, beats := newTwelveStrip(t, theme.VariantLight, 1000, 560)
			bs := NewLabels(beats).BeatsIn(8*250, 12*250)
			s.SetCaliper(Caliper{A: bs[0].Sample, B: bs[1].Sample, Lead: c.lead})
			test.AssertRendersToImage(t, "strip_light_twelve_caliper_"+c.name+".png", w.Canvas())
		})
	}
}

// TestTwelveLeadChoice checks when the strip draws the 12-lead layout
// and what it says: on a large enough window at 25 mm/s, not when
// switched off, not when the window is too small or the paper too slow,
// not with eleven of the twelve shown, and back when they all are.
func TestTwelveLeadChoice(t *testing.T) {
	s, w, _ := newTwelveStrip(t, theme.VariantLight, 1000, 560)
	want := func(step string, l trace.Layout, text string) {
		t.Helper()
		c := s.LayoutChoice()
		if c.Layout != l || !strings.Contains(c.Text, text) || (text == "") != (c.Text == "") {
			t.Errorf("%s: layout %d %q, want %d with %q", step, c.Layout, c.Text, l, text)
		}
	}
	want("opened", trace.LayoutTwelve, "12-lead layout 3×4 + rhythm II")
	s.SetTwelveLead(false)
	want("switched off", trace.LayoutStacked, "12-lead layout off")
	s.SetTwelveLead(true)
	want("switched on", trace.LayoutTwelve, "12-lead layout")
	w.Resize(fyne.NewSize(1000, 300))
	want("too low", trace.LayoutStacked, "window too small")
	w.Resize(fyne.NewSize(400, 560))
	want("too narrow", trace.LayoutStacked, "window too small")
	w.Resize(fyne.NewSize(1000, 560))
	s.ZoomOut()
	want("12.5 mm/s", trace.LayoutStacked, "needs 25 mm/s")
	s.ZoomIn()
	want("25 mm/s again", trace.LayoutTwelve, "12-lead layout")
	s.SetLeads([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	want("eleven shown", trace.LayoutStacked, "")
	s.SetLeads([]int{6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5})
	want("twelve in another order", trace.LayoutTwelve, "12-lead layout")
	if got := s.LayoutChoice().Leads; got[0] != 0 || got[6] != 6 {
		t.Errorf("leads drawn %v, want the standard order", got)
	}
}

// TestTwelveLeadKeysAndCaliper checks that the strip's keys, the click
// and the caliper keep working in the 12-lead layout: the arrows scroll
// and + zooms (to 50 mm/s, where a 1000-unit window still holds the
// layout), k places a caliper on the rhythm strip's lead II, ↑ ↓ walk the
// leads in the layout's order, a caliper drawn with the mouse in a cell
// reads that cell's lead, and a click reports the sample under it at the
// same x in every row.
func TestTwelveLeadKeysAndCaliper(t *testing.T) {
	s, w, _ := newTwelveStrip(t, theme.VariantLight, 1000, 560)
	w.Canvas().Focus(s)
	a0, _ := s.View()
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if a, _ := s.View(); a <= a0 {
		t.Errorf("→ did not scroll: start %d from %d", a, a0)
	}
	s.TypedRune('+')
	if s.Speed() != 50 || s.LayoutChoice().Layout != trace.LayoutTwelve {
		t.Errorf("+: %g mm/s, layout %q; want 50 mm/s in the 12-lead layout", s.Speed(), s.LayoutChoice().Text)
	}
	s.TypedRune('-')
	s.TypedRune('k')
	c, on := s.Caliper()
	if !on || c.Lead != 1 {
		t.Fatalf("k: caliper %+v shown %v, want one on lead II (1)", c, on)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c, _ := s.Caliper(); c.Lead != 2 {
		t.Errorf("↓ from II reads lead %d, want III (2)", c.Lead)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if c, _ := s.Caliper(); c.Lead != 0 {
		t.Errorf("↑ ↑ reads lead %d, want I (0)", c.Lead)
	}
	s.ClearCaliper()
	cells := s.cells(s.Size())
	v2 := cells[7].Rect // column 2, row 1
	if got := s.leadAt(fyne.NewPos(float32(v2.Min.X+20), float32(v2.Min.Y+10))); got != 7 {
		t.Errorf("lead under V2's cell: %d, want 7", got)
	}
	if got := s.leadAt(fyne.NewPos(float32(v2.Min.X+20), float32(cells[12].Rect.Min.Y+10))); got != 1 {
		t.Errorf("lead under the rhythm strip: %d, want II (1)", got)
	}
	var tapped int64 = -1
	s.OnTap = func(sample int64, _ bool) { tapped = sample }
	x := float32(v2.Min.X + 40)
	test.TapAt(s, fyne.NewPos(x, float32(v2.Min.Y+10)))
	if want := s.sampleAt(x); tapped != want {
		t.Errorf("click in V2's cell: sample %d, want %d (the same instant as in the rhythm strip below)", tapped, want)
	}
}

// TestRecordScreenTwelveLead checks the record screen's side: the status
// line says which layout the strip draws, t switches the 12-lead layout
// off and on again, telling OnTwelveLead (which keeps it in the
// preferences) and OnLayout, and a window too low for it says so.
func TestRecordScreenTwelveLead(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), theme.VariantLight})
	sig, beats := twelveRecord(t, 30*time.Second)
	r := NewRecordScreen()
	r.Inline = true
	t.Cleanup(r.Close)
	var kept []bool
	var said []string
	r.OnTwelveLead = func(on bool) { kept = append(kept, on) }
	r.OnLayout = func(text string) { said = append(said, text) }
	w := test.NewTempWindow(t, r.Content())
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 760))
	r.SetWindow(w)
	r.SetRecord(sig, NewLabels(beats))
	<-r.Ready()
	w.Canvas().Focus(r.Strip)
	status := func(step, want string) {
		t.Helper()
		if !strings.Contains(r.StatusText(), want) {
			t.Errorf("%s: status %q, want %q in it", step, r.StatusText(), want)
		}
	}
	status("opened", "12-lead layout 3×4 + rhythm II")
	press(w, ch('t'))
	status("t", "stacked leads (12-lead layout off)")
	press(w, ch('t'))
	status("t again", "12-lead layout 3×4 + rhythm II")
	if len(kept) != 2 || kept[0] || !kept[1] {
		t.Errorf("OnTwelveLead saw %v, want [false true]", kept)
	}
	w.Resize(fyne.NewSize(1000, 480))
	status("a low window", "window too small for the 12-lead layout")
	if n := len(said); n < 4 || !strings.Contains(said[n-1], "too small") {
		t.Errorf("OnLayout saw %q, want the layouts in turn ending with the low window's", said)
	}
}
