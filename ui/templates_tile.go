package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// tileCaptionSize is the text size of a tile's caption lines.
const tileCaptionSize = 11

var (
	_ fyne.Tappable       = (*tile)(nil)
	_ fyne.DoubleTappable = (*tile)(nil)
)

// tile is one card of a tileGrid: a picture drawn as pixels (a template or
// a snippet) and a few caption lines under it.
type tile struct {
	widget.BaseWidget

	// paint draws the picture into img (its Rect is the picture's pixels).
	paint    func(img *image.RGBA, p tilePalette, env *trace.Envelope)
	caption  []string
	selected bool
	marked   bool
	onTap    func()
	onDouble func()
}

func newTile() *tile {
	t := &tile{}
	t.ExtendBaseWidget(t)
	return t
}

// set replaces the tile's picture and caption and repaints it.
func (t *tile) set(paint func(*image.RGBA, tilePalette, *trace.Envelope), caption ...string) {
	t.paint, t.caption = paint, caption
	t.Refresh()
}

// Tapped selects the tile.
func (t *tile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

// DoubleTapped activates the tile (jumps to the strip, opens the cluster).
func (t *tile) DoubleTapped(*fyne.PointEvent) {
	if t.onDouble != nil {
		t.onDouble()
	}
}

// CreateRenderer implements fyne.Widget.
func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := &tileRenderer{t: t, border: &canvas.Rectangle{StrokeWidth: 2}}
	r.raster = canvas.NewRaster(r.draw)
	r.raster.ScaleMode = canvas.ImageScalePixels // drawn at pixel size, as the strip
	return r
}

type tileRenderer struct {
	t      *tile
	raster *canvas.Raster
	border *canvas.Rectangle
	texts  []*canvas.Text
	img    *image.RGBA
	env    trace.Envelope
}

func (r *tileRenderer) draw(w, h int) image.Image {
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	th, v := r.t.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	p := newTilePalette(th, v)
	if r.t.paint == nil {
		trace.Fill(r.img, r.img.Rect, p.paper)
		return r.img
	}
	r.t.paint(r.img, p, &r.env)
	return r.img
}

func (r *tileRenderer) captionHeight() float32 {
	return float32(len(r.t.caption)) * (tileCaptionSize + 3)
}

func (r *tileRenderer) Layout(size fyne.Size) {
	pad := float32(4)
	ch := r.captionHeight()
	r.raster.Move(fyne.NewPos(pad, pad))
	r.raster.Resize(fyne.NewSize(size.Width-2*pad, max(1, size.Height-ch-2*pad)))
	r.border.Move(fyne.NewPos(1.5, 1.5)) // the stroke stays inside the tile
	r.border.Resize(fyne.NewSize(size.Width-3, size.Height-3))
	y := size.Height - ch - pad + 1
	for _, t := range r.texts {
		t.Move(fyne.NewPos(pad+2, y))
		t.Resize(fyne.NewSize(size.Width-2*pad, tileCaptionSize+3))
		y += tileCaptionSize + 3
	}
}

func (r *tileRenderer) MinSize() fyne.Size {
	return fyne.NewSize(60, 40+r.captionHeight())
}

func (r *tileRenderer) Refresh() {
	th, v := r.t.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	for len(r.texts) < len(r.t.caption) {
		r.texts = append(r.texts, &canvas.Text{TextSize: tileCaptionSize})
	}
	r.texts = r.texts[:len(r.t.caption)]
	for i, s := range r.t.caption {
		r.texts[i].Text, r.texts[i].Color = s, th.Color(theme.ColorNameForeground, v)
		r.texts[i].TextStyle = fyne.TextStyle{Bold: i == 0}
	}
	r.border.FillColor = th.Color(theme.ColorNameInputBackground, v)
	switch {
	case r.t.selected:
		r.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
		r.border.StrokeWidth = 3
	case r.t.marked:
		r.border.StrokeColor = th.Color(theme.ColorNameWarning, v)
		r.border.StrokeWidth = 3
	default:
		r.border.StrokeColor = th.Color(theme.ColorNameSeparator, v)
		r.border.StrokeWidth = 1
	}
	r.Layout(r.t.Size())
	r.border.Refresh()
	for _, t := range r.texts {
		t.Refresh()
	}
	r.raster.Refresh()
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.border, r.raster}
	for _, t := range r.texts {
		objs = append(objs, t)
	}
	return objs
}

func (r *tileRenderer) Destroy() {}
