package main

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/ui"
)

// TestApplyPrefsSetsPaper changes the preferences' paper speed and gain
// and checks the strip takes them and the tool bar highlights them at once.
func TestApplyPrefsSetsPaper(t *testing.T) {
	for _, tc := range []struct {
		name        string
		speed, gain float64
	}{
		{"50 mm/s, 20 mm/mV", 50, 20},
		{"25 mm/s, 5 mm/mV", 25, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestApp(t)
			g := &gui{app: a, screen: ui.NewRecordScreen()}
			w := test.NewTempWindow(t, g.screen.Content())
			g.applyPrefs(ui.Prefs{Speed: tc.speed, Gain: tc.gain})
			if s, gn := g.screen.Strip.Speed(), g.screen.Strip.Gain(); s != tc.speed || gn != tc.gain {
				t.Errorf("strip at %g mm/s, %g mm/mV", s, gn)
			}
			for _, label := range []string{ftoa(tc.speed), ftoa(tc.gain)} {
				if b := findButton(w.Content(), label); b == nil || b.Importance != widget.HighImportance {
					t.Errorf("tool bar button %q not highlighted: %+v", label, b)
				}
			}
		})
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// findButton returns the first button labelled text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	b, _ := findIn(o, func(o fyne.CanvasObject) bool {
		b, ok := o.(*widget.Button)
		return ok && b.Text == text
	}).(*widget.Button)
	return b
}

// TestLibraryInUse checks the line the preferences show under the ONNX
// Runtime library: the library and how it was found, or why there is none.
// A library planted in the working folder is never named.
func TestLibraryInUse(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib", model.LibraryName)
	if err := os.MkdirAll(filepath.Dir(lib), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib, []byte("planted\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cases := []struct{ name, option, env, want string }{
		{"preference or flag", lib, "", "In use: " + lib + " (found by option)"},
		{"environment variable", "", lib, "In use: " + lib + " (found by $" + model.LibraryEnv + ")"},
		{"missing file", filepath.Join(dir, "none.so"), "", "In use: none: the library named by option does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(model.LibraryEnv, c.env)
			if got := libraryInUse(c.option); !strings.HasPrefix(got, c.want) {
				t.Errorf("libraryInUse(%q) = %q, want %q...", c.option, got, c.want)
			}
		})
	}
	t.Setenv(model.LibraryEnv, "")
	if got := libraryInUse(""); strings.Contains(got, dir) {
		t.Errorf("the search names the working folder's planted library: %q", got)
	}
}

// TestDropEmptyPrefs: an empty preferences file (a save cut short) is
// removed before Fyne reads it, so no "Preferences load error: EOF" is
// logged at launch; a missing file or one with content is left alone.
func TestDropEmptyPrefs(t *testing.T) {
	cases := []struct {
		name    string
		content *string
		kept    bool
	}{
		{"empty file is removed", ptr(""), false},
		{"a file with preferences is kept", ptr(`{"theme":"light"}`), true},
		{"no file is no error", nil, false},
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the folder is under the real home there")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			path := filepath.Join(fyneConfigDir(), appID, "preferences.json")
			if c.content != nil {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(*c.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			dropEmptyPrefs(fyneConfigDir(), appID)
			b, err := os.ReadFile(path)
			if kept := err == nil; kept != c.kept || (kept && string(b) != *c.content) {
				t.Errorf("after dropEmptyPrefs the file is there %v (%q), want %v", kept, b, c.kept)
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestPrefsNameSourcesInUse: with the library from $ONNXRUNTIME_LIB and
// the database from --db, the empty entries of the preferences say so,
// not "the default database" and "found beside the program".
func TestPrefsNameSourcesInUse(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, model.LibraryName)
	if err := os.WriteFile(lib, []byte("planted\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(model.LibraryEnv, lib)
	db := filepath.Join(dir, "session.db")
	a := newTestApp(t)
	g := &gui{app: a}
	g.opts.db = db
	s := ui.NewPrefsScreen(a.Preferences(), test.NewTempWindow(t, widget.NewLabel("")))
	g.setPrefsDefaults(s)
	cases := []struct{ key, want string }{
		{ui.PrefORTLibrary, "found by $" + model.LibraryEnv + " is used"},
		{ui.PrefLabelDB, "--db " + db + " is used this session"},
	}
	for _, c := range cases {
		if got := s.DefaultText(c.key); !strings.Contains(got, c.want) {
			t.Errorf("the empty %s entry says %q, want it to name %q", c.key, got, c.want)
		}
	}
}

// TestDensitySurvivesRestart: the full disclosure's density the reader
// picks on the record screen's tool bar is written to the preferences,
// and a new window on the same preferences (a restart) opens the page at
// that density, table-driven over the choices.
func TestDensitySurvivesRestart(t *testing.T) {
	for _, c := range []struct {
		secs, lines string
		wantSecs    float64
		wantLines   int
	}{
		{"120 s/line", "30 lines", 120, 30},
		{"30 s/line", "fit", 30, ui.FitLines},
		{"60 s/line", "60 lines", 60, 60},
	} {
		t.Run(c.secs+" "+c.lines, func(t *testing.T) {
			a := newTestApp(t)
			g := &gui{app: a, screen: ui.NewRecordScreen()}
			g.win = test.NewTempWindow(t, g.screen.Content())
			g.settingsMenu()
			for _, pick := range []string{c.secs, c.lines} {
				sel := findSelect(g.win.Content(), pick)
				if sel == nil {
					t.Fatalf("no tool bar list offers %q", pick)
				}
				sel.SetSelected(pick)
			}
			if p := ui.LoadPrefs(a.Preferences()); p.LineSeconds != c.wantSecs || p.PageLines != c.wantLines {
				t.Fatalf("stored %g s a line, %d lines a page", p.LineSeconds, p.PageLines)
			}
			again := &gui{app: a, screen: ui.NewRecordScreen()}
			again.win = test.NewTempWindow(t, again.screen.Content())
			again.settingsMenu()
			if secs, lines := again.screen.Disclosure.Density(); secs != c.wantSecs || lines != c.wantLines {
				t.Errorf("after a restart the page is %g s a line, %d lines a page", secs, lines)
			}
		})
	}
}

// findSelect returns the first select under o that offers option.
func findSelect(o fyne.CanvasObject, option string) *widget.Select {
	s, _ := findIn(o, func(o fyne.CanvasObject) bool {
		s, ok := o.(*widget.Select)
		return ok && slices.Contains(s.Options, option)
	}).(*widget.Select)
	return s
}
