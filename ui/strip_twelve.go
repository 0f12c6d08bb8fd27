package ui

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// The strip's 12-lead layout (trace.LayoutTwelve): when the leads shown
// are the standard twelve, the strip draws them as a 12-lead ECG cart
// prints them, three rows of four leads, each column a quarter of the
// view, over a rhythm strip of lead II across the whole view, at the same
// paper speed and gain. A pixel column is the same instant in every row,
// so the beat labels, the selection, the cursor, the ruler and the
// caliper's legs mean the same everywhere; lead-bound drawing (noise, the
// caliper's bar and points) goes to the lead's cell, the rhythm strip's
// for lead II.

// SetTwelveLead switches the 12-lead layout on (the default: it shows
// whenever the leads shown are the standard twelve and the strip is large
// and fast enough) or off (the leads stacked in lanes).
func (s *Strip) SetTwelveLead(on bool) {
	s.twelveOff = !on
	s.relayout()
	s.Refresh()
}

// TwelveLead reports whether the 12-lead layout is switched on (it shows
// only where LayoutChoice says so).
func (s *Strip) TwelveLead() bool { return !s.twelveOff }

// LayoutChoice returns how the strip draws its leads now, and what the
// status line says about it.
func (s *Strip) LayoutChoice() trace.LayoutChoice { return s.lay }

// relayout decides the layout for the current leads, size and speed.
func (s *Strip) relayout() {
	top, bottom := plotRect(s.Size())
	p := trace.Paper{WidthMM: float64(s.Size().Width) / unitsPerMM, HeightMM: float64(bottom-top) / unitsPerMM, Speed: s.Speed()}
	s.lay = trace.ChooseLayout(s.info.Leads, s.leads, p, !s.twelveOff)
}

// cells returns where each lead is drawn on a strip of size, in units
// (rounded to whole units), in the order the renderer draws them.
func (s *Strip) cells(size fyne.Size) []trace.Cell {
	top, bottom := plotRect(size)
	plot := image.Rect(0, int(math.Round(float64(top))), int(math.Round(float64(size.Width))), int(math.Round(float64(bottom))))
	return trace.LayoutCells(nil, plot, s.lay.Layout, s.lay.Leads, s.lay.Rhythm)
}

// cellOfLead returns lead's cell on a strip of size (the rhythm strip's
// for its lead), and false when it is not drawn.
func (s *Strip) cellOfLead(size fyne.Size, lead int) (trace.Cell, bool) {
	cs := s.cells(size)
	if i := trace.CellOf(cs, lead); i >= 0 {
		return cs[i], true
	}
	return trace.Cell{}, false
}

// defaultCaliperLead is the lead a new caliper reads: the rhythm strip's
// in the 12-lead layout, else the top lane's.
func (s *Strip) defaultCaliperLead() int {
	if s.lay.Layout == trace.LayoutTwelve {
		return s.lay.Rhythm
	}
	if len(s.leads) > 0 {
		return s.leads[0]
	}
	return 0
}
