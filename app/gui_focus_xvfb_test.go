package main

import (
	"testing"
	"time"
)

// TestWindowKeysAfterClicksXvfb clicks, in the real window, regions of
// the record screen that take no keys themselves (the episode track under
// the tool bar, the status line at the bottom): the desktop driver then
// takes the focus away from the strip. The next keys must still act: Right
// selects the next beat and v relabels it.
func TestWindowKeysAfterClicksXvfb(t *testing.T) {
	s := startSeeded(t)
	w, win := s.w, s.win
	regions := []struct{ name, x, y string }{
		{"episode track", "600", "82"},
		{"status line", "600", "745"},
	}
	for _, rg := range regions {
		if _, err := w.xdotool("mousemove", "--window", win, rg.x, rg.y, "click", "1"); err != nil {
			t.Fatalf("xdotool click on the %s: %v", rg.name, err)
		}
		time.Sleep(300 * time.Millisecond)
		w.key(t, win, "Right")
		b := w.sample(t, "select ")
		w.key(t, win, "v")
		w.expectEdit(t, "relabel", b)
	}
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
}
