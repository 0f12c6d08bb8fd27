package ui

import (
	"image"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// draw is the raster generator: paper, traces, beat marks and ruler ticks
// for a w x h pixel image.
func (r *stripRenderer) draw(w, h int) image.Image {
	t0 := time.Now()
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	s := r.s
	th, v := s.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	paper := stripColor(th, ColorNameECGPaper, v)
	size := s.Size()
	if s.src == nil || size.Width <= 0 || w == 0 {
		trace.Fill(r.img, r.img.Rect, paper)
		return r.img
	}
	scale := float64(w) / float64(size.Width)
	f := &r.frame
	top, bottom := plotRect(size)
	f.View = trace.View{Start: s.start, SPP: s.samplesPerUnit() / scale, Width: w}
	f.Fs, f.PxPerMM, f.MinGap, f.Gain = s.info.Fs, unitsPerMM*scale, 3*scale, s.gain
	f.NameRoom = (labelSize + 4) * scale
	f.Leads, f.Layout, f.Rhythm = s.lay.Leads, s.lay.Layout, s.lay.Rhythm
	f.Plot = image.Rect(0, int(float64(top)*scale), w, int(float64(bottom)*scale))
	f.Style = trace.Style{
		Paper: paper, Minor: stripColor(th, ColorNameECGGrid, v),
		Major: stripColor(th, ColorNameECGGridMajor, v), Trace: stripColor(th, ColorNameECGTrace, v),
		TraceWidth: 1.25 * scale, GridWidth: max(1, int(scale+0.25)),
	}
	if err := f.Draw(r.img, s.src); err != nil {
		fyne.LogError("ecg strip: drawing", err)
	}
	f.DrawCalibration(r.img, f.Calibration(r.nameBoxes(scale)))
	r.drawNoise(th, v)
	r.drawSelection(scale, th, v)
	r.drawMarks(scale, th, v)
	r.drawChecks(scale, th, v)
	r.drawCaliper(scale, th, v)
	r.drawTicks(scale, stripColor(th, ColorNameECGText, v))
	if !r.drawn {
		r.drawn = true
		if s.OnFirstDraw != nil {
			s.OnFirstDraw()
		}
	}
	if s.OnDrawn != nil {
		s.OnDrawn(time.Since(t0))
	}
	return r.img
}

// drawMarks draws a tick in the label band under every visible beat, in
// its class colour; where several beats share a pixel column the most
// important class wins, and N beats get no tick once they would merge.
func (r *stripRenderer) drawMarks(scale float64, th fyne.Theme, v fyne.ThemeVariant) {
	s, f := r.s, &r.frame
	vis := s.visibleBeats(f.View.Start, f.View.End())
	w := f.View.Width
	if cap(r.ranks) < w {
		r.ranks = make([]int8, w)
	}
	ranks := r.ranks[:w]
	for i := range ranks {
		ranks[i] = -1
	}
	code := make(map[int8]color.RGBA, 6)
	sparse := len(vis) < w/4
	paper, grid := stripColor(th, ColorNameECGPaper, v), stripColor(th, ColorNameECGGrid, v)
	for _, b := range vis {
		x := int(f.View.X(float64(b.Sample)))
		if x < 0 || x >= w {
			continue
		}
		k := int8(classRank(b.Code))
		if sparse { // one beat a column: draw its own style at once
			r.drawMark(x, k, scale, labelColor(b, stripColor(th, beatColorName(b.Code), v), paper, grid))
			continue
		}
		if k > ranks[x] {
			ranks[x] = k
			if _, ok := code[k]; !ok {
				code[k] = stripColor(th, beatColorName(b.Code), v)
			}
		}
	}
	for x, k := range ranks {
		if k > 0 {
			r.drawMark(x, k, scale, code[k])
		}
	}
}

// drawMark draws the tick of a beat of class rank k at column x, under its
// label: short for N beats, taller for the others.
func (r *stripRenderer) drawMark(x int, k int8, scale float64, c color.RGBA) {
	y1 := float64(r.frame.Plot.Min.Y) - 1
	hgt := 3 * scale
	if k > 0 {
		hgt = 6 * scale
	}
	for dx := 0; dx < max(1, int(scale)); dx++ {
		trace.VSpan(r.img, r.img.Rect, x+dx, y1-hgt, y1, c)
	}
}

// drawTicks draws the ruler's tick lines at the labelled times.
func (r *stripRenderer) drawTicks(scale float64, c color.RGBA) {
	f := &r.frame
	y0 := float64(f.Plot.Max.Y)
	for _, t := range trace.RulerTicks(f.View, f.Fs, rulerGap*scale) {
		x := int(math.Round(t.X))
		trace.VSpan(r.img, r.img.Rect, x, y0, y0+5*scale, c)
	}
}
