package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// The caliper's drawing, in Fyne units: the readout's text size, and how
// far below the top of the measured lead's lane the bar between the legs
// runs (the readout sits above it).
const (
	caliperTextSize = 11
	caliperBarY     = 20
	marchMinGap     = 4 // units between march-out ticks below which none are drawn
)

// caliperOverlay is the caliper's readout: its text on a paper-coloured box
// so the grid does not run through the numbers.
type caliperOverlay struct {
	box  *canvas.Rectangle
	text *canvas.Text
}

func newCaliperOverlay() caliperOverlay {
	return caliperOverlay{box: &canvas.Rectangle{},
		text: &canvas.Text{TextSize: caliperTextSize, TextStyle: fyne.TextStyle{Bold: true}}}
}

// layoutCaliper writes the caliper's reading centred above its bar, kept
// on the strip and clear of the lead's name.
func (r *stripRenderer) layoutCaliper(size fyne.Size, th fyne.Theme, v fyne.ThemeVariant) {
	o := r.cal
	rd, ok := r.s.ReadCaliper()
	o.box.Hidden, o.text.Hidden = !ok, !ok
	if !ok {
		return
	}
	paper := stripColor(th, ColorNameECGPaper, v)
	o.box.FillColor = color.NRGBA{paper.R, paper.G, paper.B, 230}
	o.text.Text, o.text.Color = rd.Text(), stripColor(th, ColorNameECGCaliper, v)
	ms := o.text.MinSize()
	mid := (r.s.xOf(rd.A) + r.s.xOf(rd.B)) / 2
	left := float32(3) // right of the lead's name, which sits at the same height
	if i := trace.CellOf(r.s.cells(size), rd.Lead); i >= 0 && i < len(r.names) {
		n := r.names[i]
		left = n.Position().X + n.MinSize().Width + 6
	}
	x := max(left, min(mid-ms.Width/2, size.Width-ms.Width-3))
	y := r.laneTop(size, rd.Lead) + caliperBarY - ms.Height - 1
	o.text.Move(fyne.NewPos(x, y))
	o.text.Resize(ms)
	o.box.Move(fyne.NewPos(x-3, y))
	o.box.Resize(fyne.NewSize(ms.Width+6, ms.Height))
}

// laneTop returns the top, in units, of the record's lead's lane (its
// cell's row in the 12-lead layout, the rhythm strip's for its lead).
func (r *stripRenderer) laneTop(size fyne.Size, lead int) float32 {
	top, bottom := plotRect(size)
	if r.s.lay.Layout == trace.LayoutTwelve {
		if c, ok := r.s.cellOfLead(size, lead); ok {
			return float32(c.Rect.Min.Y)
		}
		return top
	}
	return top + float32(max(0, r.s.laneOf(lead)))*(bottom-top)/float32(max(len(r.s.leads), 1))
}

// drawCaliper draws the caliper shown: its march-out ticks, both legs over
// every lead, the bar between them on the measured lead's lane, the points
// of that lead's trace under the legs, and the first point's level carried
// across to the second leg, so the amplitude difference shows as a gap. In
// the 12-lead layout the points show only in the lead's own column (on
// the rhythm strip, lead II's, everywhere).
func (r *stripRenderer) drawCaliper(scale float64, th fyne.Theme, v fyne.ThemeVariant) {
	rd, ok := r.s.ReadCaliper()
	if !ok {
		return
	}
	f := &r.frame
	c := stripColor(th, ColorNameECGCaliper, v)
	wid := max(1, int(math.Round(1.25*scale)))
	if r.s.cal.march {
		r.drawMarch(rd.Caliper, scale, wid, c)
	}
	xa, xb := int(math.Round(f.View.X(float64(rd.A)))), int(math.Round(f.View.X(float64(rd.B))))
	for _, x := range []int{xa, xb} {
		trace.Fill(r.img, image.Rect(x, f.Plot.Min.Y, x+wid, f.Plot.Max.Y), c)
	}
	yBar := int(float64(r.laneTop(r.s.Size(), rd.Lead)+caliperBarY) * scale)
	x0, x1 := min(xa, xb), max(xa, xb)+wid
	trace.Fill(r.img, image.Rect(x0, yBar, x1, yBar+wid), c)
	i := trace.CellOf(f.Cells, rd.Lead)
	if i < 0 {
		return
	}
	lane, dot, img := f.Lanes[i], int(math.Round(2.5*scale)), r.img
	if f.Layout == trace.LayoutTwelve { // the lead's points only in the columns that show the lead
		cl := f.Cells[i].Rect
		img = r.img.SubImage(image.Rect(cl.Min.X, r.img.Rect.Min.Y, cl.Max.X, r.img.Rect.Max.Y)).(*image.RGBA)
	}
	if !math.IsNaN(rd.MVA) {
		ya := int(math.Round(lane.Y(float64(rd.dA))))
		trace.Fill(img, image.Rect(xa-dot, ya-dot, xa+wid+dot, ya+wid+dot), c)
		dashes(img, image.Rect(x0, ya, x1, ya+wid), int(4*scale), c)
	}
	if !math.IsNaN(rd.MVB) {
		yb := int(math.Round(lane.Y(float64(rd.dB))))
		trace.Fill(img, image.Rect(xb-dot, yb-dot, xb+wid+dot, yb+wid+dot), c)
	}
}

// drawMarch draws dashed lines over the leads at A + k·(B − A) for every
// whole k in view but 0 and 1 (the legs), when they are at least
// marchMinGap units apart.
func (r *stripRenderer) drawMarch(c Caliper, scale float64, wid int, col color.RGBA) {
	f := &r.frame
	d := absI(c.B - c.A)
	if d == 0 || float64(d)/f.View.SPP < marchMinGap*scale {
		return
	}
	dash := int(math.Max(2, 5*scale))
	k0 := int64(math.Floor((f.View.Start - float64(c.A)) / float64(d)))
	for k := k0; ; k++ {
		at := c.A + k*d
		x := int(math.Round(f.View.X(float64(at))))
		if x >= f.View.Width {
			return
		}
		if x+wid <= 0 || at == c.A || at == c.B {
			continue
		}
		dashes(r.img, image.Rect(x, f.Plot.Min.Y, x+wid, f.Plot.Max.Y), dash, col)
	}
}

// dashes fills rc with dashes of length n pixels and gaps as long, along
// its longer side.
func dashes(img *image.RGBA, rc image.Rectangle, n int, c color.RGBA) {
	n = max(n, 1)
	if rc.Dx() > rc.Dy() {
		for x := rc.Min.X; x < rc.Max.X; x += 2 * n {
			trace.Fill(img, image.Rect(x, rc.Min.Y, min(x+n, rc.Max.X), rc.Max.Y), c)
		}
		return
	}
	for y := rc.Min.Y; y < rc.Max.Y; y += 2 * n {
		trace.Fill(img, image.Rect(rc.Min.X, y, rc.Max.X, min(y+n, rc.Max.Y)), c)
	}
}
