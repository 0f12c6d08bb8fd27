package ui

import (
	"strings"

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

// filterButtons are the tool bar's three filter switches, highlighted
// while on.
type filterButtons struct {
	buttons [3]*widget.Button
}

func newFilterButtons(r *RecordScreen) *filterButtons {
	b := &filterButtons{}
	for i := range b.buttons {
		k := filterKind(i)
		b.buttons[i] = widget.NewButton("", func() { r.toggleFilter(k); r.FocusView() })
	}
	return b
}

// objects returns the buttons for the tool bar's row, followed by their
// unit as the paper's buttons are: "HP 0.5" "notch 50" "LP 40" Hz.
func (b *filterButtons) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{b.buttons[0], b.buttons[1], b.buttons[2], widget.NewLabel("Hz")}
}

// update names each button after its filter (the notch's frequency from
// the preferences) and highlights those on.
func (b *filterButtons) update(f Filters) {
	parts := f.parts()
	for i, btn := range b.buttons {
		btn.SetText(strings.TrimSuffix(parts[i].name, " Hz"))
		btn.Importance = importance(parts[i].on)
		btn.Refresh()
	}
}
