package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// TestTwelveLeadXvfb opens a real 12-lead record (PTB's s0010_re from
// $ECGDATA/wfdb-samples: 15 channels, the standard twelve shown) in the
// real window and checks the strip draws it in the 12-lead layout, that
// t switches it to stacked lanes and back, and that the keys still
// scroll the strip; it saves a screenshot of the layout with the
// suggested labels (ECGSTATION_SCREENSHOT_DIR keeps it). It runs where TestWindowXvfb runs
// and skips when ECGDATA is not set or lacks the record.
func TestTwelveLeadXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("real-window test skipped in -short mode")
	}
	dir := ecgdata.Dir(t, "wfdb-samples", "s0010_re.dat")
	display := xDisplay(t)
	bin := buildBinary(t)
	w := startWindow(t, bin, display, filepath.Join(dir, "s0010_re.hea"), "--db", filepath.Join(t.TempDir(), "labels.db"), "--reader", "xvfb")
	win := w.windowID(t)
	w.expect(t, "session-open-ms")
	if l := w.expect(t, "layout "); !strings.HasPrefix(l, "layout 12-lead layout 3×4 + rhythm II") {
		t.Fatalf("s0010_re opens in %q, want the 12-lead layout", l)
	}
	if l := w.expect(t, "preannotate-"); !strings.HasPrefix(l, "preannotate-done") { // the beat labels in the shot
		t.Fatalf("pre-annotation did not finish: %s", l)
	}
	w.key(t, win, "t") // each key a round trip through the window, after the labels came in
	if l := w.expect(t, "layout "); l != "layout stacked leads (12-lead layout off)" {
		t.Errorf("after t: %q, want the stacked lanes", l)
	}
	w.key(t, win, "t")
	if l := w.expect(t, "layout "); !strings.HasPrefix(l, "layout 12-lead layout") {
		t.Errorf("after t again: %q, want the 12-lead layout", l)
	}
	selectFirstBeat(t, w, win)         // shaded on every row at once
	w.expect(t, "key-to-frame-us")     // drawn...
	time.Sleep(500 * time.Millisecond) // ...and on the screen (no assertion waits on it)
	shotDir := os.Getenv("ECGSTATION_SCREENSHOT_DIR")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	shot := filepath.Join(shotDir, "twelve-lead-xvfb.png")
	screenshot(t, display, shot)
	t.Logf("screenshot: %s", shot)
	checkNotBlank(t, shot)
	a0, b0 := w.view(t, false)
	w.key(t, win, "ctrl+Right")
	if a1, _ := w.viewChanged(t, a0, b0); a1 <= a0 {
		t.Errorf("Ctrl+Right in the 12-lead layout: view starts at %d, want after %d", a1, a0)
	}
}

// selectFirstBeat presses → until a beat is selected: the suggested
// labels reach the window a moment after the run that made them says it
// is done, and → on a strip without beats selects nothing.
func selectFirstBeat(t *testing.T, w *window, win string) {
	t.Helper()
	for range 20 {
		w.key(t, win, "Right")
		timeout := time.After(time.Second)
		for waiting := true; waiting; {
			select {
			case l, ok := <-w.lines:
				if !ok {
					t.Fatal("ecgstation exited before a beat was selected")
				}
				if strings.HasPrefix(l, "select ") && l != "select -1" {
					return
				}
			case <-timeout:
				waiting = false
			}
		}
	}
	t.Fatal("→ selected no beat in 20 tries")
}
