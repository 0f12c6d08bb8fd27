package trace

import (
	"image"
	"math"
)

// The calibration pulse: the standard rectangular 1 mV step, CalSeconds
// wide at the paper speed, with calLead millimetres of baseline before and
// after it, drawn at the left of every lane over the trace.
const (
	CalSeconds = 0.2 // pulse width, s
	CalMV      = 1.0 // pulse height, mV
	calLead    = 1.0 // baseline before and after the pulse, mm
)

// CalPulse is where a lane's calibration pulse goes, in pixels: the
// baseline from X0 to X3, the step up at X1, the plateau at row Top, the
// step down at X2. Box bounds it (the lane's height).
type CalPulse struct {
	X0, X1, X2, X3 float64
	Base, Top      float64
	Box            image.Rectangle
}

// Calibration returns the calibration pulse of each row drawn by the
// last Draw (each cell at the plot's left edge: every stacked lane; the
// first column and the rhythm strip of the 12-lead layout), for a pulse
// of CalMV at the frame's gain and CalSeconds at its speed. names[i]
// (when there) is the pixel box of cell i's name: a pulse that would
// reach into it moves down under it, or right of it when the cell is too
// short. It returns nil when the pulses would take more than a quarter of
// the plot's width.
func (f *Frame) Calibration(names []image.Rectangle) []CalPulse {
	n := len(f.Lanes)
	if n == 0 || f.View.SPP <= 0 {
		return nil
	}
	mm := f.PxPerMM
	w := max(CalSeconds*f.Fs/f.View.SPP, 2)
	if 2*calLead*mm+w+mm > float64(f.Plot.Dx())/4 {
		return nil
	}
	hgt := CalMV * f.gain() * mm
	out := make([]CalPulse, 0, n)
	for i, l := range f.Lanes {
		if f.Cells[i].Rect.Min.X != f.Plot.Min.X {
			continue
		}
		top, bot := f.cellBand(i)
		p := CalPulse{X0: float64(f.Plot.Min.X) + mm/2, Base: l.Mid}
		if i < len(names) {
			p = avoidName(p, names[i], hgt, w, mm, bot)
		}
		p.X1 = p.X0 + calLead*mm
		p.X2 = p.X1 + w
		p.X3 = p.X2 + calLead*mm
		p.Top = p.Base - hgt
		p.Box = image.Rect(f.Plot.Min.X, int(math.Floor(top)), int(math.Ceil(p.X3+mm/2)), int(math.Ceil(bot)))
		out = append(out, p)
	}
	return out
}

// avoidName moves pulse p (height hgt, width w) out of the name box nm:
// down under it when the lane (ending at row bot) has room, else right of it.
func avoidName(p CalPulse, nm image.Rectangle, hgt, w, mm, bot float64) CalPulse {
	right := p.X0 + (2*calLead)*mm + w
	if nm.Empty() || p.X0 >= float64(nm.Max.X) || right <= float64(nm.Min.X) ||
		p.Base-hgt >= float64(nm.Max.Y) || p.Base <= float64(nm.Min.Y) {
		return p
	}
	if b := float64(nm.Max.Y) + hgt + 1; b <= bot {
		p.Base = max(p.Base, b)
		return p
	}
	p.X0 = float64(nm.Max.X) + mm
	return p
}

// gain returns the paper gain in mm/mV.
func (f *Frame) gain() float64 {
	if f.Gain <= 0 {
		return PaperGain
	}
	return f.Gain
}

// DrawCalibration draws the pulses in the trace colour and width over
// what is drawn: the trace under a pulse is never cleared, so the first
// third of a second of every view (and of the record) stays readable,
// crossed by the pulse's lines.
func (f *Frame) DrawCalibration(img *image.RGBA, pulses []CalPulse) {
	tw := max(1, int(math.Round(f.Style.TraceWidth)))
	c := f.Style.Trace
	for _, p := range pulses {
		box := p.Box.Intersect(f.Plot).Intersect(img.Rect)
		if box.Empty() {
			continue
		}
		sub := img.SubImage(box).(*image.RGBA)
		row := func(y, x0, x1 float64) {
			y0 := int(math.Round(y - float64(tw)/2))
			Fill(sub, image.Rect(int(math.Round(x0)), y0, int(math.Round(x1))+tw, y0+tw), c)
		}
		col := func(x float64) {
			x0 := int(math.Round(x))
			for dx := range tw {
				VSpan(sub, sub.Rect, x0+dx, p.Top-float64(tw)/2, p.Base+float64(tw)/2, c)
			}
		}
		row(p.Base, p.X0, p.X1)
		col(p.X1)
		row(p.Top, p.X1, p.X2)
		col(p.X2)
		row(p.Base, p.X2, p.X3)
	}
}
