package trace

import (
	"image"
	"image/color"
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Zoomed out to bandSeconds or more per column (about a beat), a lead is
// drawn as a band of opacity bandOpacity with solid edges.
const (
	bandSeconds = 0.5
	bandOpacity = 0.35
)

// Style holds the colours and line widths of a frame.
type Style struct {
	Paper, Minor, Major, Trace color.RGBA
	TraceWidth                 float64 // trace line width, pixels
	GridWidth                  int     // grid line width, pixels
}

// Frame draws one strip image: ECG paper and the leads in cells (see
// Layout: stacked in equal lanes, or the 12-lead layout), each lead
// centred on a major grid line at the median of its cell's column
// midpoints and clipped to its cell. Set the exported fields, then call
// Draw; a Frame keeps scratch buffers, so reuse it for the next frame.
type Frame struct {
	View    View
	Fs      float64         // sampling frequency, Hz
	PxPerMM float64         // pixels per millimetre of paper
	Plot    image.Rectangle // where the grid and lanes go
	Style   Style
	MinGap  float64 // smallest gap between grid lines, pixels
	Gain    float64 // paper gain, mm/mV; 0 means PaperGain
	// Leads lists the leads to draw, top to bottom; nil draws every lead.
	// For LayoutTwelve it holds the standard twelve in standard order.
	Leads []int
	// Layout arranges the leads; LayoutTwelve with Rhythm, the lead of
	// the rhythm strip (see LayoutCells).
	Layout Layout
	Rhythm int
	// NameRoom is the height, pixels, at the top of each lane where the
	// lead's name is written; a lane moved to fit its trace keeps it clear
	// when there is room.
	NameRoom float64

	// Cells holds, after Draw, where each trace went, and Lanes the
	// lane (baseline and scale) of each cell.
	Cells []Cell
	Lanes []Lane
	// Step holds, after Draw, the time grid drawn.
	Step GridStep

	env   Envelope
	lines []GridLine
	mids  []float64
	order []int
}

// Draw paints the frame into img. A read error leaves the affected lead
// blank and is returned after the rest is drawn.
func (f *Frame) Draw(img *image.RGBA, src *Source) error {
	st := f.Style
	Fill(img, img.Rect, st.Paper)
	leads := src.Signal().Info().Leads
	f.drawTimeGrid(img)
	f.drawAmpGrid(img)
	f.Cells = LayoutCells(f.Cells, f.Plot, f.Layout, f.leadOrder(len(leads)), f.Rhythm)
	f.layoutLanes()
	gain := f.gain()
	var firstErr error
	for i, c := range f.Cells {
		if c.Lead < 0 || c.Lead >= len(leads) {
			continue
		}
		l := leads[c.Lead]
		x0 := c.Rect.Min.X - f.Plot.Min.X
		if err := src.EnvelopeIn(&f.env, c.Lead, f.View, x0, x0+c.Rect.Dx()); err != nil && firstErr == nil {
			firstErr = err
		}
		f.Lanes[i].PxPerUnit = gain * f.PxPerMM / (l.Gain * unitsPerMV(l.Units))
		f.Lanes[i].Center = f.median()
		f.fitLane(i)
		if f.View.SPP >= f.Fs*bandSeconds { // no trace draws outside its own cell, at any gain
			DrawBand(img, c.Rect, &f.env, f.Lanes[i], st.Trace, st.TraceWidth, bandOpacity)
		} else {
			DrawEnvelope(img, c.Rect, &f.env, f.Lanes[i], st.Trace, st.TraceWidth)
		}
	}
	f.drawSeparators(img)
	return firstErr
}

// leadOrder returns the indices of the leads to draw (f.Leads without
// those outside 0..n-1, or every lead).
func (f *Frame) leadOrder(n int) []int {
	if f.Leads == nil {
		f.order = f.order[:0]
		for i := range n {
			f.order = append(f.order, i)
		}
		return f.order
	}
	f.order = f.order[:0]
	for _, i := range f.Leads {
		if i >= 0 && i < n {
			f.order = append(f.order, i)
		}
	}
	return f.order
}

func (f *Frame) drawTimeGrid(img *image.RGBA) {
	f.Step = TimeStep(f.Fs/f.View.SPP, f.MinGap)
	f.lines = TimeLines(f.lines, f.View, f.Fs, f.Step)
	f.paintLines(img, false)
}

func (f *Frame) drawAmpGrid(img *image.RGBA) {
	mm := f.PxPerMM
	if mm < f.MinGap { // too dense: keep the 5 mm lines only
		mm *= MajorEvery
	}
	if mm < f.MinGap { // still too dense (a lane a few pixels high): no amplitude grid
		return
	}
	top, bot := float64(f.Plot.Min.Y), float64(f.Plot.Max.Y)
	f.lines = AmpLines(f.lines, top, bot, top, mm)
	if mm != f.PxPerMM {
		for i := range f.lines {
			f.lines[i].Major = true
		}
	}
	f.paintLines(img, true)
}

// paintLines draws f.lines, minor lines first so major lines stay on top.
func (f *Frame) paintLines(img *image.RGBA, horizontal bool) {
	w := max(f.Style.GridWidth, 1)
	for _, major := range []bool{false, true} {
		c := f.Style.Minor
		if major {
			c = f.Style.Major
		}
		for _, l := range f.lines {
			if l.Major != major {
				continue
			}
			if horizontal {
				HLine(img, f.Plot, int(math.Round(l.Pos)), w, c)
			} else {
				VLine(img, f.Plot, f.Plot.Min.X+int(math.Round(l.Pos)), w, c)
			}
		}
	}
}

// layoutLanes gives every cell a lane whose baseline is the middle of
// the cell snapped to the nearest major grid line.
func (f *Frame) layoutLanes() {
	f.Lanes = f.Lanes[:0]
	major := f.PxPerMM * MajorEvery
	for i := range f.Cells {
		top, bot := f.cellBand(i)
		mid := (top+bot)/2 - float64(f.Plot.Min.Y)
		if major > 0 {
			mid = math.Round(mid/major) * major
		}
		f.Lanes = append(f.Lanes, Lane{Mid: float64(f.Plot.Min.Y) + mid})
	}
}

// fitLane moves lane i's baseline, within its cell, when the trace in
// view does not fit where layoutLanes put it (a high gain): the peaks are
// then neither clipped at the cell's edge nor drawn over the lane above
// or the lead's name. When the trace is taller than the cell the upward
// deflections (R peaks) are kept in view.
func (f *Frame) fitLane(i int) {
	l := &f.Lanes[i]
	up, down := f.extent(*l)
	top, bot := f.cellBand(i)
	if l.Mid-up >= top && l.Mid+down <= bot {
		return
	}
	room := 0.0
	if up+down+f.NameRoom <= bot-top {
		room = f.NameRoom
	}
	lo, hi := top+room+up, bot-down // where the baseline may go
	if lo > hi {
		l.Mid = min(top+up, bot)
		return
	}
	l.Mid = max(lo, min(l.Mid, hi))
}

// cellBand returns the rows, pixels (fractional: Rect rounds them), cell
// i spans: an equal share of the plot's height, its lane's for stacked
// leads and its row's for the 12-lead layout.
func (f *Frame) cellBand(i int) (top, bot float64) {
	n, k := len(f.Cells), i
	if f.Layout == LayoutTwelve && n == TwelveRows*TwelveColumns+1 {
		n, k = twelvePlot, i%TwelveRows
		if i == TwelveRows*TwelveColumns {
			k = TwelveRows
		}
	}
	h := float64(f.Plot.Dy()) / float64(max(n, 1))
	top = float64(f.Plot.Min.Y) + h*float64(k)
	return top, top + h
}

// LaneRect returns cell i's rectangle, pixels: the band its trace is
// clipped to.
func (f *Frame) LaneRect(i int) image.Rectangle { return f.Cells[i].Rect }

// drawSeparators draws, for the 12-lead layout, the mark where one lead
// ends and the next begins in a grid row: a short vertical bar in the
// trace colour, SeparatorMM high, across the baseline of the cell it
// starts.
func (f *Frame) drawSeparators(img *image.RGBA) {
	if f.Layout != LayoutTwelve || len(f.Cells) <= TwelveRows {
		return
	}
	w := max(1, int(math.Round(f.Style.TraceWidth)))
	half := SeparatorMM * f.PxPerMM / 2
	for i := TwelveRows; i < len(f.Cells)-1; i++ {
		c := f.Cells[i]
		x := c.Rect.Min.X - w/2
		for dx := range w {
			VSpan(img, c.Rect.Union(f.Cells[i-TwelveRows].Rect), x+dx, f.Lanes[i].Mid-half, f.Lanes[i].Mid+half, f.Style.Trace)
		}
	}
}

// SeparatorMM is the height of the mark between two leads of a 12-lead
// row, mm of paper.
const SeparatorMM = 5.0

// extent returns how far, pixels, the valid columns of f.env reach above
// and below lane's baseline.
func (f *Frame) extent(l Lane) (up, down float64) {
	for i := range f.env.Lo {
		if f.env.Valid(i) {
			up = max(up, l.Mid-l.Y(f.env.Hi[i]))
			down = max(down, l.Y(f.env.Lo[i])-l.Mid)
		}
	}
	return up, down
}

// median returns the median midpoint of the valid columns of f.env (0
// when none is valid).
func (f *Frame) median() float64 {
	f.mids = f.mids[:0]
	for i := range f.env.Lo {
		if f.env.Valid(i) {
			f.mids = append(f.mids, (f.env.Lo[i]+f.env.Hi[i])/2)
		}
	}
	if len(f.mids) == 0 {
		return 0
	}
	return stats.UpperMedianInPlace(f.mids)
}

// unitsPerMV returns how many of a lead's physical units make one mV.
func unitsPerMV(units string) float64 {
	switch strings.ToLower(strings.TrimSpace(units)) {
	case "uv", "µv", "μv":
		return 1000
	case "v":
		return 0.001
	}
	return 1
}
