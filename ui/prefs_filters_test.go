package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestFilterPrefs sets the mains frequency and the display filters on the
// preferences screen, and as the record screen's keys do (SaveFilters),
// and checks a new screen and LoadPrefs (a restart) read them back.
func TestFilterPrefs(t *testing.T) {
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	s := NewPrefsScreen(a.Preferences(), w)
	var seen Prefs
	s.OnChanged = func(p Prefs) { seen = p }
	items := s.Form().Items
	mains := formWidget(t, items, "Mains frequency (Hz)").(*widget.RadioGroup)
	checks := formWidget(t, items, "Display filters").(*widget.CheckGroup)
	mains.SetSelected("60")
	checks.SetSelected([]string{checks.Options[0], checks.Options[2]})
	want := Filters{Baseline: true, Muscle: true, MainsHz: 60}
	if seen.Filters != want {
		t.Fatalf("OnChanged saw %+v, want %+v", seen.Filters, want)
	}
	if got := LoadPrefs(a.Preferences()).Filters; got != want {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	SaveFilters(a.Preferences(), Filters{Mains: true, MainsHz: 50}) // F5..F8 on the strip
	want = Filters{Mains: true, MainsHz: 60}                        // the keys never change the mains frequency
	if got := LoadPrefs(a.Preferences()).Filters; got != want {
		t.Fatalf("after SaveFilters: %+v, want %+v", got, want)
	}
	s2 := NewPrefsScreen(a.Preferences(), w) // a restart
	items = s2.Form().Items
	if got := formWidget(t, items, "Mains frequency (Hz)").(*widget.RadioGroup).Selected; got != "60" {
		t.Errorf("a new screen shows mains %q", got)
	}
	if got := formWidget(t, items, "Display filters").(*widget.CheckGroup).Selected; len(got) != 1 || got[0] != "mains (notch)" {
		t.Errorf("a new screen shows filters %q", got)
	}
}

// formWidget returns the widget of the form item whose label is text.
func formWidget(t *testing.T, items []*widget.FormItem, text string) fyne.CanvasObject {
	t.Helper()
	for _, it := range items {
		if it.Text == text {
			return it.Widget
		}
	}
	t.Fatalf("no form item %q", text)
	return nil
}
