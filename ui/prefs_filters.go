package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// loadFilters reads the display filters (all off, mains 50 Hz, by default).
func loadFilters(p fyne.Preferences) Filters {
	return Filters{
		Baseline: p.BoolWithFallback(PrefFilterBaseline, false),
		Mains:    p.BoolWithFallback(PrefFilterMains, false),
		Muscle:   p.BoolWithFallback(PrefFilterMuscle, false),
		MainsHz:  Filters{MainsHz: p.FloatWithFallback(PrefMainsHz, DefaultMainsHz)}.mains(),
	}
}

// SaveFilters writes which display filters are on (the record screen's
// keys and tool bar switch them; the mains frequency is the preferences
// screen's).
func SaveFilters(p fyne.Preferences, f Filters) {
	p.SetBool(PrefFilterBaseline, f.Baseline)
	p.SetBool(PrefFilterMains, f.Mains)
	p.SetBool(PrefFilterMuscle, f.Muscle)
}

// filterChecks is one check box per display filter, written at once.
func (s *PrefsScreen) filterChecks(cur Filters) *widget.CheckGroup {
	names := []string{"baseline wander (HP 0.5 Hz)", "mains (notch)", "muscle (LP 40 Hz)"}
	keys := []string{PrefFilterBaseline, PrefFilterMains, PrefFilterMuscle}
	g := widget.NewCheckGroup(names, nil)
	g.Horizontal = true
	var on []string
	for i, v := range []bool{cur.Baseline, cur.Mains, cur.Muscle} {
		if v {
			on = append(on, names[i])
		}
	}
	g.SetSelected(on)
	g.OnChanged = func(sel []string) {
		for i, n := range names {
			s.p.SetBool(keys[i], slices.Contains(sel, n))
		}
		s.changed()
	}
	return g
}
