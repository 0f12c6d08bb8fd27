package ui

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestFiltersText checks what the strip says about its filters, with the
// mains frequency chosen and a record too slow for a filter.
func TestFiltersText(t *testing.T) {
	cases := []struct {
		name string
		f    Filters
		fs   float64
		want string
	}{
		{"none", Filters{MainsHz: 50}, 360, ""},
		{"all at 50 Hz mains", Filters{true, true, true, 50}, 360, "HP 0.5 Hz · notch 50 Hz · LP 40 Hz"},
		{"notch at 60 Hz mains", Filters{Mains: true, MainsHz: 60}, 250, "notch 60 Hz"},
		{"unknown mains is 50", Filters{Mains: true, MainsHz: 55}, 250, "notch 50 Hz"},
		{"baseline only", Filters{Baseline: true}, 128, "HP 0.5 Hz"},
		{"too slow for LP and notch", Filters{true, true, true, 50}, 64, "HP 0.5 Hz · notch 50 Hz: not at 64 Hz · LP 40 Hz: not at 64 Hz"},
	}
	for _, c := range cases {
		if got := c.f.Text(c.fs); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		sections := 0
		if flt := c.f.filter(c.fs); flt != nil {
			sections = strings.Count(c.want, " Hz") - strings.Count(c.want, "not at")
		}
		if want := strings.Count(c.want, " Hz") - strings.Count(c.want, "not at"); sections != want {
			t.Errorf("%s: the filter runs %d sections, want %d", c.name, sections, want)
		}
	}
}

// TestFilterKeys switches the filters from the keys F5 to F8 on the record
// screen and checks the strip, the tool bar, the status line and OnFilters
// (which keeps them in the preferences) follow, and that the filters
// change what is drawn.
func TestFilterKeys(t *testing.T) {
	r, _, w := newTestScreen(t, themeVariants[0].v)
	var saved []Filters
	r.OnFilters = func(f Filters) { saved = append(saved, f) }
	plain := w.Canvas().Capture()
	steps := []struct {
		key    fyne.KeyName
		want   Filters
		status string
	}{
		{fyne.KeyF5, Filters{Baseline: true}, "HP 0.5 Hz"},
		{fyne.KeyF6, Filters{Baseline: true, Mains: true}, "HP 0.5 Hz · notch 50 Hz"},
		{fyne.KeyF7, Filters{true, true, true, 0}, "HP 0.5 Hz · notch 50 Hz · LP 40 Hz"},
		{fyne.KeyF8, Filters{}, ""},
		{fyne.KeyF8, Filters{true, true, true, 0}, "HP 0.5 Hz · notch 50 Hz · LP 40 Hz"},
		{fyne.KeyF6, Filters{Baseline: true, Muscle: true}, "HP 0.5 Hz · LP 40 Hz"},
	}
	for i, s := range steps {
		press(w, k(s.key))
		if got := r.Strip.Filters(); got != s.want {
			t.Fatalf("after %s: filters %+v, want %+v", s.key, got, s.want)
		}
		if len(saved) != i+1 || saved[i] != s.want {
			t.Fatalf("after %s: OnFilters saw %+v", s.key, saved)
		}
		if st := r.status.Text; s.status != "" && !strings.Contains(st, s.status) {
			t.Errorf("after %s: status %q does not say %q", s.key, st, s.status)
		}
		if b := findButton(w.Content(), "Filters"); b == nil || (b.Importance == widget.HighImportance) != (s.status != "") {
			t.Errorf("after %s: the Filters button is not highlighted while, and only while, a filter is on", s.key)
		}
		for i, it := range r.toolbar.filters.menu().Items[:3] {
			name := []string{"HP 0.5 Hz", "notch 50 Hz", "LP 40 Hz"}[i]
			if on := strings.Contains(s.status, name); it.Checked != on || !strings.HasPrefix(it.Label, name) {
				t.Errorf("after %s: menu entry %q ticked %v, want %q ticked %v", s.key, it.Label, it.Checked, name, on)
			}
		}
	}
	if same(plain, w.Canvas().Capture()) {
		t.Error("the strip looks the same with the high-pass and low-pass on")
	}
	r.toolbar.filters.menu().Items[1].Action() // the tool bar's menu: notch on
	if f := r.Strip.Filters(); !f.Mains || len(saved) != len(steps)+1 {
		t.Fatalf("the menu's notch entry left the filters at %+v", f)
	}
	r.toolbar.filters.menu().Items[1].Action() // and off again

	press(w, k(fyne.KeyF8))
	if !same(plain, w.Canvas().Capture()) {
		t.Error("with every filter off again the strip differs from before")
	}
}

// TestFilterTextZoomedOut: zoomed out to where the strip draws the
// overview's min/max buckets the filters do not apply, and the status
// line says so.
func TestFilterTextZoomedOut(t *testing.T) {
	r, _, _ := newTestScreen(t, themeVariants[0].v)
	r.SetFilters(Filters{Baseline: true})
	if got := r.Strip.FilterText(); got != "HP 0.5 Hz" {
		t.Errorf("at 25 mm/s: %q", got)
	}
	r.Strip.SetSpeed(0, 0) // the whole record
	if got := r.Strip.FilterText(); got != "HP 0.5 Hz (off at this zoom)" {
		t.Errorf("whole record: %q", got)
	}
}

func same(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestStripCalibrationGolden renders the 1 mV calibration pulse at the
// left of each lead at 10 and 20 mm/mV and 25 and 50 mm/s, and the strip
// with every display filter on, in both themes. The pulse is CalSeconds
// wide at the paper speed and 1 mV tall at the gain, in the trace colour,
// clear of the lead's name. The goldens were looked at when made.
func TestStripCalibrationGolden(t *testing.T) {
	cases := []struct {
		name         string
		speed, gain  float64
		filters      Filters
		wantW, wantH float64 // the pulse, mm
	}{
		{"cal_10", 25, 10, Filters{}, 5, 10},
		{"cal_20", 25, 20, Filters{}, 5, 20},
		{"cal_50mms", 50, 10, Filters{}, 10, 10},
		{"filters", 25, 10, Filters{true, true, true, 50}, 5, 10},
	}
	for _, vr := range themeVariants {
		for _, c := range cases {
			t.Run(vr.name+"_"+c.name, func(t *testing.T) {
				s, w := newTestStrip(t, vr.v)
				w.Resize(fyne.NewSize(500, 400))
				s.SetGain(c.gain)
				s.SetSpeed(c.speed, 0)
				s.SetFilters(c.filters)
				s.ScrollTo(61 * 250)
				test.AssertRendersToImage(t, fmt.Sprintf("strip_%s_%s.png", vr.name, c.name), w.Canvas())
				r := test.WidgetRenderer(s).(*stripRenderer)
				pulses := r.frame.Calibration(r.nameBoxes(1))
				if len(pulses) != 2 {
					t.Fatalf("%d pulses, want one per lead", len(pulses))
				}
				for i, p := range pulses {
					wmm, hmm := (p.X2-p.X1)/unitsPerMM, (p.Base-p.Top)/unitsPerMM
					if d := wmm - c.wantW; d*d > 1e-6 || (hmm-c.wantH)*(hmm-c.wantH) > 1e-6 {
						t.Errorf("lead %d: pulse %.3f x %.3f mm, want %g x %g", i, wmm, hmm, c.wantW, c.wantH)
					}
					nm := r.nameBoxes(1)[i]
					pr := image.Rect(int(p.X0), int(p.Top), int(p.X3)+1, int(p.Base)+1)
					if pr.Overlaps(nm) {
						t.Errorf("lead %d: pulse %v overlaps the lead's name %v", i, pr, nm)
					}
				}
			})
		}
	}
}

// TestDisclosureFilterText: on the full-disclosure page the status line
// judges the filters by the page's own density, not by the strip's zoom.
// This record's finest overview bucket is 128 samples: 30 s a line (about
// 8 samples a pixel) is drawn from the samples, filtered; 120 s a line in
// a window 200 units wide (about 200 a pixel) from the buckets,
// unfiltered, and the status line says so.
func TestDisclosureFilterText(t *testing.T) {
	r, _, w := newTestScreen(t, themeVariants[0].v)
	r.SetFilters(Filters{Baseline: true})
	press(w, k(fyne.KeyF2)) // the full disclosure
	cases := []struct {
		secs  float64
		width float32
		want  string
	}{{30, 1000, "HP 0.5 Hz"}, {120, 200, "HP 0.5 Hz (off at this density)"}}
	for _, c := range cases {
		w.Resize(fyne.NewSize(c.width, w.Canvas().Size().Height))
		r.SetDisclosureDensity(c.secs, 15)
		if got := r.filterText(); got != c.want {
			t.Errorf("%g s a line: %q, want %q", c.secs, got, c.want)
		}
		if st := r.status.Text; !strings.Contains(st, c.want) {
			t.Errorf("%g s a line: the status line %q does not say %q", c.secs, st, c.want)
		}
	}
}
