package ui

import (
	"fmt"
	"image"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate/figures"
)

// What the archive table lists, as its selector names it.
const (
	ArchiveRecords = "Records"
	ArchiveDevices = "Devices"
	ArchiveSites   = "Sites"
)

// groupBy is what package archive groups by for each group view.
var groupBy = map[string]string{ArchiveDevices: "device", ArchiveSites: "site"}

// ArchiveActions are what the archive view asks of package app. Each may
// be nil (the view then offers nothing for it).
type ArchiveActions struct {
	// Open opens a record on the record screen.
	Open func(figures.Row)
	// Group sums rows by "device" or "site".
	Group func(rows []figures.Row, by string) []ArchiveGroupRow
	// Plot draws plot kind (figures.PlotKinds) of rows at w x h pixels.
	Plot func(kind string, rows []figures.Row, w, h int) (image.Image, error)
	// Fit fits the linear mixed model of figure y (ArchiveFigures:
	// "segments.noise_pct_mean" is column noise_pct_mean of the segments
	// table) with fixed effect fixed ("device" or "site") and a random
	// intercept per patient, and returns its summary.
	Fit func(y, fixed string) (string, error)
	// SavePlot writes plot kind of rows to path as PNG, SVG or PDF (by the
	// file name's extension).
	SavePlot func(kind string, rows []figures.Row, path string) error
	// Export writes the tidy CSV of level (ExportLevels) to path.
	Export func(level, path string) error
	// Devices reads the records' device, site and patient from a CSV.
	Devices func(path string)
}

// ArchiveScreen lists the records of a label database with their figures
// (hours, noise burden per lead, beats by class, AF burden, review state,
// model-reader agreement), or those figures summed per device or site, in a
// table sorted by a click on a header; it plots them, fits a mixed model of
// one figure, and exports them as tidy CSV.
type ArchiveScreen struct {
	Actions ArchiveActions
	// OnApply is called after the table was filled, filtered or sorted
	// again (app traces it for the real-window test).
	OnApply func()

	all, rows []figures.Row
	groups    []ArchiveGroupRow
	sorts     map[string]sortKey
	mode      *widget.RadioGroup
	filter    *widget.Entry
	table     *archiveTable
	status    *widget.Label
	plots     *archivePlots
	model     *archiveModel
	export    *widget.Select
	content   fyne.CanvasObject
	win       fyne.Window
	selected  int
}

// NewArchiveScreen returns an empty archive view; win hosts its dialogs.
func NewArchiveScreen(a ArchiveActions, win fyne.Window) *ArchiveScreen {
	s := &ArchiveScreen{Actions: a, win: win, selected: -1, sorts: map[string]sortKey{}}
	s.filter = widget.NewEntry()
	s.filter.SetPlaceHolder("Filter: record, device, site, patient or reader")
	s.filter.OnChanged = func(string) { s.apply(); s.plots.redraw() }
	s.table = newArchiveTable(s)
	s.status = widget.NewLabel("")
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.plots = newArchivePlots(s)
	s.model = newArchiveModel(s)
	s.mode = widget.NewRadioGroup([]string{ArchiveRecords, ArchiveDevices, ArchiveSites}, func(string) { s.apply() })
	s.mode.Horizontal = true
	s.mode.Required = true
	s.mode.SetSelected(ArchiveRecords)
	s.content = container.NewBorder(s.bar(), s.status, nil, nil,
		newSplit(false, s.table, newSplit(true, s.plots.content, s.model.content, 0.45), 0.55))
	return s
}

// newSplit returns a split of a and b with a's share of the room.
func newSplit(horizontal bool, a, b fyne.CanvasObject, offset float64) *container.Split {
	sp := container.NewVSplit(a, b)
	if horizontal {
		sp = container.NewHSplit(a, b)
	}
	sp.Offset = offset
	return sp
}

// bar is the row above the table: what to list, the filter, the devices
// file and the export.
func (s *ArchiveScreen) bar() fyne.CanvasObject {
	s.export = widget.NewSelect(ExportLevels, nil)
	s.export.SetSelected(ExportLevels[0])
	right := container.NewHBox(
		widget.NewButton("Devices CSV…", s.pickDevices),
		s.export, widget.NewButton("Export CSV…", s.pickExport))
	return container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel("Rows"), s.mode), right, s.filter)
}

// Content returns the screen's canvas object.
func (s *ArchiveScreen) Content() fyne.CanvasObject { return s.content }

// SetProgress says how far reading the records has come.
func (s *ArchiveScreen) SetProgress(done, total int) {
	s.status.SetText(fmt.Sprintf("Reading %d of %d records…", done, total))
}

// SetMessage shows msg under the table.
func (s *ArchiveScreen) SetMessage(msg string) { s.status.SetText(msg) }

// SetRows shows rows (every record), with errs, the records that could
// not be read, counted under the table, and notes (a devices CSV's rows
// that name no record) after the count.
func (s *ArchiveScreen) SetRows(rows []figures.Row, errs []error, notes ...string) {
	s.all = rows
	s.apply()
	s.plots.redraw()
	parts := append([]string{Count(len(rows), "record")}, notes...)
	if len(errs) > 0 {
		parts = append(parts, fmt.Sprintf("%s not read (first: %v)", Count(len(errs), "record"), errs[0]))
	}
	parts = append(parts, "click a header to sort · double-click or Enter opens a record")
	s.status.SetText(strings.Join(parts, " · "))
}

// Message returns the line under the table.
func (s *ArchiveScreen) Message() string { return s.status.Text }

// SetMode lists records (ArchiveRecords) or devices or sites.
func (s *ArchiveScreen) SetMode(m string) { s.mode.SetSelected(m) }

// Mode returns what the table lists.
func (s *ArchiveScreen) Mode() string { return s.mode.Selected }

// SetFilter sets the filter text.
func (s *ArchiveScreen) SetFilter(q string) { s.filter.SetText(q) }

// Rows returns the record rows that pass the filter, in table order.
func (s *ArchiveScreen) Rows() []figures.Row { return s.rows }

// Groups returns the device or site rows on show, in table order.
func (s *ArchiveScreen) Groups() []ArchiveGroupRow { return s.groups }

// SortBy sorts the table by column c as a click on its header does: up,
// or down when it is already sorted up.
func (s *ArchiveScreen) SortBy(c int) {
	s.sorts[s.Mode()] = s.sorts[s.Mode()].next(c)
	s.apply()
}

// Header returns the header of column c as shown (with its sort mark).
func (s *ArchiveScreen) Header(c int) string {
	cols := s.titles()
	if c < 0 || c >= len(cols) {
		return ""
	}
	return s.sorts[s.Mode()].title(c, cols[c])
}

// SortedHeader returns the header of the sorted column, with its mark
// ("Beats ▼").
func (s *ArchiveScreen) SortedHeader() string { return s.Header(s.sorts[s.Mode()].col) }

// titles are the headers of the columns of the current view.
func (s *ArchiveScreen) titles() []string {
	if s.Mode() == ArchiveRecords {
		return colTitles(recordCols)
	}
	t := colTitles(groupCols)
	t[0] = strings.TrimSuffix(s.Mode(), "s")
	return t
}

func colTitles[T any](cols []archiveCol[T]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.title
	}
	return out
}

// apply filters and sorts the rows (and groups them) and redraws the table.
func (s *ArchiveScreen) apply() {
	if s.table == nil || s.mode == nil {
		return // still being built
	}
	q := strings.ToLower(strings.TrimSpace(s.filter.Text))
	s.rows = s.rows[:0]
	for _, r := range s.all {
		if q == "" || strings.Contains(strings.ToLower(strings.Join([]string{r.Name, r.Device, r.Site, r.Patient, r.Reader}, " ")), q) {
			s.rows = append(s.rows, r)
		}
	}
	slices.SortStableFunc(s.rows, order(recordCols, s.sorts[ArchiveRecords]))
	s.groups = nil
	if by, ok := groupBy[s.Mode()]; ok && s.Actions.Group != nil {
		s.groups = s.Actions.Group(slices.Clone(s.rows), by)
		slices.SortStableFunc(s.groups, order(groupCols, s.sorts[s.Mode()]))
	}
	s.table.layoutColumns()
	s.table.Refresh()
	call(s.OnApply)
}

// open asks app to open record row i of the table.
func (s *ArchiveScreen) open(i int) {
	if s.Mode() == ArchiveRecords && i >= 0 && i < len(s.rows) && s.Actions.Open != nil {
		s.Actions.Open(s.rows[i])
	}
}

// cellText is the text of a cell of the current view.
func (s *ArchiveScreen) cellText(row, c int) string {
	if s.Mode() == ArchiveRecords {
		if row < len(s.rows) && c < len(recordCols) {
			return recordCols[c].text(&s.rows[row])
		}
		return ""
	}
	if row < len(s.groups) && c < len(groupCols) {
		return groupCols[c].text(&s.groups[row])
	}
	return ""
}

// Cell returns the text of a cell of the table as shown.
func (s *ArchiveScreen) Cell(row, c int) string { return s.cellText(row, c) }

// size returns the table's rows and columns.
func (s *ArchiveScreen) size() (int, int) {
	if s.Mode() == ArchiveRecords {
		return len(s.rows), len(recordCols)
	}
	return len(s.groups), len(groupCols)
}

// widths are the column widths of the current view.
func (s *ArchiveScreen) widths() []float32 {
	var out []float32
	if s.Mode() == ArchiveRecords {
		for _, c := range recordCols {
			out = append(out, c.width)
		}
		return out
	}
	for _, c := range groupCols {
		out = append(out, c.width)
	}
	return out
}
