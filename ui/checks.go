package ui

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
)

// CheckItem is one consistency finding with its time in words.
type CheckItem struct {
	check.Finding
	Time   string            // where, as a clock time
	Fix    string            // the finding's one-click fix in words ("3 S beats to N"); "" when it has none
	Record annotate.RecordID // the record whose labels were checked
}

// ChecksView lists the consistency findings of the current record's
// labels, one row per kind with its count, the most urgent kind first
// (check.Priority); a click on a kind lists its findings under it (a
// second click folds them), a click (or Enter) on a finding jumps there on
// the strip, and the Fix button applies the chosen finding's fix when it
// has one.
type ChecksView struct {
	// OnJump is called with the finding chosen.
	OnJump func(CheckItem)
	// OnRefresh asks app to run the checks again.
	OnRefresh func()
	// OnFix is called with the chosen finding when the reader fixes it.
	OnFix func(CheckItem)

	items    []CheckItem
	groups   []check.Group[int] // indices into items, by kind
	open     check.Rule         // the kind whose findings are listed; "" none
	rows     []checkRow
	selected int // index into items; -1 none
	list     *widget.List
	status   *widget.Label
	fix      *widget.Button
	content  fyne.CanvasObject
}

// checkRow is a row of the list: a kind, or one of its findings.
type checkRow struct {
	group int
	item  int // index into items; -1 for the kind's own row
}

// NewChecksView returns an empty findings list.
func NewChecksView() *ChecksView {
	v := &ChecksView{status: widget.NewLabel(""), selected: -1}
	v.list = widget.NewList(func() int { return len(v.rows) }, func() fyne.CanvasObject {
		t := widget.NewLabel("")
		t.Truncation = fyne.TextTruncateEllipsis
		r := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		return container.NewBorder(nil, nil, r, nil, t)
	}, v.update)
	v.list.OnSelected = v.choose
	v.status.Wrapping = fyne.TextWrapWord
	again := widget.NewButton("Check again", func() { call(v.OnRefresh) })
	v.fix = widget.NewButton("Fix", v.fixSelected)
	v.fix.Disable()
	v.content = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(v.fix, again), v.status), nil, nil, nil, v.list)
	return v
}

// choose acts on row id: a kind folds or unfolds, a finding is chosen and
// shown on the strip.
func (v *ChecksView) choose(id widget.ListItemID) {
	if id < 0 || id >= len(v.rows) {
		return
	}
	r := v.rows[id]
	if r.item >= 0 {
		v.selected = r.item
		v.showFix()
		call1(v.OnJump, v.items[r.item])
		return
	}
	v.Toggle(v.groups[r.group].Rule)
}

// Toggle lists the findings of kind rule under its row, or folds them
// when they are listed, and forgets the chosen finding.
func (v *ChecksView) Toggle(rule check.Rule) {
	if v.open == rule {
		rule = ""
	}
	v.open = rule
	v.layoutRows()
}

// layoutRows lays out the rows (each kind, and the findings of the open
// one) and clears the choice.
func (v *ChecksView) layoutRows() {
	v.rows = v.rows[:0]
	for g, grp := range v.groups {
		v.rows = append(v.rows, checkRow{group: g, item: -1})
		if grp.Rule == v.open {
			for _, i := range grp.Items {
				v.rows = append(v.rows, checkRow{group: g, item: i})
			}
		}
	}
	v.list.UnselectAll()
	v.selected = -1
	v.showFix()
	v.list.Refresh()
}

// showFix names the chosen finding's fix on the Fix button, or disables
// it when there is none.
func (v *ChecksView) showFix() {
	if v.selected < 0 || v.selected >= len(v.items) || v.items[v.selected].Fix == "" {
		v.fix.SetText("Fix")
		v.fix.Disable()
		return
	}
	v.fix.SetText("Fix: " + v.items[v.selected].Fix)
	v.fix.Enable()
}

// fixSelected hands the chosen finding to OnFix.
func (v *ChecksView) fixSelected() {
	if v.selected >= 0 && v.selected < len(v.items) && v.items[v.selected].Fix != "" {
		call1(v.OnFix, v.items[v.selected])
	}
}

// Content returns the view's canvas object.
func (v *ChecksView) Content() fyne.CanvasObject { return v.content }

// Items returns the findings on show.
func (v *ChecksView) Items() []CheckItem { return v.items }

// SetMessage shows msg above the list.
func (v *ChecksView) SetMessage(msg string) { v.status.SetText(msg) }

// Message returns the text above the list.
func (v *ChecksView) Message() string { return v.status.Text }

// SetItems shows the findings, one row per kind. The kind listed before
// stays listed when it still has findings, and a lone kind is listed.
func (v *ChecksView) SetItems(items []CheckItem) {
	v.items = items
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	v.groups = check.GroupBy(idx, func(i int) check.Rule { return items[i].Rule })
	if !slices.ContainsFunc(v.groups, func(g check.Group[int]) bool { return g.Rule == v.open }) {
		v.open = ""
	}
	if len(v.groups) == 1 {
		v.open = v.groups[0].Rule
	}
	v.layoutRows()
	if len(items) == 0 {
		v.SetMessage("No inconsistencies found. Rules: " + ruleTitles())
		return
	}
	kinds := "kinds"
	if len(v.groups) == 1 {
		kinds = "kind"
	}
	v.SetMessage(fmt.Sprintf("%d findings of %d %s, the most urgent first; click a kind to list its findings, a finding to see it on the strip.", len(items), len(v.groups), kinds))
}

func ruleTitles() string {
	s := ""
	for i, r := range check.Rules {
		if i > 0 {
			s += "; "
		}
		s += r.Title
	}
	return s
}

// update fills row id: a kind with its count and title, or a finding
// with its time and message, indented under its kind.
func (v *ChecksView) update(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.rows) {
		return
	}
	r := v.rows[id]
	c := o.(*fyne.Container)
	text, left := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
	if r.item >= 0 {
		it := v.items[r.item]
		text.SetText(it.Message)
		left.SetText(fmt.Sprintf("     %-10s", it.Time))
		c.Refresh() // lay out again: the left column's width follows its text
		return
	}
	g := v.groups[r.group]
	mark := "▸"
	if g.Rule == v.open {
		mark = "▾"
	}
	text.SetText(g.Title)
	left.SetText(fmt.Sprintf("%s %4d %-18s", mark, len(g.Items), g.Rule))
	c.Refresh()
}
