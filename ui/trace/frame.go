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

// Frame draws one strip image: ECG paper and every lead stacked in equal
// lanes, each lead centred on a major grid line at the median of its
// visible column midpoints. Set the exported fields, then call Draw; a
// Frame keeps scratch buffers, so reuse it for the next frame.
type Frame struct {
	View    View
	Fs      float64         // sampling frequency, Hz
	PxPerMM float64         // pixels per millimetre of paper
	Plot    image.Rectangle // where the grid and lanes go
	Style   Style
	MinGap  float64 // smallest gap between grid lines, pixels
	Gain    float64 // paper gain, mm/mV; 0 means PaperGain
	// Leads lists the leads to draw, top to bottom; nil draws every lead.
	Leads []int
	// NameRoom is the height, pixels, at the top of each lane where the
	// lead's name is written; a lane moved to fit its trace keeps it clear
	// when there is room.
	NameRoom float64

	// Lanes holds, after Draw, the lane of each lead.
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
	idx := f.leadOrder(len(leads))
	f.layoutLanes(len(idx))
	gain := f.gain()
	var firstErr error
	for i, li := range idx {
		l := leads[li]
		if err := src.Envelope(&f.env, li, f.View); err != nil && firstErr == nil {
			firstErr = err
		}
		f.Lanes[i].PxPerUnit = gain * f.PxPerMM / (l.Gain * unitsPerMV(l.Units))
		f.Lanes[i].Center = f.median()
		f.fitLane(i, len(idx))
		band := f.LaneRect(i) // no trace draws outside its own lane, at any gain
		if f.View.SPP >= f.Fs*bandSeconds {
			DrawBand(img, band, &f.env, f.Lanes[i], st.Trace, st.TraceWidth, bandOpacity)
		} else {
			DrawEnvelope(img, band, &f.env, f.Lanes[i], st.Trace, st.TraceWidth)
		}
	}
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

// layoutLanes splits the plot into n equal lanes with their centre line
// snapped to the nearest major grid line.
func (f *Frame) layoutLanes(n int) {
	f.Lanes = f.Lanes[:0]
	h := float64(f.Plot.Dy()) / float64(max(n, 1))
	major := f.PxPerMM * MajorEvery
	for i := range n {
		mid := h * (float64(i) + 0.5)
		if major > 0 {
			mid = math.Round(mid/major) * major
		}
		f.Lanes = append(f.Lanes, Lane{Mid: float64(f.Plot.Min.Y) + mid})
	}
}

// fitLane moves lane i's baseline, within its share of the plot, when the
// trace in view does not fit where layoutLanes put it (a high gain): the
// peaks are then neither clipped at the plot's edge nor drawn over the lane
// above or the lead's name. When the trace is taller than the lane the
// upward deflections (R peaks) are kept in view.
func (f *Frame) fitLane(i, n int) {
	l := &f.Lanes[i]
	up, down := f.extent(*l)
	h := float64(f.Plot.Dy()) / float64(max(n, 1))
	top := float64(f.Plot.Min.Y) + h*float64(i)
	bot := top + h
	if l.Mid-up >= top && l.Mid+down <= bot {
		return
	}
	room := 0.0
	if up+down+f.NameRoom <= h {
		room = f.NameRoom
	}
	lo, hi := top+room+up, bot-down // where the baseline may go
	if lo > hi {
		l.Mid = min(top+up, bot)
		return
	}
	l.Mid = max(lo, min(l.Mid, hi))
}

// LaneRect returns lane i's share of the plot, pixels: the band its trace
// is clipped to. The lanes split the plot's height equally.
func (f *Frame) LaneRect(i int) image.Rectangle {
	n := max(len(f.Lanes), 1)
	h := float64(f.Plot.Dy()) / float64(n)
	y0 := f.Plot.Min.Y + int(math.Round(h*float64(i)))
	y1 := f.Plot.Min.Y + int(math.Round(h*float64(i+1)))
	return image.Rect(f.Plot.Min.X, y0, f.Plot.Max.X, y1)
}

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
