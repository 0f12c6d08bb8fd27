package ui

import (
	"fmt"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Text sizes and spacing of the strip's overlays, in Fyne units.
const (
	labelSize  = 12
	rulerSize  = 10
	rulerGap   = 70 // smallest distance between ruler labels
	labelWidth = 24
	rrSize     = 9
	rrWidth    = 40
	rrGap      = 45 // least units per beat for the RR intervals to show
)

// EmptyHint is what the strip says while it has no record.
const EmptyHint = "No record open: File > Open… (Ctrl+O)"

// stripRenderer draws the strip: one raster for the paper, traces, beat
// marks and ruler ticks, and text objects (pooled) for what must be text.
type stripRenderer struct {
	s       *Strip
	raster  *canvas.Raster
	focus   focusRing
	empty   *canvas.Text // the hint shown while no record is open
	names   []*canvas.Text
	labels  []*canvas.Text
	rr      []*canvas.Text
	ruler   []*canvas.Text
	cal     caliperOverlay
	objects []fyne.CanvasObject

	img   *image.RGBA
	frame trace.Frame
	ranks []int8
	drawn bool
}

func newStripRenderer(s *Strip) *stripRenderer {
	r := &stripRenderer{s: s, cal: newCaliperOverlay()}
	r.raster = canvas.NewRaster(r.draw)
	// Drawn at the window's pixel size: nearest sampling shows the same
	// pixels as linear and costs a software renderer less per frame.
	r.raster.ScaleMode = canvas.ImageScalePixels
	r.empty = &canvas.Text{Text: EmptyHint, TextSize: 16, Alignment: fyne.TextAlignCenter}
	r.focus = newFocusRing()
	r.rebuildObjects()
	return r
}

func (r *stripRenderer) rebuildObjects() {
	r.objects = r.objects[:0]
	r.objects = append(r.objects, r.raster)
	for _, t := range r.names {
		r.objects = append(r.objects, t)
	}
	for _, t := range r.labels {
		r.objects = append(r.objects, t)
	}
	for _, t := range r.rr {
		r.objects = append(r.objects, t)
	}
	for _, t := range r.ruler {
		r.objects = append(r.objects, t)
	}
	r.objects = append(r.objects, r.cal.box, r.cal.text, r.empty)
	for _, e := range r.focus {
		r.objects = append(r.objects, e)
	}
}

// Objects implements fyne.WidgetRenderer.
func (r *stripRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Destroy implements fyne.WidgetRenderer.
func (r *stripRenderer) Destroy() {}

// MinSize implements fyne.WidgetRenderer.
func (r *stripRenderer) MinSize() fyne.Size {
	return fyne.NewSize(240, labelBand+rulerBand+40*unitsPerMM)
}

// Layout implements fyne.WidgetRenderer.
func (r *stripRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
	r.focus.layout(size)
	r.layoutOverlays(size)
}

// Refresh implements fyne.WidgetRenderer.
func (r *stripRenderer) Refresh() {
	th, v := r.s.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.focus.show(r.s.focused, th.Color(theme.ColorNameFocus, v))
	r.layoutOverlays(r.s.Size())
	r.raster.Refresh()
}

// focusRing is the strip's focus ring: four thin bars along its edges.
// (One rectangle with a stroke would run the rectangle shader over the
// whole strip on every frame, which a software-rendered window, as on a
// laptop without a GPU driver or a remote desktop, pays for in full.)
type focusRing [4]*canvas.Rectangle

// focusWidth is the ring's width.
const focusWidth = 2

func newFocusRing() focusRing {
	var f focusRing
	for i := range f {
		f[i] = &canvas.Rectangle{}
		f[i].Hide()
	}
	return f
}

// layout puts the bars along the edges of size: top, bottom, left, right.
func (f focusRing) layout(size fyne.Size) {
	w, h := size.Width, size.Height
	at := [4][4]float32{{0, 0, w, focusWidth}, {0, h - focusWidth, w, focusWidth},
		{0, 0, focusWidth, h}, {w - focusWidth, 0, focusWidth, h}}
	for i, a := range at {
		f[i].Move(fyne.NewPos(a[0], a[1]))
		f[i].Resize(fyne.NewSize(a[2], a[3]))
	}
}

// show shows the ring in c, or hides it.
func (f focusRing) show(on bool, c color.Color) {
	for _, e := range f {
		if e.FillColor != c {
			e.FillColor = c
			e.Refresh()
		}
		if on != e.Visible() {
			if on {
				e.Show()
			} else {
				e.Hide()
			}
		}
	}
}

// layoutOverlays places every text object for the current view.
func (r *stripRenderer) layoutOverlays(size fyne.Size) {
	th, v := r.s.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	text := stripColor(th, ColorNameECGText, v)
	r.layoutNames(size, text)
	r.layoutLabels(size, th, v)
	r.layoutRR(size, text)
	r.layoutRuler(size, text)
	r.layoutCaliper(size, th, v)
	r.empty.Color = text
	r.empty.Hidden = r.s.src != nil
	r.empty.Move(fyne.NewPos(0, size.Height/2-16))
	r.empty.Resize(fyne.NewSize(size.Width, 32))
	if len(r.objects) != 5+len(r.names)+len(r.labels)+len(r.rr)+len(r.ruler) {
		r.rebuildObjects()
	}
	for _, o := range r.objects[1:] {
		o.Refresh()
	}
}

// plotRect returns the leads' area in units.
func plotRect(size fyne.Size) (top, bottom float32) {
	return labelBand, max(size.Height-rulerBand, labelBand+1)
}

// layoutNames writes each lead's name at the top left of its cell (its
// lane, or its place in the 12-lead layout), one name a cell.
func (r *stripRenderer) layoutNames(size fyne.Size, c color.Color) {
	s := r.s
	cells := s.cells(size)
	for len(r.names) < len(cells) {
		r.names = append(r.names, &canvas.Text{TextSize: labelSize, TextStyle: fyne.TextStyle{Bold: true}})
	}
	r.names = r.names[:len(cells)]
	top, bottom := plotRect(size)
	h := (bottom - top) / float32(max(len(cells), 1))
	for i, t := range r.names {
		cl := cells[i]
		t.Text, t.Color = "", c
		if cl.Lead >= 0 && cl.Lead < len(s.info.Leads) {
			t.Text = annotate.DisplayName(s.info.Leads[cl.Lead])
		}
		y := top + float32(i)*h // stacked: the lane's exact top
		if s.lay.Layout == trace.LayoutTwelve {
			y = float32(cl.Rect.Min.Y)
		}
		t.Move(fyne.NewPos(float32(cl.Rect.Min.X)+6, y+2))
		t.Resize(t.MinSize())
	}
}

// labelled returns the beats that get a text label: all visible beats
// when there is room, else the non-N ones, at most maxLabels either way.
func (r *stripRenderer) labelled(size fyne.Size) []annotate.Beat {
	s := r.s
	vis := s.visibleBeats(s.start, s.start+s.span())
	if len(vis) > 0 && float64(size.Width)/float64(len(vis)) >= labelGap {
		return vis[:min(len(vis), maxLabels)]
	}
	var out []annotate.Beat
	for _, b := range vis {
		if b.Code.Class() != annotate.ClassN {
			out = append(out, b)
			if len(out) > maxLabels {
				return nil // too many to read as text: the marks show them
			}
		}
	}
	return out
}

func (r *stripRenderer) layoutLabels(size fyne.Size, th fyne.Theme, v fyne.ThemeVariant) {
	var beats []annotate.Beat
	if r.s.src != nil {
		beats = r.labelled(size)
	}
	for len(r.labels) < len(beats) {
		r.labels = append(r.labels, &canvas.Text{TextSize: labelSize, Alignment: fyne.TextAlignCenter})
	}
	paper, grid := stripColor(th, ColorNameECGPaper, v), stripColor(th, ColorNameECGGrid, v)
	for i, t := range r.labels {
		if i >= len(beats) {
			t.Hide()
			continue
		}
		b := beats[i]
		x := r.s.xOf(b.Sample)
		t.Text, t.TextStyle = b.Code.Symbol(), labelStyle(b)
		if l, ok := r.s.beats.(*Labels); ok && l.Pending(b.Sample) {
			t.Text += "…" // shown at once, being saved
		}
		t.Color = labelColor(b, stripColor(th, beatColorName(b.Code), v), paper, grid)
		t.Move(fyne.NewPos(x-labelWidth/2, 0))
		t.Resize(fyne.NewSize(labelWidth, labelBand-9))
		t.Show()
	}
}

// layoutRR writes the RR interval in ms between neighbouring beats at the
// foot of the leads, when the beats are far enough apart to read it.
func (r *stripRenderer) layoutRR(size fyne.Size, c color.Color) {
	var beats []annotate.Beat
	s := r.s
	if s.src != nil && s.info.Fs > 0 {
		beats = s.visibleBeats(s.start-s.span()/2, s.start+s.span()*1.5)
		if len(beats) > 1 && float64(size.Width)/float64(len(beats)/2) < rrGap {
			beats = nil
		}
	}
	n := 0
	_, bottom := plotRect(size)
	for i := 1; i < len(beats); i++ {
		a, b := beats[i-1], beats[i]
		if !a.Code.IsBeat() || !b.Code.IsBeat() {
			continue
		}
		x := (s.xOf(a.Sample) + s.xOf(b.Sample)) / 2
		if x < -rrWidth || x > size.Width+rrWidth {
			continue
		}
		if n == len(r.rr) {
			r.rr = append(r.rr, &canvas.Text{TextSize: rrSize, Alignment: fyne.TextAlignCenter})
		}
		t := r.rr[n]
		n++
		t.Text = fmt.Sprintf("%.0f", float64(b.Sample-a.Sample)*1000/s.info.Fs)
		t.Color = c
		t.Move(fyne.NewPos(x-rrWidth/2, bottom-rrSize-6))
		t.Resize(fyne.NewSize(rrWidth, rrSize+4))
		t.Show()
	}
	for _, t := range r.rr[n:] {
		t.Hide()
	}
}

// rulerView is the current view in units, for placing ruler labels.
func (r *stripRenderer) rulerView(size fyne.Size) trace.View {
	return trace.View{Start: r.s.start, SPP: r.s.samplesPerUnit(), Width: int(size.Width)}
}

// layoutRuler writes each tick's time under the leads, as two texts: the
// hours and minutes ("0:20:") and the seconds ("49"). The window renders a
// text once per distinct string and keeps it, so paging the strip finds
// every seconds text rendered already and a new minutes text once a
// minute, instead of a dozen new times to shape and rasterise each frame.
func (r *stripRenderer) layoutRuler(size fyne.Size, c color.Color) {
	var ticks []trace.Tick
	if r.s.src != nil && r.s.info.Fs > 0 {
		ticks = trace.RulerTicks(r.rulerView(size), r.s.info.Fs, rulerGap)
	}
	for len(r.ruler) < 2*len(ticks) {
		r.ruler = append(r.ruler, &canvas.Text{TextSize: rulerSize})
	}
	y := size.Height - rulerBand + 2
	for i := 0; i < len(r.ruler); i += 2 {
		head, tail := r.ruler[i], r.ruler[i+1]
		if i/2 >= len(ticks) {
			head.Hide()
			tail.Hide()
			continue
		}
		tk := ticks[i/2]
		cut := strings.LastIndexByte(tk.Label, ':') + 1
		x := placeText(head, tk.Label[:cut], c, float32(tk.X)+3, y)
		placeText(tail, tk.Label[cut:], c, x, y)
	}
}

// placeText shows text in t at (x, y), its own size, and returns where the
// text ends.
func placeText(t *canvas.Text, text string, c color.Color, x, y float32) float32 {
	t.Text, t.Color = text, c
	t.Move(fyne.NewPos(x, y))
	t.Resize(t.MinSize())
	t.Show()
	return x + t.Size().Width
}
