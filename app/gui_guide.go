package main

import (
	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/ui"
)

// helpMenu is the Help menu: the getting-started guide, which the window
// also shows by itself until the reader ticks "Don't show this again", and
// the keyboard shortcuts.
func (g *gui) helpMenu() *fyne.Menu {
	start := fyne.NewMenuItem("Getting started…", g.showGuide)
	keys := fyne.NewMenuItem("Keyboard shortcuts    (F1)", func() { g.screen.ShowHelp() })
	return fyne.NewMenu("Help", start, keys)
}

// firstRun shows the getting-started guide when the window opens, unless
// the reader asked not to see it again or the run is automated
// (--quit-after: scripted tests, screenshots and timings get the window
// as it is without the guide).
func (g *gui) firstRun() {
	if g.quit > 0 || g.app.Preferences().Bool(ui.PrefGuideHidden) {
		return
	}
	g.showGuide()
}

// showGuide opens the getting-started guide; its "Don't show this again"
// box is the preference ui.PrefGuideHidden.
func (g *gui) showGuide() {
	p := g.app.Preferences()
	g.screen.ShowGuide(p.Bool(ui.PrefGuideHidden), func(on bool) { p.SetBool(ui.PrefGuideHidden, on) })
}
