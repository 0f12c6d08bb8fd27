package main

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestWindowPicksXvfb starts the real binary, turns to the full-disclosure
// page (F2), Ctrl+clicks three places on its first line with xdotool,
// presses v once, and checks that one relabel took the three beats nearest
// the clicks and that the database holds them as V. It runs where
// TestWindowXvfb runs.
func TestWindowPicksXvfb(t *testing.T) {
	s := startSeeded(t)
	w, win, dbPath, id, model := s.w, s.win, s.db, s.id, s.model
	w.key(t, win, "F2")
	time.Sleep(500 * time.Millisecond) // the page is drawn
	for _, x := range []string{"300", "600", "900"} {
		w.ctrlClick(t, win, x, "122") // the first line of the page, under the menu bar and toolbar
	}
	w.key(t, win, "v")
	picked := samplesOf(t, w.expect(t, "edit relabel"))
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
	if len(picked) != 3 || !slices.IsSorted(picked) || picked[0] == picked[1] || picked[1] == picked[2] {
		t.Fatalf("one v relabelled %v, want the three beats picked", picked)
	}
	want := map[int64]annotate.Code{}
	for _, b := range model {
		want[b.Sample] = b.Code
	}
	for _, s := range picked {
		if _, ok := want[s]; !ok {
			t.Errorf("relabelled %d, which is not a beat", s)
		}
		want[s] = annotate.PVC
	}
	checkDBLabels(t, dbPath, id, "xvfb", want)
}

// ctrlClick clicks at (x, y) of the window with Ctrl held.
func (w *window) ctrlClick(t *testing.T, id, x, y string) {
	t.Helper()
	if _, err := w.xdotool("windowfocus", "--sync", id); err != nil {
		t.Fatalf("xdotool windowfocus: %v", err)
	}
	if _, err := w.xdotool("mousemove", "--window", id, x, y, "keydown", "ctrl", "click", "1", "keyup", "ctrl"); err != nil {
		t.Fatalf("xdotool ctrl+click at %s,%s: %v", x, y, err)
	}
	time.Sleep(150 * time.Millisecond) // a second click this soon would be a double click
}

// samplesOf returns the numbers of a traced "edit ACTION [a b c]" line.
func samplesOf(t *testing.T, line string) []int64 {
	t.Helper()
	_, list, _ := strings.Cut(line, "[")
	var out []int64
	for _, f := range strings.Fields(strings.TrimSuffix(list, "]")) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			t.Fatalf("bad sample %q in %q", f, line)
		}
		out = append(out, n)
	}
	return out
}
