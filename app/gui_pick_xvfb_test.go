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

// TestWindowPicksRunXvfb Ctrl+clicks a beat on the first line of the
// full-disclosure page, Shift+clicks another further on, and presses v:
// one relabel must take every beat from the first to the second.
func TestWindowPicksRunXvfb(t *testing.T) {
	s := startSeeded(t)
	w, win := s.w, s.win
	w.key(t, win, "F2")
	time.Sleep(500 * time.Millisecond)
	w.ctrlClick(t, win, "300", "122")
	w.modClick(t, win, "shift", "700", "122")
	w.key(t, win, "v")
	picked := samplesOf(t, w.expect(t, "edit relabel"))
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
	if len(picked) < 3 {
		t.Fatalf("one v relabelled %v, want the run of beats between the clicks", picked)
	}
	var between []int64
	for _, b := range s.model {
		if b.Sample >= picked[0] && b.Sample <= picked[len(picked)-1] {
			between = append(between, b.Sample)
		}
	}
	if !slices.Equal(picked, between) {
		t.Errorf("relabelled %v, want every beat from the first to the last: %v", picked, between)
	}
}

// ctrlClick clicks at (x, y) of the window with Ctrl held.
func (w *window) ctrlClick(t *testing.T, id, x, y string) {
	t.Helper()
	w.modClick(t, id, "ctrl", x, y)
}

// modClick clicks at (x, y) of the window with the modifier key mod held.
func (w *window) modClick(t *testing.T, id, mod, x, y string) {
	t.Helper()
	if _, err := w.xdotool("windowfocus", "--sync", id); err != nil {
		t.Fatalf("xdotool windowfocus: %v", err)
	}
	if _, err := w.xdotool("mousemove", "--window", id, x, y, "keydown", mod, "click", "1", "keyup", mod); err != nil {
		t.Fatalf("xdotool %s+click at %s,%s: %v", mod, x, y, err)
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
