package ui

import (
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// Plot image size in pixels: drawn once at this size and scaled to fit.
const (
	PlotWidth  = 1000
	PlotHeight = 520
)

// PlotKind is one plot the view offers.
type PlotKind struct{ Name, Title string }

// PlotActions are what the plots view asks of package app.
type PlotActions struct {
	// Render draws plot kind of the current record at w x h pixels.
	Render func(kind string, w, h int) (image.Image, error)
	// Export writes plot kind to path as PNG, SVG or PDF (by extension).
	Export func(kind, path string, w, h int) error
}

// PlotsView shows one plot of the current record at a time (HR trend,
// tachogram, Poincaré, AF burden, ectopy, Bland-Altman) and exports it.
type PlotsView struct {
	Actions PlotActions
	// OnKind is called when another plot is chosen (app saves it).
	OnKind func(kind string)

	kinds   []PlotKind
	sel     *widget.Select
	img     *canvas.Image
	status  *widget.Label
	content fyne.CanvasObject
	win     fyne.Window
	gen     int
}

// NewPlotsView returns the view offering kinds, showing kind first.
func NewPlotsView(kinds []PlotKind, kind string, a PlotActions, win fyne.Window) *PlotsView {
	v := &PlotsView{Actions: a, kinds: kinds, win: win, status: widget.NewLabel("")}
	titles := make([]string, len(kinds))
	for i, k := range kinds {
		titles[i] = k.Title
	}
	v.sel = widget.NewSelect(titles, func(string) { v.Redraw(); call1(v.OnKind, v.Kind()) })
	v.img = canvas.NewImageFromImage(nil)
	v.img.FillMode = canvas.ImageFillContain
	v.img.SetMinSize(fyne.NewSize(400, 220))
	export := widget.NewButton("Export…", v.export)
	bar := container.NewBorder(nil, nil, widget.NewLabel("Plot"), export, v.sel)
	v.content = container.NewBorder(bar, v.status, nil, nil, v.img)
	v.status.Truncation = fyne.TextTruncateEllipsis
	for _, k := range kinds {
		if k.Name == kind {
			v.sel.SetSelected(k.Title)
		}
	}
	return v
}

// Content returns the view's canvas object.
func (v *PlotsView) Content() fyne.CanvasObject { return v.content }

// Kind returns the name of the plot chosen ("" when none).
func (v *PlotsView) Kind() string {
	for _, k := range v.kinds {
		if k.Title == v.sel.Selected {
			return k.Name
		}
	}
	return ""
}

// SetKind chooses plot kind by name.
func (v *PlotsView) SetKind(kind string) {
	for _, k := range v.kinds {
		if k.Name == kind {
			v.sel.SetSelected(k.Title)
		}
	}
}

// Image returns the image on show (nil before the first plot).
func (v *PlotsView) Image() image.Image { return v.img.Image }

// SetMessage shows msg under the plot.
func (v *PlotsView) SetMessage(msg string) { v.status.SetText(msg) }

// Redraw draws the chosen plot again in the background (the labels or the
// record changed).
func (v *PlotsView) Redraw() {
	kind := v.Kind()
	if kind == "" || v.Actions.Render == nil {
		return
	}
	v.gen++
	gen := v.gen
	v.SetMessage("Drawing…")
	render := v.Actions.Render
	goBackground(func() {
		img, err := render(kind, PlotWidth, PlotHeight)
		toUI(func() { v.shown(gen, img, err) })
	})
}

func (v *PlotsView) shown(gen int, img image.Image, err error) {
	if gen != v.gen {
		return // a newer request is on its way
	}
	if err != nil {
		v.img.Image = nil
		v.img.Refresh()
		v.SetMessage(err.Error())
		return
	}
	v.img.Image = img
	v.img.Refresh()
	v.SetMessage("Export… writes the plot as PNG, SVG or PDF (by the file name's extension).")
}

func (v *PlotsView) export() {
	kind := v.Kind()
	if kind == "" || v.Actions.Export == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close()
		v.SetMessage(v.ExportTo(kind, path))
	}, v.win)
	d.SetFileName(kind + ".png")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".svg", ".pdf"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// ExportTo writes plot kind to path and says what happened.
func (v *PlotsView) ExportTo(kind, path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".png" && ext != ".svg" && ext != ".pdf" {
		return fmt.Sprintf("Not exported: %s must end in .png, .svg or .pdf", filepath.Base(path))
	}
	if err := v.Actions.Export(kind, path, PlotWidth, PlotHeight); err != nil {
		return "Not exported: " + err.Error()
	}
	return "Exported " + path
}
