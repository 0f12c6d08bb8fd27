package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// caliperColours are the caliper's colours in the light and dark themes
// (ui's ColorNameECGCaliper).
var caliperColours = [][3]uint32{{0, 125, 85}, {250, 130, 230}}

// TestWindowCalipersXvfb measures in the real window with xdotool: a beat
// selected, k, the arrows (one with Shift), Down and K from the keyboard,
// then a Ctrl+drag over the leads and a drag along the label band (where,
// without a caliper, a drag from a beat's marker moves the beat). The screenshot must
// show the caliper's colour down the strip, and after Esc and Ctrl+Q the
// database must hold the model's labels untouched: calipers never edit.
// It runs where TestWindowXvfb runs.
func TestWindowCalipersXvfb(t *testing.T) {
	s := startSeeded(t)
	w, win := s.w, s.win
	w.key(t, win, "Right")
	w.sample(t, "select ")
	for _, k := range []string{"k", "Right", "Right", "shift+Right", "Down", "K"} {
		w.key(t, win, k)
	}
	w.drag(t, win, "ctrl", 300, 450, 520, 450)
	w.drag(t, win, "", 600, 110, 700, 110) // the label band
	time.Sleep(500 * time.Millisecond)
	dir := os.Getenv("ECGSTATION_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "window-calipers-xvfb.png")
	screenshot(t, s.display, shot)
	t.Logf("screenshot: %s", shot)
	if n := caliperPixels(t, shot); n < 400 {
		t.Errorf("the screenshot has %d pixels of the caliper's colour, want its legs down the strip", n)
	}
	w.key(t, win, "Escape")
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
	checkUntouched(t, s.db, s.id, s.model)
}

// drag drags from (x0, y0) to (x1, y1) of the window in four moves, with
// the modifier key mod held ("" for none).
func (w *window) drag(t *testing.T, id, mod string, x0, y0, x1, y1 int) {
	t.Helper()
	if _, err := w.xdotool("windowfocus", "--sync", id); err != nil {
		t.Fatalf("xdotool windowfocus: %v", err)
	}
	args := []string{"mousemove", "--window", id, strconv.Itoa(x0), strconv.Itoa(y0)}
	if mod != "" {
		args = append(args, "keydown", mod)
	}
	args = append(args, "mousedown", "1")
	for i := 1; i <= 4; i++ {
		args = append(args, "mousemove", "--window", id, strconv.Itoa(x0+(x1-x0)*i/4), strconv.Itoa(y0+(y1-y0)*i/4), "sleep", "0.05")
	}
	args = append(args, "mouseup", "1")
	if mod != "" {
		args = append(args, "keyup", mod)
	}
	if _, err := w.xdotool(args...); err != nil {
		t.Fatalf("xdotool drag %v: %v", args, err)
	}
	time.Sleep(200 * time.Millisecond)
}

// caliperPixels counts the pixels of the screenshot at path in either of
// the caliper's colours.
func caliperPixels(t *testing.T, path string) int {
	t.Helper()
	counts := colourCounts(loadPNG(t, path))
	n := 0
	for _, c := range caliperColours {
		n += counts[[3]uint32{c[0] * 0x101, c[1] * 0x101, c[2] * 0x101}]
	}
	return n
}

// checkUntouched checks that the database holds exactly the model's beats
// for reader xvfb, none of them set by a reader.
func checkUntouched(t *testing.T, path string, id annotate.RecordID, model []annotate.Beat) {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ls, _, err := db.Labels(id, "xvfb")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Beats) != len(model) {
		t.Fatalf("database holds %d beats after measuring, the model %d", len(ls.Beats), len(model))
	}
	for i, b := range ls.Beats {
		if b.Sample != model[i].Sample || b.Code != model[i].Code || b.Prov.Source == annotate.SourceReader {
			t.Errorf("beat %d: %d %s (%v) in the database, the model's is %d %s", i, b.Sample, b.Code, b.Prov.Source, model[i].Sample, model[i].Code)
		}
	}
}
