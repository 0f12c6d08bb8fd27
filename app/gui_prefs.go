package main

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/ui"
)

// shortcutPrefs is Ctrl+, for the preferences, as on most desktops.
var shortcutPrefs = desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}

// settingsMenu applies the saved preferences and returns the Settings
// menu, with its shortcut on the window. The full disclosure's density,
// whenever the reader changes it on the record screen, is saved too.
func (g *gui) settingsMenu() *fyne.Menu {
	g.applyPrefs(ui.LoadPrefs(g.app.Preferences()))
	if g.screen != nil {
		g.screen.OnDensity = g.saveDensity
		g.screen.OnFilters = func(f ui.Filters) { ui.SaveFilters(g.app.Preferences(), f) }
		g.screen.OnTwelveLead = func(on bool) { g.app.Preferences().SetBool(ui.PrefTwelveLead, on) }
	}
	item := fyne.NewMenuItem("Preferences…", g.showPrefs)
	item.Shortcut = &shortcutPrefs
	g.win.Canvas().AddShortcut(&shortcutPrefs, func(fyne.Shortcut) { g.showPrefs() })
	return fyne.NewMenu("Settings", item)
}

// prefs returns the stored preferences, the reader name defaulting to the
// login name so every edit is signed by someone.
func (g *gui) prefs() ui.Prefs {
	p := ui.LoadPrefs(g.app.Preferences())
	if p.Reader == "" {
		if u, err := user.Current(); err == nil {
			p.Reader = u.Username
		}
	}
	return p
}

func (g *gui) showPrefs() {
	g.screenWindow("prefs", "ECG Station — Preferences", fyne.NewSize(720, 460), func(w fyne.Window) (fyne.CanvasObject, func()) {
		s := ui.NewPrefsScreen(g.app.Preferences(), w)
		s.SetLibraryInUse(libraryInUse(firstNonEmpty(g.opts.ortLib, g.prefs().ORTLibrary)))
		g.setPrefsDefaults(s)
		s.OnChanged = func(p ui.Prefs) {
			g.applyPrefs(p)
			s.SetLibraryInUse(libraryInUse(firstNonEmpty(g.opts.ortLib, p.ORTLibrary)))
		}
		return s.Content(), nil
	})
}

// setPrefsDefaults says in the empty library and database entries what
// this session uses instead: the --ort-lib or --db flag, or where the
// library was found ($ONNXRUNTIME_LIB, lib/ beside the program...), or
// the default database's path.
func (g *gui) setPrefsDefaults(s *ui.PrefsScreen) {
	lib := "none found: set one here, or $" + model.LibraryEnv
	if c, err := model.FindLibrary(g.opts.ortLib); err == nil {
		lib = "none set: the one found by " + c.From + " is used (below)"
		if g.opts.ortLib != "" {
			lib = "none set: --ort-lib is used this session (below)"
		}
	}
	s.SetDefaultText(ui.PrefORTLibrary, lib)
	db := "none set: the default database"
	if p, err := defaultDBPath(); err == nil {
		db = "none set: the default database " + p
	}
	if g.opts.db != "" {
		db = "none set: --db " + g.opts.db + " is used this session"
	}
	s.SetDefaultText(ui.PrefLabelDB, db)
}

// libraryInUse says which ONNX Runtime library the models use with
// explicit as the option (flag or preference) and how it was found, or why
// there is none and where it was looked for.
func libraryInUse(explicit string) string {
	c, err := model.FindLibrary(explicit)
	if err != nil {
		return fmt.Sprintf("In use: none: %v (looked at %s)", err, strings.Join(c.Tried, ", "))
	}
	if abs, err := filepath.Abs(c.Path); err == nil {
		c.Path = abs
	}
	return fmt.Sprintf("In use: %s (found by %s)", c.Path, c.From)
}

// applyPrefs applies what takes effect at once: the theme, the paper
// speed, gain and display filters of the strip and the disclosure, which
// the tool bar shows, and the full disclosure's density.
func (g *gui) applyPrefs(p ui.Prefs) {
	g.app.Settings().SetTheme(ui.ThemeFor(p.Theme))
	if g.screen != nil {
		g.screen.SetPaper(p.Speed, p.Gain)
		g.screen.SetFilters(p.Filters)
		g.screen.SetDisclosureDensity(p.LineSeconds, p.PageLines)
		g.screen.SetTwelveLead(p.TwelveLead)
	}
}

// saveDensity keeps the full disclosure's density the reader chose on the
// record screen in the preferences, for the next record and the next start.
func (g *gui) saveDensity(secs float64, lines int) {
	p := g.app.Preferences()
	p.SetFloat(ui.PrefLineSeconds, secs)
	p.SetInt(ui.PrefPageLines, lines)
}

// fyneConfigDir is the folder Fyne keeps every app's preferences in, as
// its desktop drivers name it.
func fyneConfigDir() string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Preferences", "fyne")
	case "windows":
		return filepath.Join(home, "AppData", "Roaming", "fyne")
	}
	cfg, _ := os.UserConfigDir()
	return filepath.Join(cfg, "fyne")
}

// dropEmptyPrefs removes the preferences file of app id under root when
// it is empty (a save cut short leaves one): Fyne would log "Preferences
// load error: EOF" at every launch, though no preference is lost. A
// missing file, or one with content, is left as it is.
func dropEmptyPrefs(root, id string) {
	path := filepath.Join(root, id, "preferences.json")
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		_ = os.Remove(path)
	}
}
