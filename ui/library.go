package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// LibraryRow is one record of the label database as the library lists it.
type LibraryRow struct {
	ID       string // record id (hex SHA-256 of the record's content)
	Name     string
	Format   string
	Path     string // last known path of the record file
	State    annotate.State
	Readers  []string // readers with a label set, the one who signed off first
	Duration time.Duration
	Added    time.Time
	// Counts holds the beats of the shown label set by AAMI class
	// ([ClassNone]: beats of no class); Beats their sum.
	Counts [annotate.ClassQ + 1]int
	Beats  int
	// Reviewed is how many of those beats a reader has looked at or set.
	Reviewed int
	// Counted is false while the counts are still being read.
	Counted bool
}

// reviewedPct returns the reviewed share in percent.
func (r *LibraryRow) reviewedPct() float64 {
	if r.Beats == 0 {
		return 0
	}
	return 100 * float64(r.Reviewed) / float64(r.Beats)
}

// Library sort keys, as the sort selector names them.
const (
	SortName     = "Name"
	SortStatus   = "Status"
	SortDuration = "Duration"
	SortReviewed = "Reviewed"
	SortAdded    = "Added"
)

// Library status filters.
const (
	FilterAll = "All records"
)

// libraryColumns are the table's headers and widths.
var libraryColumns = []struct {
	title string
	width float32
}{
	{"Record", 110}, {"Status", 100}, {"Reader", 130}, {"Duration", 90}, {"Beats", 70},
	{"N", 62}, {"S", 56}, {"V", 56}, {"F", 48}, {"Q", 48}, {"Reviewed", 90}, {"Format", 70}, {"Path", 360},
}

// LibraryScreen lists the records of the label database with their status,
// reader, duration, beat counts by class and how much is reviewed, filtered
// and sorted; from it a reader opens or imports records.
type LibraryScreen struct {
	// OnOpen is called with the record to open (a double click, Enter or
	// the Open button).
	OnOpen func(LibraryRow)
	// OnImport and OnImportFolder ask app to register record files.
	OnImport, OnImportFolder func()
	// OnArchive asks app to open the archive view of the database.
	OnArchive func()

	all, rows []LibraryRow
	filter    *widget.Entry
	state     *widget.Select
	sortBy    *widget.Select
	table     *widget.Table
	status    *widget.Label
	content   fyne.CanvasObject
	selected  int
}

// NewLibraryScreen returns an empty library.
func NewLibraryScreen() *LibraryScreen {
	l := &LibraryScreen{selected: -1}
	l.filter = widget.NewEntry()
	l.filter.SetPlaceHolder("Filter: record name, reader or path")
	l.filter.OnChanged = func(string) { l.apply() }
	l.state = widget.NewSelect([]string{FilterAll, annotate.StateNew.String(), annotate.StateInProgress.String(), annotate.StateSignedOff.String()}, func(string) { l.apply() })
	l.state.SetSelected(FilterAll)
	l.sortBy = widget.NewSelect([]string{SortName, SortStatus, SortDuration, SortReviewed, SortAdded}, func(string) { l.apply() })
	l.sortBy.SetSelected(SortName)
	l.table = widget.NewTableWithHeaders(l.size, l.create, l.update)
	l.table.ShowHeaderColumn = false
	l.table.UpdateHeader = l.header
	l.table.OnSelected = func(id widget.TableCellID) { l.selected = id.Row }
	for i, c := range libraryColumns {
		l.table.SetColumnWidth(i, c.width)
	}
	l.status = widget.NewLabel("")
	open := widget.NewButtonWithIcon("Open", theme.FolderOpenIcon(), l.openSelected)
	imp := widget.NewButtonWithIcon("Import record…", theme.ContentAddIcon(), func() { call(l.OnImport) })
	impDir := widget.NewButtonWithIcon("Import folder…", theme.FolderNewIcon(), func() { call(l.OnImportFolder) })
	arch := widget.NewButtonWithIcon("Archive view…", theme.GridIcon(), func() { call(l.OnArchive) })
	bar := container.NewBorder(nil, nil, container.NewHBox(open, imp, impDir, arch),
		container.NewHBox(widget.NewLabel("Show"), l.state, widget.NewLabel("Sort by"), l.sortBy), l.filter)
	l.content = container.NewBorder(bar, l.status, nil, nil, l.table)
	return l
}

func call(f func()) {
	if f != nil {
		f()
	}
}

// Content returns the screen's canvas object.
func (l *LibraryScreen) Content() fyne.CanvasObject { return l.content }

// SetRows shows rows (all the records), filtered and sorted as chosen.
func (l *LibraryScreen) SetRows(rows []LibraryRow) {
	l.all = rows
	l.apply()
}

// UpdateRow replaces the row of the same ID (its counts were read).
func (l *LibraryScreen) UpdateRow(r LibraryRow) {
	if i := slices.IndexFunc(l.all, func(x LibraryRow) bool { return x.ID == r.ID }); i >= 0 {
		l.all[i] = r
		l.apply()
	}
}

// SetMessage shows msg under the table (no database, an import's result).
func (l *LibraryScreen) SetMessage(msg string) { l.status.SetText(msg) }

// Rows returns the rows on show, filtered and sorted.
func (l *LibraryScreen) Rows() []LibraryRow { return l.rows }

// SetFilter sets the filter text.
func (l *LibraryScreen) SetFilter(s string) { l.filter.SetText(s) }

// SetSort sorts by key (SortName, SortStatus...).
func (l *LibraryScreen) SetSort(key string) { l.sortBy.SetSelected(key) }

// SetStateFilter shows only records in state s (FilterAll: every record).
func (l *LibraryScreen) SetStateFilter(s string) { l.state.SetSelected(s) }

// apply filters and sorts all into rows and redraws the table.
func (l *LibraryScreen) apply() {
	if l.table == nil {
		return // still being built
	}
	q := strings.ToLower(strings.TrimSpace(l.filter.Text))
	l.rows = l.rows[:0]
	for _, r := range l.all {
		if l.state.Selected != FilterAll && r.State.String() != l.state.Selected {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(r.Name+" "+strings.Join(r.Readers, " ")+" "+r.Path), q) {
			continue
		}
		l.rows = append(l.rows, r)
	}
	slices.SortStableFunc(l.rows, libraryOrder(l.sortBy.Selected))
	l.table.Refresh()
	l.countLine()
}

// libraryOrder returns the comparison of a sort key; ties go by name.
func libraryOrder(key string) func(a, b LibraryRow) int {
	return func(a, b LibraryRow) int {
		var c int
		switch key {
		case SortStatus:
			c = cmp.Compare(a.State, b.State)
		case SortDuration:
			c = -cmp.Compare(a.Duration, b.Duration)
		case SortReviewed:
			c = cmp.Compare(a.reviewedPct(), b.reviewedPct())
		case SortAdded:
			c = -a.Added.Compare(b.Added)
		}
		if c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	}
}

func (l *LibraryScreen) countLine() {
	var signed, beats int
	for _, r := range l.rows {
		if r.State == annotate.StateSignedOff {
			signed++
		}
		beats += r.Beats
	}
	l.status.SetText(fmt.Sprintf("%d of %s shown · %d signed off · %s · double-click or Enter opens a record",
		len(l.rows), Count(len(l.all), "record"), signed, Count(beats, "beat")))
}

func (l *LibraryScreen) openSelected() {
	if l.selected >= 0 && l.selected < len(l.rows) && l.OnOpen != nil {
		l.OnOpen(l.rows[l.selected])
	}
}

func (l *LibraryScreen) size() (int, int) { return len(l.rows), len(libraryColumns) }

func (l *LibraryScreen) create() fyne.CanvasObject {
	c := &libraryCell{}
	c.ExtendBaseWidget(c)
	c.Truncation = fyne.TextTruncateEllipsis
	c.open = func() { l.selected = c.row; l.openSelected() }
	c.tap = func() { l.table.Select(widget.TableCellID{Row: c.row, Col: 0}) }
	return c
}

func (l *LibraryScreen) header(id widget.TableCellID, o fyne.CanvasObject) {
	lab := o.(*widget.Label)
	lab.TextStyle.Bold = true
	if id.Col >= 0 {
		lab.SetText(libraryColumns[id.Col].title)
	}
}

func (l *LibraryScreen) update(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*libraryCell)
	c.row = id.Row
	if id.Row >= len(l.rows) {
		c.SetText("")
		return
	}
	c.SetText(libraryCellText(&l.rows[id.Row], id.Col))
}

// libraryCellText is the text of column col of row r.
func libraryCellText(r *LibraryRow, col int) string {
	counted := func(n int) string {
		if !r.Counted {
			return "…"
		}
		return fmt.Sprint(n)
	}
	switch col {
	case 0:
		return r.Name
	case 1:
		return r.State.String()
	case 2:
		return strings.Join(r.Readers, ", ")
	case 3:
		return hms(r.Duration)
	case 4:
		return counted(r.Beats)
	case 5, 6, 7, 8, 9:
		return counted(r.Counts[annotate.Class(col-4)])
	case 10:
		if !r.Counted {
			return "…"
		}
		return fmt.Sprintf("%.0f%%", r.reviewedPct())
	case 11:
		return r.Format
	}
	return r.Path
}

// hms formats a duration as h:mm:ss (days as hours: a 14-day record is
// 336:00:00).
func hms(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// libraryCell is a table label that opens its record on a double click.
type libraryCell struct {
	widget.Label
	row       int
	open, tap func()
}

// Tapped selects the cell's row.
func (c *libraryCell) Tapped(*fyne.PointEvent) { c.tap() }

// DoubleTapped opens the row's record.
func (c *libraryCell) DoubleTapped(*fyne.PointEvent) { c.open() }
