package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// filterKind names one display filter, for the keys and the tool bar.
type filterKind int

const (
	filterBaseline filterKind = iota
	filterMains
	filterMuscle
	filterAll // all on, or all off when any is on
)

// SetFilters sets the display filters of the strip and the full
// disclosure (e.g. from the preferences); the tool bar and the status line
// show them.
func (r *RecordScreen) SetFilters(f Filters) {
	r.Strip.SetFilters(f)
	r.Disclosure.SetFilters(f)
	r.toolbar.update()
	r.status.SetText(r.statusText(r.Strip.View()))
}

// toggleFilter switches one display filter (or all of them) and tells
// OnFilters, which keeps the choice in the preferences.
func (r *RecordScreen) toggleFilter(k filterKind) {
	f := r.Strip.Filters()
	switch k {
	case filterBaseline:
		f.Baseline = !f.Baseline
	case filterMains:
		f.Mains = !f.Mains
	case filterMuscle:
		f.Muscle = !f.Muscle
	case filterAll:
		on := !f.Any()
		f.Baseline, f.Mains, f.Muscle = on, on, on
	}
	r.SetFilters(f)
	if r.OnFilters != nil {
		r.OnFilters(f)
	}
}

// filterButtons is the tool bar's one Filters button, highlighted while
// any display filter is on; it opens a menu with a ticked entry a filter
// (the keys F5 to F8 do the same). One button keeps the tool bar narrow
// enough for the full disclosure's lists and the reader list at 1000
// points.
type filterButtons struct {
	button *widget.Button
	r      *RecordScreen
	shown  Filters
}

func newFilterButtons(r *RecordScreen) *filterButtons {
	b := &filterButtons{r: r}
	b.button = widget.NewButton("Filters", b.showMenu)
	return b
}

// objects returns the button for the tool bar's row.
func (b *filterButtons) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{b.button}
}

// menu returns the filter menu as it stands: an entry a filter, ticked
// while on, and one to switch all of them.
func (b *filterButtons) menu() *fyne.Menu {
	parts := b.shown.parts()
	keys := []string{"F5", "F6", "F7"}
	var items []*fyne.MenuItem
	for i, p := range parts {
		k := filterKind(i)
		it := fyne.NewMenuItem(p.name+"  ("+keys[i]+")", func() { b.r.toggleFilter(k); b.r.FocusView() })
		it.Checked = p.on
		items = append(items, it)
	}
	all := "All on  (F8)"
	if b.shown.Any() {
		all = "All off  (F8)"
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(all, func() { b.r.toggleFilter(filterAll); b.r.FocusView() }))
	return fyne.NewMenu("Filters", items...)
}

// showMenu pops the filter menu up under the button.
func (b *filterButtons) showMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(b.button)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.button)
	widget.ShowPopUpMenuAtPosition(b.menu(), c, pos.AddXY(0, b.button.Size().Height))
}

// update highlights the button while any filter is on.
func (b *filterButtons) update(f Filters) {
	b.shown = f
	b.button.Importance = importance(f.Any())
	b.button.Refresh()
}
