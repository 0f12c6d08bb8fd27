package ui

import (
	"image"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

const overviewHeight = 56

var (
	_ fyne.Tappable      = (*Overview)(nil)
	_ fyne.Draggable     = (*Overview)(nil)
	_ desktop.Cursorable = (*Overview)(nil)
)

// Overview is a bar showing the whole record (the min/max envelope of the
// first lead, with ectopic beats marked in their class colour) and the
// window the strip shows. Clicking or dragging on it asks to jump there.
type Overview struct {
	widget.BaseWidget

	// OnSeek is called with the sample under the pointer when the bar is
	// clicked or dragged.
	OnSeek func(sample int64)

	src        *trace.Source
	info       annotate.RecordInfo
	beats      []annotate.Beat
	start, end int64 // the strip's window
	renderer   *overviewRenderer
}

// NewOverview returns an empty overview bar.
func NewOverview() *Overview {
	o := &Overview{}
	o.ExtendBaseWidget(o)
	return o
}

// SetRecord shows sig; pyr is its pyramid (possibly still being built).
func (o *Overview) SetRecord(sig annotate.Signal, pyr *trace.Pyramid, beats []annotate.Beat) {
	o.src, o.info, o.beats = trace.NewSource(sig, pyr), sig.Info(), beats
	o.Refresh()
}

// SetWindow marks samples [start, end) as the strip's window.
func (o *Overview) SetWindow(start, end int64) {
	o.start, o.end = start, end
	if r := o.renderer; r != nil { // move the marker; the envelope stays
		r.layoutWindow(o.Size())
		r.window.Refresh()
	}
}

// Window returns the marked window.
func (o *Overview) Window() (start, end int64) { return o.start, o.end }

// sampleAt returns the sample under x units from the left edge.
func (o *Overview) sampleAt(x float32) int64 {
	w := o.Size().Width
	if w <= 0 {
		return 0
	}
	return int64(float64(x) / float64(w) * float64(o.info.NSamples))
}

// Tapped jumps to the sample under the pointer.
func (o *Overview) Tapped(e *fyne.PointEvent) { o.seek(e.Position.X) }

// Dragged follows the pointer.
func (o *Overview) Dragged(e *fyne.DragEvent) { o.seek(e.Position.X) }

// DragEnd implements fyne.Draggable.
func (o *Overview) DragEnd() {}

// Cursor shows a pointer, since the bar is clickable.
func (o *Overview) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (o *Overview) seek(x float32) {
	if o.OnSeek != nil && o.src != nil {
		o.OnSeek(max(0, min(o.sampleAt(x), o.info.NSamples-1)))
	}
}

// CreateRenderer implements fyne.Widget.
func (o *Overview) CreateRenderer() fyne.WidgetRenderer {
	o.ExtendBaseWidget(o)
	r := &overviewRenderer{o: o, window: &canvas.Rectangle{StrokeWidth: 1.5}}
	r.raster = canvas.NewRaster(r.draw)
	o.renderer = r
	return r
}

type overviewRenderer struct {
	o      *Overview
	raster *canvas.Raster
	window *canvas.Rectangle
	img    *image.RGBA
	env    trace.Envelope
	spans  []float64
}

func (r *overviewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.raster, r.window}
}

func (r *overviewRenderer) Destroy() {}

func (r *overviewRenderer) MinSize() fyne.Size { return fyne.NewSize(100, overviewHeight) }

func (r *overviewRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
	r.layoutWindow(size)
}

func (r *overviewRenderer) layoutWindow(size fyne.Size) {
	n := float32(max(r.o.info.NSamples, 1))
	x0 := float32(r.o.start) / n * size.Width
	x1 := max(float32(r.o.end)/n*size.Width, x0+3)
	r.window.Move(fyne.NewPos(x0, 0))
	r.window.Resize(fyne.NewSize(x1-x0, size.Height))
}

func (r *overviewRenderer) Refresh() {
	th, v := r.o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.window.FillColor = stripColor(th, ColorNameECGWindow, v)
	r.window.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	r.layoutWindow(r.o.Size())
	r.raster.Refresh()
	r.window.Refresh()
}

// draw paints the envelope of lead 0 over the whole record, scaled so a
// typical column fills 60 % of the height, and ectopic beat marks below.
func (r *overviewRenderer) draw(w, h int) image.Image {
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	o := r.o
	th, v := o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	trace.Fill(r.img, r.img.Rect, stripColor(th, ColorNameECGPaper, v))
	if o.src == nil || o.info.NSamples == 0 || w == 0 {
		return r.img
	}
	view := trace.View{SPP: float64(o.info.NSamples) / float64(w), Width: w}
	if err := o.src.Envelope(&r.env, 0, view); err != nil {
		fyne.LogError("ecg overview: drawing", err)
	}
	marks := max(3, h/6)
	lane := r.lane(float64(h - marks))
	trace.DrawBand(r.img, image.Rect(0, 0, w, h-marks), &r.env, lane,
		stripColor(th, ColorNameECGTrace, v), 1, 0.35)
	r.drawEctopy(view, h-marks, h, th, v)
	return r.img
}

// lane centres the envelope on its median column and scales the median
// column range to 60 % of height h.
func (r *overviewRenderer) lane(h float64) trace.Lane {
	r.spans = r.spans[:0]
	var mids []float64
	for i := range r.env.Lo {
		if r.env.Valid(i) {
			r.spans = append(r.spans, r.env.Hi[i]-r.env.Lo[i])
			mids = append(mids, (r.env.Hi[i]+r.env.Lo[i])/2)
		}
	}
	if len(mids) == 0 {
		return trace.Lane{Mid: h / 2, PxPerUnit: 1}
	}
	slices.Sort(r.spans)
	slices.Sort(mids)
	span := max(r.spans[len(r.spans)/2], 1)
	return trace.Lane{Mid: h / 2, Center: mids[len(mids)/2], PxPerUnit: 0.6 * h / span}
}

// drawEctopy marks columns holding S, V, F or Q beats in rows y0..y1.
func (r *overviewRenderer) drawEctopy(view trace.View, y0, y1 int, th fyne.Theme, v fyne.ThemeVariant) {
	for _, b := range r.o.beats {
		if classRank(b.Code) < 2 {
			continue
		}
		x := int(view.X(float64(b.Sample)))
		c := stripColor(th, beatColorName(b.Code), v)
		trace.VSpan(r.img, r.img.Rect, x, float64(y0), float64(y1), c)
	}
}
