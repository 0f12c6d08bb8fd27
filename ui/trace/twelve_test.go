package trace

import (
	"image"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/dsp"
)

// leadsNamed returns leads in mV with the given names.
func leadsNamed(names ...string) []annotate.Lead {
	out := make([]annotate.Lead, len(names))
	for i, n := range names {
		out[i] = annotate.Lead{Name: n, Units: "mV", Gain: 200}
	}
	return out
}

// std12 is the standard twelve as a cart writes them.
var std12 = []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// TestChooseLayout is the layout decision: the 12-lead layout for the
// standard twelve shown (in any order or spelling) on a window large
// enough at 25 mm/s or faster, stacked lanes for anything else, saying
// why on a 12-lead record.
func TestChooseLayout(t *testing.T) {
	big := Paper{WidthMM: 250, HeightMM: 120, Speed: 25} // 10 s of paper, rows of 30 mm
	ptb := leadsNamed("i", "ii", "iii", "avr", "avl", "avf", "v1", "v2", "v3", "v4", "v5", "v6", "vx", "vy", "vz")
	cart := leadsNamed("V1", "V2", "V3", "V4", "V5", "V6", "Lead I", "ECG II", "DIII", "AVR", "-aVL", "aVF")
	mlII := leadsNamed(append([]string{"I", "MLII"}, std12[2:]...)...)
	twice := leadsNamed(append([]string{"I", "II", "II"}, std12[3:11]...)...)
	pressure := leadsNamed(std12...)
	pressure[6].Units = "mmHg"
	cases := []struct {
		name   string
		leads  []annotate.Lead
		shown  []int
		paper  Paper
		on     bool
		layout Layout
		order  []int  // the leads drawn, for the 12-lead layout
		text   string // in the status text ("" : none)
	}{
		{"standard twelve", leadsNamed(std12...), upTo(12), big, true, LayoutTwelve, upTo(12), "12-lead layout 3×4 + rhythm II"},
		{"PTB's twelve of fifteen", ptb, upTo(12), big, true, LayoutTwelve, upTo(12), "rhythm II"},
		{"chest first, other spellings", cart, upTo(12), big, true, LayoutTwelve, []int{6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5}, "12-lead"},
		{"shown in another order", leadsNamed(std12...), []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, big, true, LayoutTwelve, upTo(12), "12-lead"},
		{"50 mm/s, wide enough", leadsNamed(std12...), upTo(12), Paper{WidthMM: 250, HeightMM: 120, Speed: 50}, true, LayoutTwelve, upTo(12), "12-lead"},
		{"fifteen shown", ptb, upTo(15), big, true, LayoutStacked, nil, ""},
		{"eleven shown", leadsNamed(std12...), upTo(11), big, true, LayoutStacked, nil, ""},
		{"eleven leads", leadsNamed(std12[:11]...), upTo(11), big, true, LayoutStacked, nil, ""},
		{"MLII for II", mlII, upTo(12), big, true, LayoutStacked, nil, ""},
		{"II twice", twice, upTo(12), big, true, LayoutStacked, nil, ""},
		{"a pressure named V1", pressure, upTo(12), big, true, LayoutStacked, nil, ""},
		{"two-lead Holter", leadsNamed("MLII", "V1"), upTo(2), big, true, LayoutStacked, nil, ""},
		{"switched off", leadsNamed(std12...), upTo(12), big, false, LayoutStacked, nil, "12-lead layout off"},
		{"12.5 mm/s", leadsNamed(std12...), upTo(12), Paper{WidthMM: 250, HeightMM: 120, Speed: 12.5}, true, LayoutStacked, nil, "needs 25 mm/s"},
		{"too low", leadsNamed(std12...), upTo(12), Paper{WidthMM: 250, HeightMM: 50, Speed: 25}, true, LayoutStacked, nil, "window too small"},
		{"too narrow", leadsNamed(std12...), upTo(12), Paper{WidthMM: 90, HeightMM: 120, Speed: 25}, true, LayoutStacked, nil, "window too small"},
		{"too narrow at 50 mm/s", leadsNamed(std12...), upTo(12), Paper{WidthMM: 150, HeightMM: 120, Speed: 50}, true, LayoutStacked, nil, "window too small"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ChooseLayout(c.leads, c.shown, c.paper, c.on)
			if got.Layout != c.layout {
				t.Fatalf("layout %d (%q), want %d", got.Layout, got.Text, c.layout)
			}
			want := c.order
			if c.layout == LayoutStacked {
				want = c.shown
			}
			if !slices.Equal(got.Leads, want) {
				t.Errorf("leads %v, want %v", got.Leads, want)
			}
			if c.layout == LayoutTwelve && annotate.DisplayName(c.leads[got.Rhythm]) != "II" {
				t.Errorf("rhythm strip lead %d (%s), want II", got.Rhythm, c.leads[got.Rhythm].Name)
			}
			if (c.text == "") != (got.Text == "") || !strings.Contains(got.Text, c.text) {
				t.Errorf("text %q, want one with %q", got.Text, c.text)
			}
		})
	}
}

// TestLayoutCells checks the 12-lead layout's geometry: the grid's cells
// and the rhythm strip tile the plot without overlap, column k is the
// k-th quarter of the width (so it shows the k-th quarter of the view's
// time), the leads go I, II, III down the first column, and the rhythm
// strip spans the width; a layout that does not have twelve leads stacks.
func TestLayoutCells(t *testing.T) {
	plot := image.Rect(3, 20, 1003, 420)
	leads := []int{20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}
	cells := LayoutCells(nil, plot, LayoutTwelve, leads, 21)
	if len(cells) != 13 {
		t.Fatalf("%d cells, want 13", len(cells))
	}
	area := 0
	for i, c := range cells {
		area += c.Rect.Dx() * c.Rect.Dy()
		if !c.Rect.In(plot) {
			t.Errorf("cell %d %v outside the plot %v", i, c.Rect, plot)
		}
		for j := range i {
			if c.Rect.Overlaps(cells[j].Rect) {
				t.Errorf("cells %d %v and %d %v overlap", i, c.Rect, j, cells[j].Rect)
			}
		}
		if i == 12 {
			continue
		}
		col, row := i/3, i%3
		if x := plot.Min.X + col*250; c.Rect.Min.X != x || c.Rect.Dx() != 250 {
			t.Errorf("cell %d (col %d) spans x %d+%d, want %d+250", i, col, c.Rect.Min.X, c.Rect.Dx(), x)
		}
		if y := plot.Min.Y + row*100; c.Rect.Min.Y != y || c.Lead != leads[i] {
			t.Errorf("cell %d at y %d lead %d, want y %d lead %d", i, c.Rect.Min.Y, c.Lead, y, leads[i])
		}
	}
	if area != plot.Dx()*plot.Dy() {
		t.Errorf("cells cover %d px², the plot %d", area, plot.Dx()*plot.Dy())
	}
	if r := cells[12]; r.Lead != 21 || r.Rect != image.Rect(3, 320, 1003, 420) {
		t.Errorf("rhythm strip %+v, want lead 21 over the last quarter, whole width", r)
	}
	if got := CellOf(cells, 21); got != 12 {
		t.Errorf("CellOf(II) = %d, want the rhythm strip (12)", got)
	}
	if got := CellAt(cells, image.Pt(3+2*250+10, 20+150)); got != 7 {
		t.Errorf("CellAt(column 2, row 1) = %d, want 7 (V2)", got)
	}
	if s := LayoutCells(nil, plot, LayoutTwelve, leads[:11], 21); len(s) != 11 || s[0].Rect.Dx() != plot.Dx() {
		t.Errorf("eleven leads in the 12-lead layout: %d cells of width %d, want 11 stacked lanes", len(s), s[0].Rect.Dx())
	}
}

// TestEnvelopeInMatchesView checks that a cell's envelope, read for its
// columns only, is the whole view's over those columns: from the samples,
// through a display filter, and from the pyramid.
func TestEnvelopeInMatchesView(t *testing.T) {
	base := buildSource(t, 10*time.Minute)
	chain := dsp.NewChain(dsp.ZeroPhaseHighPass(0.5, 250), dsp.Notch(50, 30, 250), dsp.ZeroPhaseLowPass(40, 250))
	cases := []struct {
		name string
		v    View
		flt  Filter
	}{
		{"25 mm/s", View{Start: 61 * 250, SPP: 2.11, Width: 1000}, nil},
		{"zoomed in", View{Start: 61 * 250, SPP: 0.3, Width: 1000}, nil},
		{"25 mm/s filtered", View{Start: 61 * 250, SPP: 2.11, Width: 1000}, chain},
		{"pyramid", View{Start: 100, SPP: 300, Width: 1000}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := NewSource(base.Signal(), base.Pyramid())
			src.SetFilter(c.flt)
			var whole, part Envelope
			if err := src.Envelope(&whole, 1, c.v); err != nil {
				t.Fatal(err)
			}
			for k := range 4 {
				x0, x1 := k*250, (k+1)*250
				if err := src.EnvelopeIn(&part, 1, c.v, x0, x1); err != nil {
					t.Fatal(err)
				}
				for i := range part.Lo {
					if math.Abs(part.Lo[i]-whole.Lo[x0+i]) > 1e-9 || math.Abs(part.Hi[i]-whole.Hi[x0+i]) > 1e-9 {
						t.Fatalf("column %d: [%g, %g] in the cell, [%g, %g] in the view", x0+i, part.Lo[i], part.Hi[i], whole.Lo[x0+i], whole.Hi[x0+i])
					}
				}
			}
		})
	}
}

// overRange12 is overRange's square wave on every standard lead but III,
// which is flat: 4 s at 250 Hz, 200 units/mV.
func overRange12() annotate.Signal {
	const fs, n, gain = 250, 1000, 200
	s := make([][]int32, 12)
	for l := range s {
		s[l] = make([]int32, n)
		if l == 2 {
			continue
		}
		for k := range n {
			s[l][k] = 15 * gain
			if (k/(fs/4))%2 == 1 {
				s[l][k] = -15 * gain
			}
		}
	}
	return &annotate.MemSignal{Meta: annotate.RecordInfo{Name: "over-range-12", Fs: fs, NSamples: n, Leads: leadsNamed(std12...)}, Samples: s}
}

// TestTwelveCellsClip draws the 12-lead layout of an over-range record at
// 20 mm/mV and checks that the flat lead III's cell holds nothing but its
// baseline (and, at its right edge, the separator mark of the next lead),
// while every over-range lead reaches both edges of its own cell.
func TestTwelveCellsClip(t *testing.T) {
	src := NewSource(overRange12(), nil)
	img := image.NewRGBA(image.Rect(0, 0, 400, 400))
	f := paperFrame(400, 400, 1, 0)
	f.Gain, f.Layout, f.Leads, f.Rhythm = 20, LayoutTwelve, upTo(12), 1
	if err := f.Draw(img, src); err != nil {
		t.Fatal(err)
	}
	if len(f.Cells) != 13 {
		t.Fatalf("%d cells, want 13", len(f.Cells))
	}
	rc, mid := f.LaneRect(2), f.Lanes[2].Y(0)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		for x := rc.Min.X; x < rc.Max.X-2; x++ {
			if math.Abs(float64(y)+0.5-mid) > 2 && isTrace(img, x, y) {
				t.Fatalf("trace at (%d, %d) in lead III's cell %v (baseline row %.1f)", x, y, rc, mid)
			}
		}
	}
	for i := range f.Cells {
		if i != 2 {
			checkInside(t, img, f, i)
		}
	}
}
