package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate/eval"
)

// ErrorOptions are the choices of the error browser's top bar.
type ErrorOptions struct {
	Records []string // record names; nil: every record with labels and a model layer
	MIT     bool     // MIT symbols instead of AAMI classes
	Whole   bool     // score whole records (no 5-minute learning period; not EC57)
	// Reference is the reader whose label set is the reference; empty:
	// each record's pick (signed off, else imported, else most reviewed).
	Reference string
	// AllBeats scores every beat of the reference, also model
	// suggestions nobody reviewed (default: only the reference's own).
	AllBeats bool
}

// ErrorActions are what the error browser asks of package app.
type ErrorActions struct {
	// Compute recomputes the matrix for o; app calls SetConfusion (or
	// SetMessage) when done.
	Compute func(o ErrorOptions)
	Snippet func(eval.BeatRef) (*Snippet, error)
	Jump    func(eval.BeatRef)
}

// ErrorBrowser shows where the model and the readers disagree: the
// confusion matrix (a click on a cell opens its beats), the per-class
// table beside it, and the gallery of a cell's beats.
type ErrorBrowser struct {
	Actions ErrorActions

	opts    ErrorOptions
	names   []string        // every record the database holds, for the chooser
	left    *fyne.Container // matrix, per-class table and status, top to bottom
	matrix  *fyne.Container
	classes *fyne.Container
	gallery *beatGallery
	status  *widget.Label
	recs    *widget.Button
	ref     *widget.Select
	all     *widget.Check
	content fyne.CanvasObject
	win     fyne.Window
	conf    *eval.Confusion
}

// NewErrorBrowser returns an empty error browser; win hosts its dialogs.
func NewErrorBrowser(a ErrorActions, win fyne.Window) *ErrorBrowser {
	e := &ErrorBrowser{Actions: a, win: win, gallery: newBeatGallery(), status: widget.NewLabel("")}
	e.gallery.snippet = func(b eval.BeatRef) (*Snippet, error) { return callSnippet(e.Actions.Snippet, b) }
	e.gallery.jump = func(b eval.BeatRef) { call1(e.Actions.Jump, b) }
	e.matrix = container.NewVBox()
	e.classes = container.NewVBox()
	e.status.Wrapping = fyne.TextWrapWord
	scheme := widget.NewSelect([]string{"AAMI", "MIT"}, func(s string) { e.opts.MIT = s == "MIT" })
	scheme.SetSelected("AAMI")
	whole := widget.NewCheck("Whole records (not EC57)", func(b bool) { e.opts.Whole = b })
	e.all = widget.NewCheck("All beats (also unreviewed)", func(b bool) { e.opts.AllBeats = b; e.compute() })
	e.recs = widget.NewButton("Records: all", e.chooseRecords)
	e.ref = widget.NewSelect([]string{autoReference}, nil)
	e.ref.SetSelected(autoReference)
	e.ref.OnChanged = func(s string) {
		e.opts.Reference = ""
		if s != autoReference {
			e.opts.Reference = s
		}
	}
	run := widget.NewButton("Compute", func() { e.compute() })
	run.Importance = widget.HighImportance
	bar := container.NewHBox(e.recs, widget.NewLabel("Reference"), e.ref, widget.NewLabel("Labels"), scheme, whole, e.all, run)
	e.left = container.NewVBox(e.matrix, widget.NewSeparator(), e.classes, e.status)
	split := container.NewHSplit(container.NewVScroll(e.left), e.gallery.content)
	split.Offset = 0.42
	e.content = container.NewBorder(bar, nil, nil, nil, split)
	return e
}

func call1[T any](f func(T), v T) {
	if f != nil {
		f(v)
	}
}

// Content returns the browser's canvas object.
func (e *ErrorBrowser) Content() fyne.CanvasObject { return e.content }

// Options returns the choices made in the top bar.
func (e *ErrorBrowser) Options() ErrorOptions { return e.opts }

// SetRecordNames sets the records the chooser offers.
func (e *ErrorBrowser) SetRecordNames(names []string) { e.names = names }

// autoReference is the reference choice that lets each record pick its own.
const autoReference = "Automatic"

// SetReaders sets the label sets the reference chooser offers (reader
// names, imported references such as mitdb among them).
func (e *ErrorBrowser) SetReaders(readers []string) {
	e.ref.Options = append([]string{autoReference}, readers...)
	e.ref.Refresh()
}

// SetReference chooses the reference label set; "" is Automatic.
func (e *ErrorBrowser) SetReference(reader string) {
	if reader == "" {
		reader = autoReference
	}
	e.ref.SetSelected(reader)
}

// SetMessage shows msg beside the matrix (progress, an error).
func (e *ErrorBrowser) SetMessage(msg string) { e.status.SetText(msg) }

func (e *ErrorBrowser) compute() {
	if e.Actions.Compute == nil {
		return
	}
	e.SetMessage("Computing…")
	e.Actions.Compute(e.opts)
}

// chooseRecords lets the user tick the records to compare.
func (e *ErrorBrowser) chooseRecords() {
	if len(e.names) == 0 {
		e.SetMessage("No records to choose from: the label database has none with a model layer.")
		return
	}
	cg := widget.NewCheckGroup(e.names, nil)
	cg.SetSelected(e.opts.Records)
	if len(e.opts.Records) == 0 { // all: the boxes say so too
		cg.SetSelected(e.names)
	}
	all := widget.NewButton("All", func() { cg.SetSelected(e.names) })
	none := widget.NewButton("None", func() { cg.SetSelected(nil) })
	body := container.NewBorder(container.NewHBox(all, none), nil, nil, nil, container.NewVScroll(cg))
	d := dialog.NewCustomConfirm("Records to compare", "Use these", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		e.opts.Records = cg.Selected
		if len(cg.Selected) == 0 || len(cg.Selected) == len(e.names) {
			e.opts.Records = nil
		}
		e.recs.SetText(recordsText(e.opts.Records))
		if len(cg.Selected) == 0 {
			e.SetMessage("No record was ticked, so all are compared.")
		}
	}, e.win)
	d.Resize(fyne.NewSize(360, 520))
	d.Show()
}

func recordsText(r []string) string {
	switch {
	case len(r) == 0:
		return "Records: all"
	case len(r) <= 3:
		return "Records: " + strings.Join(r, ", ")
	}
	return fmt.Sprintf("Records: %d chosen", len(r))
}

// SetConfusion shows c under title (what was compared, in words): the
// matrix and the per-class table.
func (e *ErrorBrowser) SetConfusion(title string, c *eval.Confusion) {
	e.conf = c
	e.matrix.Objects = []fyne.CanvasObject{matrixTitle(title), e.matrixGrid(c)}
	e.matrix.Refresh()
	e.classes.Objects = []fyne.CanvasObject{classTable(c.PerClass)}
	if len(c.Results) > 0 {
		e.classes.Add(widget.NewSeparator())
		e.classes.Add(recordTable(c))
	}
	e.left.Refresh()                     // the new children have other sizes
	e.gallery.set(galleryHint, nil, nil) // the last cell's beats are another matrix's
	e.SetMessage(confusionHint(c))
}

// confusionHint is the line under the tables: how to read them, or why
// they are empty.
func confusionHint(c *eval.Confusion) string {
	if d := c.EC57.Detection(); d.TP+d.FN == 0 && c.Unowned > 0 {
		return fmt.Sprintf("No reference beat counts: the %d scored beats of this reference are model suggestions nobody reviewed. Choose another reference (an imported or signed-off one) or tick All beats.", c.Unowned)
	}
	return "O: no partner beat. Click a cell to see its beats, the model's surest first."
}

func matrixTitle(s string) fyne.CanvasObject {
	l := widget.NewLabel(s + " · rows: the reference's label, columns: the model's")
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Bold = true
	return l
}

// matrixGrid lays the matrix out as a grid of buttons, one per cell.
func (e *ErrorBrowser) matrixGrid(c *eval.Confusion) fyne.CanvasObject {
	g := container.NewGridWithColumns(len(c.Cols) + 1)
	g.Add(cellText("", fyne.TextAlignCenter, fyne.TextStyle{}))
	for _, col := range c.Cols {
		g.Add(cellText(col, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	for i, row := range c.Rows {
		g.Add(cellText(row, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
		for j, col := range c.Cols {
			g.Add(e.cellButton(row, col, len(c.Cells[i][j].Beats)))
		}
	}
	return g
}

func (e *ErrorBrowser) cellButton(row, col string, n int) fyne.CanvasObject {
	if n == 0 {
		return cellText("·", fyne.TextAlignCenter, fyne.TextStyle{})
	}
	b := widget.NewButton(fmt.Sprint(n), func() { e.OpenCell(row, col) })
	switch {
	case row == col:
		b.Importance = widget.LowImportance
	default:
		b.Importance = widget.DangerImportance
	}
	return b
}

// OpenCell shows the beats of cell (row, col) in the gallery, the
// model's surest first.
func (e *ErrorBrowser) OpenCell(row, col string) {
	if e.conf == nil {
		return
	}
	c, ok := e.conf.Cell(row, col)
	if !ok {
		return
	}
	info := e.conf.Info
	e.gallery.set(fmt.Sprintf("reference %s, model %s: %s, the model's surest first (double-click: show on the strip)", row, col, Count(len(c.Beats), "beat")),
		c.Beats, func(i int) []string { return beatCaption(c.Beats[i], info) })
}

// GalleryBeats returns the beats the gallery shows.
func (e *ErrorBrowser) GalleryBeats() []eval.BeatRef { return e.gallery.beats }

// classTable is the per-class Se, +P and F1 table.
func classTable(lines []eval.ClassStat) fyne.CanvasObject {
	head := []string{"class", "ref", "TP", "FN", "FP", "Se %", "+P %", "F1 %"}
	g := container.NewGridWithColumns(len(head))
	for _, h := range head {
		g.Add(cellText(h, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	for _, l := range lines {
		for _, s := range []string{l.Class, fmt.Sprint(l.Reference), fmt.Sprint(l.TP), fmt.Sprint(l.FN), fmt.Sprint(l.FP),
			eval.Percent(l.Se, l.SeOK), eval.Percent(l.PP, l.PPOK), eval.Percent(l.F1, l.F1OK)} {
			g.Add(cellText(s, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true}))
		}
	}
	return g
}

// cellText is a table cell's text: a plain text object with a little
// padding, far narrower than a label, so the tables leave the gallery room.
func cellText(s string, align fyne.TextAlign, style fyne.TextStyle) fyne.CanvasObject {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.Alignment, t.TextStyle = align, style
	return container.New(layout.NewCustomPaddedLayout(6, 6, 4, 4), t)
}

// recordTable is the per-record table: each record's reference label set,
// its scored reference beats, and the model's V and S Se and +P.
func recordTable(c *eval.Confusion) fyne.CanvasObject {
	head := []string{"record", "ref", "beats", "V Se %", "V +P %", "S Se %", "S +P %"}
	g := container.NewGridWithColumns(len(head))
	for _, h := range head {
		g.Add(cellText(h, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	for i, r := range c.Results {
		ref := ""
		if i < len(c.References) {
			ref = c.References[i]
		}
		for _, s := range append([]string{r.Record, ref}, eval.RecordFigures(&r.Matrix)...) {
			g.Add(cellText(s, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true}))
		}
	}
	return g
}
