package trace

import (
	"fmt"
	"image"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// Layout is how a frame arranges the leads it draws.
type Layout uint8

const (
	// LayoutStacked draws every lead over the whole view, in equal lanes
	// one under the other.
	LayoutStacked Layout = iota
	// LayoutTwelve draws the standard twelve leads as a 12-lead ECG cart
	// prints them: three rows of four columns (I II III | aVR aVL aVF |
	// V1 V2 V3 | V4 V5 V6), column k showing the k-th quarter of the view,
	// and a rhythm strip of one lead over the whole view below. A pixel
	// column is the same time in every row, so the paper scale, the time
	// ruler and the beat labels above hold for every lead.
	LayoutTwelve
)

// The 12-lead layout's shape: grid rows of leads, columns of time, and
// the rows of the whole plot (the grid's and the rhythm strip's).
const (
	TwelveRows    = 3
	TwelveColumns = 4
	twelvePlot    = TwelveRows + 1
)

// The 12-lead layout is only drawn where it stays readable on paper: at
// MinTwelveSpeed (25 mm/s) or faster, rows at least MinTwelveRowMM high
// (1.5 mV at 10 mm/mV) and columns of at least MinTwelveColSeconds
// (a beat at 60 bpm). Below that the leads are stacked.
const (
	MinTwelveSpeed      = PaperSpeed // mm/s
	MinTwelveRowMM      = 15.0       // mm
	MinTwelveColSeconds = 1.0        // s
)

// Cell is one trace of a frame: lead Lead (an index into the record's
// leads) drawn in Rect, over Rect's pixel columns only.
type Cell struct {
	Lead int
	Rect image.Rectangle
}

// LayoutCells returns the cells of layout l in plot (pixels or any other
// unit), appended to dst[:0]. Stacked: one full-width lane per lead of
// leads, top to bottom, splitting the height equally. Twelve: leads holds
// the twelve in standard order; cell i (i < 12) is column i/3, row i%3 of
// a grid taking the top three quarters of the plot, and cell 12 is the
// rhythm strip, lead rhythm over the whole width of the last quarter.
func LayoutCells(dst []Cell, plot image.Rectangle, l Layout, leads []int, rhythm int) []Cell {
	dst = dst[:0]
	if l == LayoutTwelve && len(leads) == TwelveRows*TwelveColumns {
		for i, lead := range leads {
			col, row := i/TwelveRows, i%TwelveRows
			rc := image.Rect(split(plot.Min.X, plot.Dx(), TwelveColumns, col), split(plot.Min.Y, plot.Dy(), twelvePlot, row),
				split(plot.Min.X, plot.Dx(), TwelveColumns, col+1), split(plot.Min.Y, plot.Dy(), twelvePlot, row+1))
			dst = append(dst, Cell{Lead: lead, Rect: rc})
		}
		rc := image.Rect(plot.Min.X, split(plot.Min.Y, plot.Dy(), twelvePlot, TwelveRows), plot.Max.X, plot.Max.Y)
		return append(dst, Cell{Lead: rhythm, Rect: rc})
	}
	for i, lead := range leads {
		rc := image.Rect(plot.Min.X, split(plot.Min.Y, plot.Dy(), len(leads), i), plot.Max.X, split(plot.Min.Y, plot.Dy(), len(leads), i+1))
		dst = append(dst, Cell{Lead: lead, Rect: rc})
	}
	return dst
}

// split returns the start of part i of n equal parts of length size
// starting at origin, rounded to the nearest whole unit.
func split(origin, size, n, i int) int {
	return origin + int(math.Round(float64(size)*float64(i)/float64(max(n, 1))))
}

// CellAt returns the index of the cell of cells holding point p, or -1.
func CellAt(cells []Cell, p image.Point) int {
	for i, c := range cells {
		if p.In(c.Rect) {
			return i
		}
	}
	return -1
}

// CellOf returns the index of the cell drawing lead, or -1: the last one
// when several do (the rhythm strip's, for its lead).
func CellOf(cells []Cell, lead int) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if cells[i].Lead == lead {
			return i
		}
	}
	return -1
}

// Paper is the strip's paper as the layout decision needs it: the plot's
// size in millimetres of paper and the paper speed in mm/s.
type Paper struct {
	WidthMM, HeightMM float64
	Speed             float64
}

// LayoutChoice is what ChooseLayout decided: the layout, the leads in the
// order drawn (for LayoutTwelve the twelve in standard order), the rhythm
// strip's lead, and in Text what the status line says ("" for a record
// whose shown leads are not the standard twelve, always stacked).
type LayoutChoice struct {
	Layout Layout
	Leads  []int
	Rhythm int
	Text   string
}

// ChooseLayout decides how the strip draws the shown leads (indices into
// leads, top to bottom): the 12-lead layout when they are exactly the
// standard twelve (annotate.TwelveLeads: names in any case, "Lead II",
// "ECG aVR", "DII"), on is true (the reader has not switched it off) and
// the paper is large and fast enough (MinTwelveSpeed, MinTwelveRowMM,
// MinTwelveColSeconds); stacked otherwise. The rhythm strip is lead II.
func ChooseLayout(leads []annotate.Lead, shown []int, p Paper, on bool) LayoutChoice {
	stacked := LayoutChoice{Layout: LayoutStacked, Leads: shown}
	twelve := twelveOf(leads, shown)
	if twelve == nil {
		return stacked
	}
	rowMM, colS := p.HeightMM/twelvePlot, p.WidthMM/TwelveColumns/max(p.Speed, 1e-9)
	switch {
	case !on:
		stacked.Text = "stacked leads (12-lead layout off)"
	case p.Speed < MinTwelveSpeed-1e-9:
		stacked.Text = fmt.Sprintf("stacked leads: the 12-lead layout needs %g mm/s or faster", MinTwelveSpeed)
	case rowMM < MinTwelveRowMM || colS < MinTwelveColSeconds:
		stacked.Text = fmt.Sprintf("stacked leads: window too small for the 12-lead layout (rows %.0f mm, need %g; columns %.1f s, need %g)",
			rowMM, MinTwelveRowMM, colS, MinTwelveColSeconds)
	default:
		return LayoutChoice{Layout: LayoutTwelve, Leads: twelve, Rhythm: twelve[1],
			Text: "12-lead layout 3×4 + rhythm " + annotate.DisplayName(leads[twelve[1]])}
	}
	return stacked
}

// twelveOf returns the shown leads in standard order when they are
// exactly the standard twelve, else nil.
func twelveOf(leads []annotate.Lead, shown []int) []int {
	if len(shown) != TwelveRows*TwelveColumns {
		return nil
	}
	sub := make([]annotate.Lead, len(shown))
	for k, i := range shown {
		if i < 0 || i >= len(leads) {
			return nil
		}
		sub[k] = leads[i]
	}
	t := annotate.TwelveLeads(sub)
	if t == nil {
		return nil
	}
	for k, i := range t {
		t[k] = shown[i]
	}
	return t
}
