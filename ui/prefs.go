package ui

import (
	"image/color"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Preference keys. Values are written the moment a field changes.
const (
	PrefReader      = "reader.name"             // string: who reads (the audit log's "who")
	PrefTheme       = "ui.theme"                // string: ThemeSystem, ThemeLight or ThemeDark
	PrefGain        = "strip.gain"              // float: mm/mV, 5, 10 or 20
	PrefSpeed       = "strip.speed"             // float: mm/s, 25 or 50
	PrefORTLibrary  = "onnx.library"            // string: ONNX Runtime library; "" finds it
	PrefBeatModel   = "model.beat"              // string: beat model file; "" the built-in
	PrefRhythmModel = "model.rhythm"            // string: rhythm model file; "" the built-in
	PrefLabelDB     = "labels.database"         // string: label database file; "" the default
	PrefModelB      = "model.compare.b"         // string: the second model of model A/B
	PrefPlotKind    = "plots.kind"              // string: the plot last shown
	PrefErrorScheme = "errors.scheme"           // string: "AAMI" or "MIT"
	PrefLineSeconds = "disclosure.line_seconds" // float: full disclosure seconds a line, 30, 60 or 120
	PrefPageLines   = "disclosure.page_lines"   // int: full disclosure lines a page, 15, 30, 60; 0 fits the window

	PrefFilterBaseline = "strip.filter.baseline" // bool: the baseline-wander high-pass is on
	PrefFilterMains    = "strip.filter.mains"    // bool: the mains notch is on
	PrefFilterMuscle   = "strip.filter.muscle"   // bool: the muscle low-pass is on
	PrefMainsHz        = "strip.mains"           // float: the mains frequency, 50 or 60 Hz

	PrefTwelveLead = "strip.twelve_lead" // bool: the 12-lead layout for records showing the standard twelve (default on)
)

// Theme choices.
const (
	ThemeSystem = "System"
	ThemeLight  = "Light"
	ThemeDark   = "Dark"
)

// Defaults of the preferences.
const (
	DefaultGain  = 10.0 // mm/mV
	DefaultSpeed = 25.0 // mm/s
)

// Prefs are the reader's preferences.
type Prefs struct {
	Reader                          string
	Theme                           string
	Gain, Speed                     float64
	ORTLibrary                      string
	BeatModel, RhythmModel, LabelDB string
	Filters                         Filters // the display filters, and the mains frequency
	LineSeconds                     float64 // full disclosure: seconds a line
	PageLines                       int     // full disclosure: lines a page (FitLines: as many as fit)
	TwelveLead                      bool    // the strip's 12-lead layout is on
}

// LoadPrefs reads the preferences, with the defaults where none is set.
func LoadPrefs(p fyne.Preferences) Prefs {
	return Prefs{
		Reader:      p.StringWithFallback(PrefReader, ""),
		Theme:       p.StringWithFallback(PrefTheme, ThemeSystem),
		Gain:        p.FloatWithFallback(PrefGain, DefaultGain),
		Speed:       p.FloatWithFallback(PrefSpeed, DefaultSpeed),
		ORTLibrary:  p.StringWithFallback(PrefORTLibrary, ""),
		BeatModel:   p.StringWithFallback(PrefBeatModel, ""),
		RhythmModel: p.StringWithFallback(PrefRhythmModel, ""),
		LabelDB:     p.StringWithFallback(PrefLabelDB, ""),
		Filters:     loadFilters(p),
		LineSeconds: p.FloatWithFallback(PrefLineSeconds, DefaultLineSeconds),
		PageLines:   p.IntWithFallback(PrefPageLines, DefaultPageLines),
		TwelveLead:  p.BoolWithFallback(PrefTwelveLead, true),
	}
}

// ThemeFor returns ECG Station's theme in the variant a Theme preference
// names (the system's for ThemeSystem).
func ThemeFor(choice string) fyne.Theme {
	switch choice {
	case ThemeLight:
		return &fixedVariantTheme{NewTheme(), theme.VariantLight}
	case ThemeDark:
		return &fixedVariantTheme{NewTheme(), theme.VariantDark}
	}
	return NewTheme()
}

// fixedVariantTheme answers every colour in one variant, whatever the
// system's.
type fixedVariantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t *fixedVariantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// PrefsScreen edits the preferences; each change is written at once and
// reported to OnChanged.
type PrefsScreen struct {
	// OnChanged is called with the preferences after every change.
	OnChanged func(Prefs)

	p       fyne.Preferences
	win     fyne.Window
	form    *widget.Form
	content fyne.CanvasObject
	libUsed *widget.Label            // which ONNX Runtime library is in use, and how it was found
	entries map[string]*widget.Entry // the path entries, by preference key
}

// NewPrefsScreen returns the preferences form on p; win hosts its file
// dialogs.
func NewPrefsScreen(p fyne.Preferences, win fyne.Window) *PrefsScreen {
	s := &PrefsScreen{p: p, win: win, libUsed: widget.NewLabel(""), entries: map[string]*widget.Entry{}}
	s.libUsed.Wrapping = fyne.TextWrapWord
	cur := LoadPrefs(p)
	reader := widget.NewEntry()
	reader.SetText(cur.Reader)
	reader.SetPlaceHolder("your name or initials: every edit is signed with it")
	reader.OnChanged = func(v string) { s.setString(PrefReader, v) }
	th := widget.NewRadioGroup([]string{ThemeSystem, ThemeLight, ThemeDark}, nil)
	th.Horizontal = true
	th.SetSelected(cur.Theme)
	th.OnChanged = func(v string) { s.setString(PrefTheme, v) }
	s.form = widget.NewForm(
		widget.NewFormItem("Reader", reader),
		widget.NewFormItem("Theme", th),
		widget.NewFormItem("Gain (mm/mV)", s.choice(PrefGain, cur.Gain, 5, 10, 20)),
		widget.NewFormItem("Paper speed (mm/s)", s.choice(PrefSpeed, cur.Speed, 25, 50)),
		widget.NewFormItem("ONNX Runtime library", container.NewVBox(
			s.file(PrefORTLibrary, cur.ORTLibrary, "found beside the program (lib/) or in the system's library folders", nil), s.libUsed)),
		widget.NewFormItem("Beat model", s.file(PrefBeatModel, cur.BeatModel, "the built-in model", []string{".onnx"})),
		widget.NewFormItem("Rhythm model", s.file(PrefRhythmModel, cur.RhythmModel, "the built-in model", []string{".onnx"})),
		widget.NewFormItem("Label database", s.file(PrefLabelDB, cur.LabelDB, "the default database", []string{".db"})),
		widget.NewFormItem("Mains frequency (Hz)", s.choice(PrefMainsHz, cur.Filters.MainsHz, 50, 60)),
		widget.NewFormItem("Display filters", s.filterChecks(cur.Filters)),
		widget.NewFormItem("Full disclosure (s a line)", s.choice(PrefLineSeconds, cur.LineSeconds, LineSecondsChoices...)),
		widget.NewFormItem("Full disclosure (lines a page)", s.pageLines(cur.PageLines)),
		widget.NewFormItem("12-lead records", s.check(PrefTwelveLead, cur.TwelveLead, "3×4 layout + rhythm strip (t)")),
	)
	note := widget.NewLabel("Changes are saved at once. Theme, gain, speed, the display filters and the full disclosure's density apply now; " +
		"models and the ONNX Runtime library when the next record opens.")
	note.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(nil, note, nil, nil, container.NewVScroll(s.form))
	return s
}

// Content returns the screen's canvas object.
func (s *PrefsScreen) Content() fyne.CanvasObject { return s.content }

// SetLibraryInUse shows, under the ONNX Runtime library entry, which
// library is in use and how it was found (the app knows; ui does not).
func (s *PrefsScreen) SetLibraryInUse(text string) { s.libUsed.SetText(text) }

// SetDefaultText says in the empty path entry of preference key what is
// used while it is empty (the app knows: a --db flag, $ONNXRUNTIME_LIB).
func (s *PrefsScreen) SetDefaultText(key, text string) {
	if e := s.entries[key]; e != nil {
		e.SetPlaceHolder(text)
	}
}

// DefaultText returns what the empty entry of preference key says.
func (s *PrefsScreen) DefaultText(key string) string {
	if e := s.entries[key]; e != nil {
		return e.PlaceHolder
	}
	return ""
}

// LibraryInUse returns the text SetLibraryInUse last showed.
func (s *PrefsScreen) LibraryInUse() string { return s.libUsed.Text }

// Form returns the form (for tests).
func (s *PrefsScreen) Form() *widget.Form { return s.form }

func (s *PrefsScreen) changed() {
	if s.OnChanged != nil {
		s.OnChanged(LoadPrefs(s.p))
	}
}

func (s *PrefsScreen) setString(key, v string) {
	s.p.SetString(key, v)
	s.changed()
}

// choice is a radio group of numbers written as a float preference.
func (s *PrefsScreen) choice(key string, cur float64, opts ...float64) *widget.RadioGroup {
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = strconv.FormatFloat(o, 'f', -1, 64)
	}
	r := widget.NewRadioGroup(names, nil)
	r.Horizontal = true
	r.SetSelected(strconv.FormatFloat(cur, 'f', -1, 64))
	r.OnChanged = func(v string) {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			s.p.SetFloat(key, f)
			s.changed()
		}
	}
	return r
}

// check is a check box written as a bool preference.
func (s *PrefsScreen) check(key string, cur bool, text string) *widget.Check {
	c := widget.NewCheck(text, nil)
	c.SetChecked(cur)
	c.OnChanged = func(on bool) {
		s.p.SetBool(key, on)
		s.changed()
	}
	return c
}

// pageLines is a radio group of the full disclosure's lines a page,
// written as an int preference ("fit" is FitLines).
func (s *PrefsScreen) pageLines(cur int) *widget.RadioGroup {
	names := make([]string, len(PageLinesChoices))
	for i, l := range PageLinesChoices {
		names[i] = pageLinesWord(l)
	}
	r := widget.NewRadioGroup(names, nil)
	r.Horizontal = true
	r.SetSelected(pageLinesWord(cur))
	r.OnChanged = func(v string) {
		if i := slices.Index(names, v); i >= 0 {
			s.p.SetInt(PrefPageLines, PageLinesChoices[i])
			s.changed()
		}
	}
	return r
}

// pageLinesWord names a lines-a-page choice in the preferences.
func pageLinesWord(l int) string {
	if l == FitLines {
		return "fit"
	}
	return strconv.Itoa(l)
}

// file is a path entry with a Browse button and a Default button that
// clears it.
func (s *PrefsScreen) file(key, cur, placeholder string, exts []string) fyne.CanvasObject {
	e := widget.NewEntry()
	e.SetText(cur)
	e.SetPlaceHolder(placeholder)
	s.entries[key] = e
	e.OnChanged = func(v string) { s.setString(key, v) }
	browse := widget.NewButton("Browse…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			e.SetText(r.URI().Path())
			_ = r.Close()
		}, s.win)
		if exts != nil {
			d.SetFilter(storage.NewExtensionFileFilter(exts))
		}
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	})
	def := widget.NewButton("Default", func() { e.SetText("") })
	return container.NewBorder(nil, nil, nil, container.NewHBox(browse, def), e)
}
