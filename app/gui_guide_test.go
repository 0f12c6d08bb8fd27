package main

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/ui"
)

// guideWindow is a window on prefs of app a, as after a start.
func guideWindow(t *testing.T, a fyne.App, quit time.Duration) *gui {
	g := &gui{app: a, screen: ui.NewRecordScreen(), quit: quit}
	g.win = test.NewTempWindow(t, g.screen.Content())
	g.win.Resize(fyne.NewSize(1000, 700))
	g.screen.SetWindow(g.win)
	return g
}

// TestGuideFirstRun: the getting-started guide shows when the window opens
// the first time and after every close without "Don't show this again";
// once that box is ticked it no longer shows by itself, but Help > Getting
// started still opens it (unticking the box brings it back at the next
// start). An automated run (--quit-after) never shows it.
func TestGuideFirstRun(t *testing.T) {
	type start struct {
		quit  time.Duration
		shown bool // the guide shows by itself
		tick  *bool
	}
	yes := true
	cases := []struct {
		name   string
		starts []start
	}{
		{"first run shows it; closed without the box it shows again", []start{{shown: true}, {shown: true}}},
		{"ticked: not after", []start{{shown: true, tick: &yes}, {}, {}}},
		{"an automated run skips it and keeps it due", []start{{quit: time.Minute}, {shown: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newTestApp(t)
			for i, s := range c.starts {
				g := guideWindow(t, a, s.quit)
				g.firstRun()
				if got := g.screen.GuideOpen(); got != s.shown {
					t.Fatalf("start %d: guide shown %v, want %v", i+1, got, s.shown)
				}
				if !s.shown {
					continue
				}
				checkGuideText(t, g.win)
				if s.tick != nil {
					g.screen.SetGuideHidden(*s.tick)
				}
				g.screen.DismissGuide()
				if g.screen.GuideOpen() {
					t.Fatalf("start %d: the guide stays open after Close", i+1)
				}
			}
		})
	}
}

// TestGuideFromHelp: Help > Getting started opens the guide even when it
// is hidden, with the box ticked; unticking it there shows the guide at
// the next start.
func TestGuideFromHelp(t *testing.T) {
	a := newTestApp(t)
	a.Preferences().SetBool(ui.PrefGuideHidden, true)
	g := guideWindow(t, a, 0)
	g.firstRun()
	if g.screen.GuideOpen() {
		t.Fatal("the hidden guide showed by itself")
	}
	var item *fyne.MenuItem
	for _, it := range g.helpMenu().Items {
		if it.Label == "Getting started…" {
			item = it
		}
	}
	if item == nil {
		t.Fatal("no Help > Getting started…")
	}
	item.Action()
	if !g.screen.GuideOpen() {
		t.Fatal("Help > Getting started did not open the guide")
	}
	if c := findCheck(g.win.Canvas().Overlays().Top()); c == nil || !c.Checked {
		t.Errorf("the box is not ticked while the guide is hidden: %+v", c)
	}
	g.screen.SetGuideHidden(false)
	g.screen.DismissGuide()
	again := guideWindow(t, a, 0)
	again.firstRun()
	if !again.screen.GuideOpen() {
		t.Error("unticked in the guide, it did not show at the next start")
	}
}

// checkGuideText checks the open guide names every step and its keys.
func checkGuideText(t *testing.T, w fyne.Window) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	for _, s := range ui.GuideSteps {
		for _, text := range []string{s.Keys, s.Text} {
			if findIn(top, func(o fyne.CanvasObject) bool { l, ok := o.(*widget.Label); return ok && l.Text == text }) == nil {
				t.Errorf("the guide does not say %q", text)
			}
		}
	}
}

// findCheck returns the first check box under o.
func findCheck(o fyne.CanvasObject) *widget.Check {
	c, _ := findIn(o, func(o fyne.CanvasObject) bool { _, ok := o.(*widget.Check); return ok }).(*widget.Check)
	return c
}
