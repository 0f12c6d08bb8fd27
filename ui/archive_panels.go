package ui

import (
	"fmt"
	"image"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate/figures"
)

// Archive plot image size in pixels before the plot area is laid out (then
// the plot is drawn at the area's size).
const (
	ArchivePlotWidth  = 760
	ArchivePlotHeight = 340
)

// ExportLevels are the tidy CSV tables the archive exports, as the export
// selector names them; exportLevel gives the name app's Export gets.
var (
	ExportLevels = []string{"Records", "Segments", "Lead noise"}
	exportLevel  = map[string]string{"Records": "records", "Segments": "segments", "Lead noise": "lead-noise"}
)

// Mixed-model choices: the figure (response) as table.column of the tidy
// CSV tables (a record has several segments, so a per-segment figure has
// repeated rows per patient even where each patient has one record), and
// the fixed effect; the patient is the random effect.
var (
	ArchiveFigures = []string{"segments.noise_pct_mean", "segments.noise_any_pct", "segments.af_pct",
		"records.noise_pct_mean", "records.af_pct", "records.agree_pct", "records.kappa"}
	ArchiveFixed = []string{"device", "site"}
)

// archivePlots is the plot area of the archive view: one plot of the
// records that pass the filter.
type archivePlots struct {
	s       *ArchiveScreen
	sel     *widget.Select
	img     *canvas.Image
	area    *plotArea
	msg     *widget.Label
	content fyne.CanvasObject
	gen     int
	drawn   fyne.Size   // the area's size when the plot was last asked for
	resize  *time.Timer // redraws a while after the area stops changing size
}

func newArchivePlots(s *ArchiveScreen) *archivePlots {
	p := &archivePlots{s: s, msg: widget.NewLabel("")}
	titles := make([]string, len(figures.PlotKinds))
	for i, k := range figures.PlotKinds {
		titles[i] = k.Title
	}
	p.sel = widget.NewSelect(titles, func(string) { p.redraw() })
	p.img = canvas.NewImageFromImage(nil)
	p.img.FillMode = canvas.ImageFillContain
	p.area = newPlotArea(p.img, p.resized)
	p.msg.Truncation = fyne.TextTruncateEllipsis
	save := widget.NewButton("Save plot…", s.pickSavePlot)
	p.content = container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel("Plot"), save, p.sel), p.msg, nil, nil, p.area)
	p.sel.SetSelected(titles[0])
	return p
}

// kind returns the name of the chosen plot.
func (p *archivePlots) kind() string {
	for _, k := range figures.PlotKinds {
		if k.Title == p.sel.Selected {
			return k.Name
		}
	}
	return ""
}

// redraw draws the chosen plot of the rows on show in the background.
func (p *archivePlots) redraw() {
	plot, kind := p.s.Actions.Plot, p.kind()
	if plot == nil || kind == "" || p.s.table == nil {
		return
	}
	if len(p.s.rows) == 0 {
		p.shown(p.gen, nil, nil)
		return
	}
	p.gen++
	gen, rows := p.gen, slices.Clone(p.s.rows)
	w, h := p.pixels()
	p.msg.SetText("Drawing…")
	goBackground(func() {
		img, err := plot(kind, rows, w, h)
		toUI(func() { p.shown(gen, img, err) })
	})
}

// pixels returns the size to draw the plot at: the area's, in pixels,
// once it is laid out, else ArchivePlotWidth x ArchivePlotHeight.
func (p *archivePlots) pixels() (int, int) {
	p.drawn = p.area.Size()
	if p.drawn.Width < 100 || p.drawn.Height < 60 {
		return ArchivePlotWidth, ArchivePlotHeight
	}
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(p.area); c != nil {
		scale = c.Scale()
	}
	return int(p.drawn.Width * scale), int(p.drawn.Height * scale)
}

// resized draws the plot again at the area's new size, once the size has
// settled (a split being dragged resizes it many times).
func (p *archivePlots) resized(s fyne.Size) {
	if s == p.drawn || s.Width < 100 {
		return
	}
	if p.resize != nil && p.resize.Stop() {
		busy.Add(-1) // that one will not run
	}
	busy.Add(1) // counted as background work until it hands over
	p.resize = time.AfterFunc(150*time.Millisecond, func() {
		defer busy.Add(-1)
		toUI(p.redraw)
	})
}

func (p *archivePlots) shown(gen int, img image.Image, err error) {
	if gen != p.gen {
		return // a newer request is on its way
	}
	p.img.Image = img
	p.img.Refresh()
	switch {
	case err != nil:
		p.msg.SetText(err.Error())
	case img == nil:
		p.msg.SetText("No records to plot.")
	default:
		p.msg.SetText(fmt.Sprintf("%s · the records that pass the filter", Count(len(p.s.rows), "record")))
	}
}

// archiveModel is the mixed-model panel: the figure, the fixed effect, a
// Fit button and the fit's summary.
type archiveModel struct {
	s       *ArchiveScreen
	y, x    *widget.Select
	fit     *widget.Button
	out     *widget.Label
	content fyne.CanvasObject
}

func newArchiveModel(s *ArchiveScreen) *archiveModel {
	m := &archiveModel{s: s, y: widget.NewSelect(ArchiveFigures, nil), x: widget.NewSelect(ArchiveFixed, nil)}
	m.y.SetSelected(ArchiveFigures[0])
	m.x.SetSelected(ArchiveFixed[0])
	m.fit = widget.NewButton("Fit", m.Fit)
	m.out = widget.NewLabel("A linear mixed model of the figure, with the device or site\nas the fixed effect " +
		"and a random intercept per patient,\nfitted to every record's rows of the table.")
	m.out.TextStyle.Monospace = true
	m.out.Selectable = true
	form := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Mixed model of"), container.NewHBox(widget.NewLabel("by"), m.x), m.y),
		container.NewHBox(widget.NewLabel("random intercept: patient"), m.fit))
	// The summary is a fixed-width table: it scrolls rather than wraps.
	m.content = container.NewBorder(form, nil, nil, nil, container.NewScroll(m.out))
	return m
}

// Fit fits the chosen model in the background and shows its summary.
func (m *archiveModel) Fit() {
	fit := m.s.Actions.Fit
	if fit == nil {
		m.out.SetText("Fitting is not available here.")
		return
	}
	y, x := m.y.Selected, m.x.Selected
	m.fit.Disable()
	m.out.SetText(fmt.Sprintf("Fitting %s ~ %s + (1 | patient)…", y, x))
	goBackground(func() {
		text, err := fit(y, x)
		toUI(func() {
			m.fit.Enable()
			if err != nil {
				text = "Not fitted: " + err.Error()
			}
			m.out.SetText(text)
		})
	})
}

// SetModel chooses the mixed model's figure and fixed effect.
func (s *ArchiveScreen) SetModel(y, fixed string) {
	s.model.y.SetSelected(y)
	s.model.x.SetSelected(fixed)
}

// Fit fits the chosen mixed model (as the Fit button does).
func (s *ArchiveScreen) Fit() { s.model.Fit() }

// ModelText returns the mixed-model panel's text.
func (s *ArchiveScreen) ModelText() string { return s.model.out.Text }

// SetPlot chooses plot kind (figures.PlotKinds) by name.
func (s *ArchiveScreen) SetPlot(kind string) {
	for _, k := range figures.PlotKinds {
		if k.Name == kind {
			s.plots.sel.SetSelected(k.Title)
		}
	}
}

// PlotImage returns the plot on show (nil before the first).
func (s *ArchiveScreen) PlotImage() image.Image { return s.plots.img.Image }

// SetExportLevel chooses the table Export CSV… writes (ExportLevels).
func (s *ArchiveScreen) SetExportLevel(l string) { s.export.SetSelected(l) }

// ExportTo writes the chosen table to path and says what happened.
func (s *ArchiveScreen) ExportTo(path string) string {
	if s.Actions.Export == nil {
		return "Export is not available here."
	}
	if err := s.Actions.Export(exportLevel[s.export.Selected], path); err != nil {
		return "Not exported: " + err.Error()
	}
	return fmt.Sprintf("Exported the %s table to %s", s.export.Selected, path)
}

// SavePlotTo writes the plot on show, of the records that pass the
// filter, to path (PNG, SVG or PDF by its extension) and says what
// happened.
func (s *ArchiveScreen) SavePlotTo(path string) string {
	kind := s.plots.kind()
	if s.Actions.SavePlot == nil || kind == "" {
		return "Saving plots is not available here."
	}
	if err := s.Actions.SavePlot(kind, slices.Clone(s.rows), path); err != nil {
		return "Plot not saved: " + err.Error()
	}
	return fmt.Sprintf("Saved the plot %q of %d records to %s", s.plots.sel.Selected, len(s.rows), path)
}

func (s *ArchiveScreen) pickSavePlot() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close()
		s.SetMessage(s.SavePlotTo(path))
	}, s.win)
	d.SetFileName("archive-" + s.plots.kind() + ".png")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".svg", ".pdf"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (s *ArchiveScreen) pickExport() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close()
		s.SetMessage(s.ExportTo(path))
	}, s.win)
	d.SetFileName("archive-" + exportLevel[s.export.Selected] + ".csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (s *ArchiveScreen) pickDevices() {
	if s.Actions.Devices == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		s.Actions.Devices(path)
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// plotArea shows the plot image and tells its owner when it is resized,
// so the plot is drawn again at the new size rather than scaled.
type plotArea struct {
	widget.BaseWidget
	img     *canvas.Image
	resized func(fyne.Size)
}

func newPlotArea(img *canvas.Image, resized func(fyne.Size)) *plotArea {
	a := &plotArea{img: img, resized: resized}
	a.ExtendBaseWidget(a)
	return a
}

// Resize lays the image out and reports the new size.
func (a *plotArea) Resize(s fyne.Size) {
	a.BaseWidget.Resize(s)
	a.resized(s)
}

// MinSize keeps the plot readable.
func (a *plotArea) MinSize() fyne.Size { return fyne.NewSize(360, 180) }

// CreateRenderer implements fyne.Widget.
func (a *plotArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.img) }
