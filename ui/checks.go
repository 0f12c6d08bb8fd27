package ui

import (
	"fmt"

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
// labels; a click (or Enter) on one jumps there on the strip, and the Fix
// button applies the chosen finding's fix when it has one.
type ChecksView struct {
	// OnJump is called with the finding chosen.
	OnJump func(CheckItem)
	// OnRefresh asks app to run the checks again.
	OnRefresh func()
	// OnFix is called with the chosen finding when the reader fixes it.
	OnFix func(CheckItem)

	items    []CheckItem
	selected int
	list     *widget.List
	status   *widget.Label
	fix      *widget.Button
	content  fyne.CanvasObject
}

// NewChecksView returns an empty findings list.
func NewChecksView() *ChecksView {
	v := &ChecksView{status: widget.NewLabel(""), selected: -1}
	v.list = widget.NewList(func() int { return len(v.items) }, func() fyne.CanvasObject {
		t := widget.NewLabel("")
		t.Truncation = fyne.TextTruncateEllipsis
		r := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		return container.NewBorder(nil, nil, r, nil, t)
	}, v.update)
	v.list.OnSelected = func(id widget.ListItemID) {
		if id < len(v.items) {
			v.selected = id
			v.showFix()
			call1(v.OnJump, v.items[id])
		}
	}
	v.status.Wrapping = fyne.TextWrapWord
	again := widget.NewButton("Check again", func() { call(v.OnRefresh) })
	v.fix = widget.NewButton("Fix", v.fixSelected)
	v.fix.Disable()
	v.content = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(v.fix, again), v.status), nil, nil, nil, v.list)
	return v
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

// SetItems shows the findings.
func (v *ChecksView) SetItems(items []CheckItem) {
	v.items = items
	v.list.UnselectAll()
	v.selected = -1
	v.showFix()
	v.list.Refresh()
	if len(items) == 0 {
		v.SetMessage("No inconsistencies found. Rules: " + ruleTitles())
		return
	}
	v.SetMessage(fmt.Sprintf("%d findings; click one to see it on the strip.", len(items)))
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

func (v *ChecksView) update(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(v.items) {
		return
	}
	it := v.items[id]
	c := o.(*fyne.Container)
	c.Objects[0].(*widget.Label).SetText(it.Message)
	c.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%-10s %-18s", it.Time, it.Rule))
}
