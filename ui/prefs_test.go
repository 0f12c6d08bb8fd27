package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestLoadPrefsDefaults(t *testing.T) {
	a := test.NewTempApp(t)
	got := LoadPrefs(a.Preferences())
	want := Prefs{Theme: ThemeSystem, Gain: DefaultGain, Speed: DefaultSpeed, Filters: Filters{MainsHz: DefaultMainsHz},
		LineSeconds: DefaultLineSeconds, PageLines: DefaultPageLines, TwelveLead: true}
	if got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
}

func TestPrefsScreenWritesOnChange(t *testing.T) {
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	s := NewPrefsScreen(a.Preferences(), w)
	var seen []Prefs
	s.OnChanged = func(p Prefs) { seen = append(seen, p) }
	items := s.Form().Items
	items[0].Widget.(*widget.Entry).SetText("ana")
	items[1].Widget.(*widget.RadioGroup).SetSelected(ThemeDark)
	items[2].Widget.(*widget.RadioGroup).SetSelected("20")
	items[3].Widget.(*widget.RadioGroup).SetSelected("50")
	items[5].Widget.(*fyne.Container).Objects[0].(*widget.Entry).SetText("/models/beat2.onnx")
	formWidget(t, items, "Full disclosure (s a line)").(*widget.RadioGroup).SetSelected("120")
	formWidget(t, items, "Full disclosure (lines a page)").(*widget.RadioGroup).SetSelected("30")
	formWidget(t, items, "12-lead records").(*widget.Check).SetChecked(false)
	got := LoadPrefs(a.Preferences())
	want := Prefs{Reader: "ana", Theme: ThemeDark, Gain: 20, Speed: 50, BeatModel: "/models/beat2.onnx",
		Filters: Filters{MainsHz: DefaultMainsHz}, LineSeconds: 120, PageLines: 30}
	if got != want {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	if len(seen) != 8 || seen[7] != want {
		t.Fatalf("OnChanged saw %d changes, last %+v", len(seen), seen[len(seen)-1])
	}
	s.SetLibraryInUse("In use: /opt/ort/libonnxruntime.so.1 (found by option)")
	if got := s.LibraryInUse(); got != "In use: /opt/ort/libonnxruntime.so.1 (found by option)" {
		t.Errorf("library line %q", got)
	}
	if l, ok := items[4].Widget.(*fyne.Container).Objects[1].(*widget.Label); !ok || l.Text != s.LibraryInUse() {
		t.Errorf("the library line is not under the ONNX Runtime library entry: %#v", items[4].Widget)
	}
	// Values read back by a new screen (a restart).
	s2 := NewPrefsScreen(a.Preferences(), w)
	if g := s2.Form().Items[2].Widget.(*widget.RadioGroup).Selected; g != "20" {
		t.Errorf("a new screen shows gain %q", g)
	}
	if l := formWidget(t, s2.Form().Items, "Full disclosure (lines a page)").(*widget.RadioGroup).Selected; l != "30" {
		t.Errorf("a new screen shows %q lines a page", l)
	}
}

func TestThemeFor(t *testing.T) {
	bg := func(th fyne.Theme) color.Color { return th.Color(theme.ColorNameBackground, theme.VariantLight) }
	light, dark := bg(ThemeFor(ThemeLight)), bg(ThemeFor(ThemeDark))
	if light == dark {
		t.Fatal("light and dark themes have the same background")
	}
	if dark != NewTheme().Color(theme.ColorNameBackground, theme.VariantDark) {
		t.Error("the dark choice does not answer in the dark variant")
	}
	if ThemeFor(ThemeSystem).Color(ColorNameBeatV, theme.VariantDark) != NewTheme().Color(ColorNameBeatV, theme.VariantDark) {
		t.Error("the system choice does not follow the variant asked")
	}
}
