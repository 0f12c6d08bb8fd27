package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// disclosureRenderer draws the page into one raster and keeps pooled text
// objects for the line times and the non-N beat labels.
type disclosureRenderer struct {
	d      *Disclosure
	raster *canvas.Raster
	times  []*canvas.Text
	labels []*canvas.Text
	objs   []fyne.CanvasObject
	img    *image.RGBA
	frame  trace.Frame
}

func (r *disclosureRenderer) Destroy() {}

func (r *disclosureRenderer) MinSize() fyne.Size { return fyne.NewSize(240, 2*lineHeight) }

func (r *disclosureRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *disclosureRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
	r.d.clamp()
	r.layoutText(size)
}

func (r *disclosureRenderer) Refresh() {
	r.layoutText(r.d.Size())
	r.raster.Refresh()
}

// layoutText places each line's time (on every line where it fits) and,
// on lines tall enough, the labels of the non-N beats, each at least
// discLabelGap from the one before it so they never overlap (at 120 s a
// line a run of V beats is a V every few units: the marks show each beat).
func (r *disclosureRenderer) layoutText(size fyne.Size) {
	d := r.d
	th, v := d.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	text := stripColor(th, ColorNameECGText, v)
	lines, nt, n := 0, 0, 0
	if d.src != nil && d.info.Fs > 0 {
		lines = d.Lines()
	}
	w, lh := size.Width-lineGutter, d.lineH()
	every := int(math.Ceil(float64(rulerSize+4) / float64(lh))) // lines between two times
	ls := d.lineSamples()
	for i := range lines {
		a := d.start + int64(i)*ls
		if a >= d.info.NSamples {
			break
		}
		if i%every == 0 {
			t := r.pooled(&r.times, nt, rulerSize)
			nt++
			t.Text, t.Color = trace.Clock(float64(a)/d.info.Fs, false), text
			t.Move(fyne.NewPos(4, float32(i)*lh+min(2, lh/4)))
		}
		if lh < labelLineMin {
			continue
		}
		last := float32(math.Inf(-1))
		for _, b := range d.beatsIn(a, a+ls) {
			x := d.xOf(b.Sample, a, w)
			if b.Code.Class() == annotate.ClassN || n >= discMaxLabel || x-last < discLabelGap {
				continue
			}
			last = x
			l := r.pooled(&r.labels, n, rulerSize)
			n++
			l.Text, l.TextStyle = b.Code.Symbol(), labelStyle(b)
			l.Color = stripColor(th, beatColorName(b.Code), v)
			l.Move(fyne.NewPos(x-5, float32(i)*lh+1))
		}
	}
	hideFrom(r.times, nt)
	hideFrom(r.labels, n)
	r.objs = append(r.objs[:0], r.raster)
	for _, t := range r.times {
		r.objs = append(r.objs, t)
	}
	for _, t := range r.labels {
		r.objs = append(r.objs, t)
	}
	for _, o := range r.objs[1:] {
		o.Refresh()
	}
}

// pooled returns text object i of pool, made visible.
func (r *disclosureRenderer) pooled(pool *[]*canvas.Text, i int, size float32) *canvas.Text {
	for len(*pool) <= i {
		*pool = append(*pool, &canvas.Text{TextSize: size})
	}
	t := (*pool)[i]
	t.Show()
	t.Resize(fyne.NewSize(40, size+4))
	return t
}

func hideFrom(ts []*canvas.Text, n int) {
	for _, t := range ts[min(n, len(ts)):] {
		t.Hide()
	}
}

// xOf returns where sample s of the line starting at sample a is, units
// from the widget's left, on a trace w units wide.
func (d *Disclosure) xOf(s, a int64, w float32) float32 {
	return lineGutter + float32(s-a)/float32(d.lineSamples())*w
}

func (d *Disclosure) beatsIn(a, b int64) []annotate.Beat {
	if d.beats == nil {
		return nil
	}
	return d.beats.BeatsIn(a, b)
}

// draw paints every line: paper, the first lead, beat marks, noise and
// the selection.
func (r *disclosureRenderer) draw(w, h int) image.Image {
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	d := r.d
	th, v := d.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	paper := stripColor(th, ColorNameECGPaper, v)
	trace.Fill(r.img, r.img.Rect, paper)
	size := d.Size()
	if d.src == nil || size.Width <= lineGutter || d.info.Fs <= 0 {
		return r.img
	}
	scale := float64(w) / float64(size.Width)
	g, lh := int(lineGutter*scale), float64(d.lineH())*scale
	band := 0.15 * lh // lines too low for labels keep a strip of paper between them
	if d.lineH() >= labelLineMin {
		band = discLabelBand * scale
	}
	ls := d.lineSamples()
	for i := range d.Lines() {
		a := d.start + int64(i)*ls
		if a >= d.info.NSamples {
			break
		}
		rc := image.Rect(g, int(float64(i)*lh+band), w, int(float64(i+1)*lh))
		if rc.Dy() > 0 {
			r.drawLine(rc, a, ls, scale, th, v)
		}
	}
	return r.img
}

// drawLine draws samples [a, a+n) into rc.
func (r *disclosureRenderer) drawLine(rc image.Rectangle, a, n int64, scale float64, th fyne.Theme, v fyne.ThemeVariant) {
	d := r.d
	sub := r.img.SubImage(rc).(*image.RGBA)
	f := &r.frame
	f.View = trace.View{Start: float64(a), SPP: float64(n) / float64(rc.Dx()), Width: rc.Dx()}
	f.Fs, f.Plot, f.Leads = d.info.Fs, rc, []int{d.lead}
	f.PxPerMM, f.MinGap, f.Gain = float64(rc.Dy())/30, 3*scale, d.gain
	f.Style = trace.Style{Paper: stripColor(th, ColorNameECGPaper, v), Minor: stripColor(th, ColorNameECGGrid, v),
		Major: stripColor(th, ColorNameECGGridMajor, v), Trace: stripColor(th, ColorNameECGTrace, v),
		TraceWidth: max(1, scale), GridWidth: max(1, int(scale+0.25))}
	if err := f.Draw(sub, d.src); err != nil {
		fyne.LogError("ecg disclosure: drawing", err)
	}
	col := func(s int64) int { return rc.Min.X + int(f.View.X(float64(s))) }
	if d.noise != nil {
		nc := stripColor(th, ColorNameECGNoise, v)
		for _, ns := range d.noise() {
			if ns.End > a && ns.Start < a+n {
				shade(sub, image.Rect(col(max(ns.Start, a)), rc.Min.Y, col(min(ns.End, a+n))+1, rc.Max.Y), nc)
			}
		}
	}
	if d.Highlight != nil {
		if s0, s1, ok, c := d.Highlight(); ok || c >= 0 {
			r.highlight(sub, rc, a, n, s0, s1, ok, c, col, th, v)
		}
	}
	if d.Picked != nil {
		sel := stripColor(th, ColorNameECGSelection, v)
		for _, s := range d.Picked() {
			if s >= a && s < a+n {
				shade(sub, image.Rect(col(s)-3, rc.Min.Y, col(s)+4, rc.Max.Y), sel)
			}
		}
	}
	for _, b := range d.beatsIn(a, a+n) {
		c := stripColor(th, beatColorName(b.Code), v)
		hgt := 3 * scale
		if b.Code.Class() != annotate.ClassN {
			hgt = float64(rc.Dy())
		}
		trace.VSpan(r.img, rc, col(b.Sample), float64(rc.Min.Y), float64(rc.Min.Y)+hgt, withAlpha(c, b))
	}
}

// highlight shades the selection and draws the cursor on one line.
func (r *disclosureRenderer) highlight(img *image.RGBA, rc image.Rectangle, a, n, s0, s1 int64, ok bool, c int64,
	col func(int64) int, th fyne.Theme, v fyne.ThemeVariant) {
	if ok && s1 >= a && s0 < a+n {
		shade(img, image.Rect(col(max(s0, a))-2, rc.Min.Y, col(min(s1, a+n))+3, rc.Max.Y), stripColor(th, ColorNameECGSelection, v))
	}
	if c >= a && c < a+n {
		x := col(c)
		trace.Fill(img, image.Rect(x, rc.Min.Y, x+max(1, int(math.Round(float64(rc.Dy())/30))), rc.Max.Y), stripColor(th, ColorNameECGCursor, v))
	}
}

// withAlpha makes the tall mark of an ectopic beat translucent so the
// trace stays readable under it.
func withAlpha(c color.RGBA, b annotate.Beat) color.RGBA {
	if b.Code.Class() != annotate.ClassN {
		c.A = 110
	}
	return c
}
