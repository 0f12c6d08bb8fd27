package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate/check"
)

// CheckItem is one consistency finding with its time in words.
type CheckItem struct {
	check.Finding
	Time string // where, as a clock time
}

// ChecksView lists the consistency findings of the current record's
// labels; a click (or Enter) on one jumps there on the strip.
type ChecksView struct {
	// OnJump is called with the finding chosen.
	OnJump func(CheckItem)
	// OnRefresh asks app to run the checks again.
	OnRefresh func()

	items   []CheckItem
	list    *widget.List
	status  *widget.Label
	content fyne.CanvasObject
}

// NewChecksView returns an empty findings list.
func NewChecksView() *ChecksView {
	v := &ChecksView{status: widget.NewLabel("")}
	v.list = widget.NewList(func() int { return len(v.items) }, func() fyne.CanvasObject {
		t := widget.NewLabel("")
		t.Truncation = fyne.TextTruncateEllipsis
		r := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		return container.NewBorder(nil, nil, r, nil, t)
	}, v.update)
	v.list.OnSelected = func(id widget.ListItemID) {
		if id < len(v.items) {
			call1(v.OnJump, v.items[id])
		}
	}
	v.status.Wrapping = fyne.TextWrapWord
	again := widget.NewButton("Check again", func() { call(v.OnRefresh) })
	v.content = container.NewBorder(container.NewBorder(nil, nil, nil, again, v.status), nil, nil, nil, v.list)
	return v
}

// Content returns the view's canvas object.
func (v *ChecksView) Content() fyne.CanvasObject { return v.content }

// Items returns the findings on show.
func (v *ChecksView) Items() []CheckItem { return v.items }

// SetMessage shows msg above the list.
func (v *ChecksView) SetMessage(msg string) { v.status.SetText(msg) }

// SetItems shows the findings.
func (v *ChecksView) SetItems(items []CheckItem) {
	v.items = items
	v.list.UnselectAll()
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
