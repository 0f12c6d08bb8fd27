package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// shade blends c, a premultiplied colour as stripColor returns it, over
// rectangle rc of img.
func shade(img *image.RGBA, rc image.Rectangle, c color.RGBA) {
	rc = rc.Intersect(img.Rect)
	if rc.Empty() || c.A == 0 {
		return
	}
	g := 255 - uint32(c.A)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		o := img.PixOffset(rc.Min.X, y)
		p := img.Pix[o : o+4*rc.Dx() : o+4*rc.Dx()]
		for i := 0; i < len(p); i += 4 {
			p[i] = uint8((uint32(p[i])*g+127)/255 + uint32(c.R))
			p[i+1] = uint8((uint32(p[i+1])*g+127)/255 + uint32(c.G))
			p[i+2] = uint8((uint32(p[i+2])*g+127)/255 + uint32(c.B))
		}
	}
}

// columns returns the pixel columns [x0, x1) of samples [a, b] in the
// current frame, clipped to the image, at least one column wide.
func (r *stripRenderer) columns(a, b int64) (int, int) {
	v := r.frame.View
	x0 := int(math.Floor(v.X(float64(a))))
	x1 := max(int(math.Ceil(v.X(float64(b)))), x0+1)
	return max(x0, 0), min(x1, v.Width)
}

// drawNoise shades the noise stretches over their lead's cells (its lane,
// or in the 12-lead layout its column and the rhythm strip for lead II),
// or over every lead for a stretch of the whole record.
func (r *stripRenderer) drawNoise(th fyne.Theme, v fyne.ThemeVariant) {
	s, f := r.s, &r.frame
	if s.noise == nil {
		return
	}
	c := stripColor(th, ColorNameECGNoise, v)
	a, b := int64(f.View.Start), int64(f.View.End())
	for _, n := range s.noise() {
		if n.End <= a || n.Start >= b {
			continue
		}
		x0, x1 := r.columns(n.Start, n.End)
		rc := image.Rect(x0, f.Plot.Min.Y, x1, f.Plot.Max.Y)
		if n.Lead < 0 {
			shade(r.img, rc, c)
			hatch(r.img, rc, c)
			continue
		}
		for _, cl := range f.Cells { // none: on a lead not shown
			if cl.Lead == n.Lead {
				in := rc.Intersect(cl.Rect)
				shade(r.img, in, c)
				hatch(r.img, in, c)
			}
		}
	}
}

// hatch draws diagonal lines in rc (c once more over the shade), so noise
// reads as noise in print too.
func hatch(img *image.RGBA, rc image.Rectangle, c color.RGBA) {
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		for x := rc.Min.X + (y % 12); x < rc.Max.X; x += 12 {
			shade(img, image.Rect(x, y, x+1, y+1), c)
			shade(img, image.Rect(x, y, x+1, y+1), c)
		}
	}
}

// drawSelection shades the selected samples over the label band and the
// leads, and draws the cursor and a beat being dragged.
func (r *stripRenderer) drawSelection(scale float64, th fyne.Theme, v fyne.ThemeVariant) {
	s, f := r.s, &r.frame
	pad := int(4 * scale)
	cur := stripColor(th, ColorNameECGCursor, v)
	wid := max(1, int(math.Round(1.5*scale)))
	if s.selA <= s.selB {
		x0, x1 := r.columns(s.selA, s.selB)
		band := image.Rect(x0-pad, 0, x1+pad, f.Plot.Max.Y)
		shade(r.img, band, stripColor(th, ColorNameECGSelection, v))
		edge := max(1, int(scale)) // outlined, so a light tint is enough
		trace.Fill(r.img, image.Rect(band.Min.X, 0, band.Min.X+edge, band.Max.Y), cur)
		trace.Fill(r.img, image.Rect(band.Max.X-edge, 0, band.Max.X, band.Max.Y), cur)
	}
	if s.cursor >= 0 {
		x := int(math.Round(f.View.X(float64(s.cursor))))
		bottom := f.Plot.Max.Y
		if s.selA <= s.cursor && s.cursor <= s.selB {
			bottom = f.Plot.Min.Y // on a selected beat: a tick above it, the QRS stays in sight
		}
		trace.Fill(r.img, image.Rect(x, f.Plot.Min.Y-int(8*scale), x+wid, bottom), cur)
	}
	if d := s.drag; d != nil {
		x := int(float64(d.x) * scale)
		for y := 0; y < f.Plot.Max.Y; y += int(6 * scale) {
			trace.Fill(r.img, image.Rect(x, y, x+wid, y+int(3*scale)), cur)
		}
	}
}

// drawChecks draws a check mark beside the label of every confirmed beat
// and the adapter's diamond beside every adapted one, when the labels are
// far enough apart to show one each.
func (r *stripRenderer) drawChecks(scale float64, th fyne.Theme, v fyne.ThemeVariant) {
	f := &r.frame
	vis := r.s.visibleBeats(f.View.Start, f.View.End())
	if len(vis) == 0 || float64(f.View.Width)/float64(len(vis)) < 2*labelWidth*scale {
		return
	}
	adapted := stripColor(th, ColorNameAdapted, v)
	for _, b := range vis {
		x := f.View.X(float64(b.Sample)) + 7*scale
		switch provenanceOf(b) {
		case provConfirmed:
			checkMark(r.img, x, 4*scale, 7*scale, stripColor(th, beatColorName(b.Code), v))
		case provAdapted:
			diamond(r.img, x+3*scale, 5*scale, 3*scale, adapted)
		}
	}
}

// diamond fills a diamond of half-width h centred at (cx, cy+h): the mark of
// an adapted label.
func diamond(img *image.RGBA, cx, cy, h float64, c color.RGBA) {
	for dy := 0.0; dy <= 2*h; dy++ {
		w := h - math.Abs(dy-h)
		trace.Fill(img, image.Rect(int(cx-w), int(cy+dy), int(cx+w)+1, int(cy+dy)+1), c)
	}
}

// checkMark draws a check mark of height h with its top-left at (x, y).
func checkMark(img *image.RGBA, x, y, h float64, c color.RGBA) {
	w := max(1, h/5)
	seg := func(x0, y0, x1, y1 float64) {
		n := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))*2) + 1
		for i := 0; i <= n; i++ {
			t := float64(i) / float64(n)
			px, py := x0+(x1-x0)*t, y0+(y1-y0)*t
			trace.Fill(img, image.Rect(int(px), int(py), int(px+w), int(py+w)), c)
		}
	}
	seg(x, y+h*0.55, x+h*0.35, y+h)
	seg(x+h*0.35, y+h, x+h*0.8, y)
}
