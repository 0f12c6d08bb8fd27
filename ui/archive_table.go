package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// archiveTable is the archive's table: a click on a header sorts by its
// column, a double click or Enter on a record row opens the record.
type archiveTable struct {
	widget.Table
	s *ArchiveScreen
}

func newArchiveTable(s *ArchiveScreen) *archiveTable {
	t := &archiveTable{s: s}
	t.Length = s.size
	t.CreateCell = t.createCell
	t.UpdateCell = t.updateCell
	t.ShowHeaderRow = true
	t.CreateHeader = t.createHeader
	t.UpdateHeader = t.updateHeader
	t.OnSelected = func(id widget.TableCellID) { s.selected = id.Row }
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey opens the selected record on Enter; other keys move and select
// as in any table.
func (t *archiveTable) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		t.s.open(t.s.selected)
		return
	}
	t.Table.TypedKey(e)
}

// layoutColumns sets the column widths of the current view.
func (t *archiveTable) layoutColumns() {
	for i, w := range t.s.widths() {
		t.SetColumnWidth(i, w)
	}
}

func (t *archiveTable) createCell() fyne.CanvasObject {
	c := &libraryCell{}
	c.ExtendBaseWidget(c)
	c.Truncation = fyne.TextTruncateEllipsis
	c.open = func() { t.s.selected = c.row; t.s.open(c.row) }
	c.tap = func() { t.Select(widget.TableCellID{Row: c.row, Col: 0}) }
	return c
}

func (t *archiveTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*libraryCell)
	c.row = id.Row
	c.SetText(t.s.cellText(id.Row, id.Col))
}

func (t *archiveTable) createHeader() fyne.CanvasObject {
	h := &archiveHeader{}
	h.ExtendBaseWidget(h)
	h.TextStyle.Bold = true
	h.Truncation = fyne.TextTruncateEllipsis
	h.sort = func() { t.s.SortBy(h.col) }
	return h
}

func (t *archiveTable) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	h := o.(*archiveHeader)
	h.col = id.Col
	h.SetText(t.s.Header(id.Col))
}

// archiveHeader is a column header that sorts by its column when tapped.
type archiveHeader struct {
	widget.Label
	col  int
	sort func()
}

// Tapped sorts the table by the header's column (again: the other way).
func (h *archiveHeader) Tapped(*fyne.PointEvent) {
	if h.col >= 0 {
		h.sort()
	}
}
