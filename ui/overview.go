package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Overview geometry, in Fyne units.
const (
	overviewGutter = 58 // left column with the track names
	trackNameSize  = 8
)

var (
	_ fyne.Tappable      = (*Overview)(nil)
	_ fyne.Draggable     = (*Overview)(nil)
	_ desktop.Cursorable = (*Overview)(nil)
)

// Overview shows the whole record as a stack of tracks: the min/max
// envelope of the first lead shown with the ectopic beats marked in their class
// colour, the heart-rate trend, one track per rhythm with its episodes, the
// noise stretches, the model's confidence and what a reader has reviewed;
// and the window the strip shows. Clicking or dragging on it asks to jump
// there.
type Overview struct {
	widget.BaseWidget

	// OnSeek is called with the sample under the pointer when the bar is
	// clicked or dragged.
	OnSeek func(sample int64)

	src        *trace.Source
	info       annotate.RecordInfo
	labels     *Labels
	start, end int64 // the strip's window
	renderer   *overviewRenderer
	lead       int // the lead whose envelope the first track draws (SetLead)
}

// NewOverview returns an empty overview.
func NewOverview() *Overview {
	o := &Overview{}
	o.ExtendBaseWidget(o)
	return o
}

// SetRecord shows sig; pyr is its pyramid (possibly still being built),
// labels the labels to sum up (nil: none).
func (o *Overview) SetRecord(sig annotate.Signal, pyr *trace.Pyramid, labels *Labels) {
	o.src, o.info, o.labels = trace.NewSource(sig, pyr), sig.Info(), labels
	o.lead = firstShown(o.info.Leads)
	o.Refresh()
}

// SetLabels replaces the labels summed up.
func (o *Overview) SetLabels(l *Labels) {
	o.labels = l
	o.Refresh()
}

// SetWindow marks samples [start, end) as the strip's window.
func (o *Overview) SetWindow(start, end int64) {
	o.start, o.end = start, end
	if r := o.renderer; r != nil { // move the marker; the tracks stay
		r.layoutWindow(o.Size())
		r.window.Refresh()
	}
}

// Window returns the marked window.
func (o *Overview) Window() (start, end int64) { return o.start, o.end }

// sampleAt returns the sample under x units from the left edge.
func (o *Overview) sampleAt(x float32) int64 {
	w := o.Size().Width - overviewGutter
	if w <= 0 {
		return 0
	}
	return int64(float64(x-overviewGutter) / float64(w) * float64(o.info.NSamples))
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
	if o.OnSeek != nil && o.src != nil && o.info.NSamples > 0 {
		o.OnSeek(max(0, min(o.sampleAt(x), o.info.NSamples-1)))
	}
}

// CreateRenderer implements fyne.Widget.
func (o *Overview) CreateRenderer() fyne.WidgetRenderer {
	o.ExtendBaseWidget(o)
	r := &overviewRenderer{o: o, window: &canvas.Rectangle{StrokeWidth: 1.5}}
	r.raster = canvas.NewRaster(r.draw)
	r.raster.ScaleMode = canvas.ImageScalePixels // drawn at pixel size, as the strip
	o.renderer = r
	return r
}

type overviewRenderer struct {
	o      *Overview
	raster *canvas.Raster
	window *canvas.Rectangle
	names  []*canvas.Text
	img    *image.RGBA
	env    trace.Envelope
	spans  []float64
	tracks []track
	cols   overviewCols
	rrs    []float64 // scratch for the heart-rate medians
}

func (r *overviewRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.raster}
	for _, t := range r.names {
		objs = append(objs, t)
	}
	return append(objs, r.window)
}

func (r *overviewRenderer) Destroy() {}

func (r *overviewRenderer) MinSize() fyne.Size {
	r.tracks = layoutTracks(r.o.labels)
	return fyne.NewSize(200, tracksHeight(r.tracks))
}

func (r *overviewRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
	r.layoutWindow(size)
	r.layoutNames()
}

func (r *overviewRenderer) layoutWindow(size fyne.Size) {
	n := float32(max(r.o.info.NSamples, 1))
	w := size.Width - overviewGutter
	x0 := overviewGutter + float32(r.o.start)/n*w
	x1 := max(overviewGutter+float32(r.o.end)/n*w, x0+3)
	r.window.Move(fyne.NewPos(x0, 0))
	r.window.Resize(fyne.NewSize(x1-x0, size.Height))
}

// layoutNames puts each track's name in the gutter.
func (r *overviewRenderer) layoutNames() {
	th, v := r.o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	for len(r.names) < len(r.tracks) {
		r.names = append(r.names, &canvas.Text{TextSize: trackNameSize})
	}
	for i, t := range r.names {
		if i >= len(r.tracks) || r.tracks[i].name == "" {
			t.Hide()
			continue
		}
		tr := r.tracks[i]
		t.Text, t.Color = tr.name, stripColor(th, ColorNameECGText, v)
		t.Move(fyne.NewPos(4, tr.y+(tr.h-trackNameSize)/2-2))
		t.Resize(fyne.NewSize(overviewGutter-6, trackNameSize+2))
		t.Show()
	}
}

func (r *overviewRenderer) Refresh() {
	th, v := r.o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.window.FillColor = stripColor(th, ColorNameECGWindow, v)
	r.window.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	r.tracks = layoutTracks(r.o.labels)
	r.layoutWindow(r.o.Size())
	r.layoutNames()
	r.raster.Refresh()
	r.window.Refresh()
	for _, t := range r.names {
		t.Refresh()
	}
}
