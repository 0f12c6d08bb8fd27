package main

import (
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/ui"
)

// uiQueue collects what the screens' background work hands to the UI (see
// serialScreens); nil outside such a test.
var uiQueue chan func()

// serialScreens makes the screens' background work (snippet reads) hand
// its results to the test's goroutine, drained by drainScreens, as fyne.Do
// does in the real app; at the end it waits for that work to finish.
func serialScreens(t *testing.T) {
	q := make(chan func(), 8192)
	old := ui.SetDeliver(func(f func()) { q <- f })
	uiQueue = q
	t.Cleanup(func() {
		for !ui.Idle() || len(q) > 0 {
			drainScreens()
			time.Sleep(time.Millisecond)
		}
		ui.SetDeliver(old)
		uiQueue = nil
	})
}

// drainScreens runs what background work handed to the UI so far.
func drainScreens() {
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}
