package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate/synth"
)

// envFramesRecord names a record (a .hea or any file open reads) for
// TestWindowFramesXvfb; unset, the test writes a 24 h synthetic record.
const envFramesRecord = "ECGSTATION_FRAMES_RECORD"

// frameBudget is the frame time the 99th percentile must stay under
// while the models run: 30 frames a second.
const frameBudget = 33 * time.Millisecond

// TestWindowFramesXvfb measures frame times in the real window while the
// models pre-annotate a long record (24 h unless ECGSTATION_FRAMES_RECORD
// names another), and then idle in the same window once they are done.
// xdotool pages the strip (Ctrl+Right, a key every 10.6-11.1 ms measured, faster
// than the window's 60 Hz main loop) so every main-loop pass has a key to
// handle and draws a strip frame; the window traces each one ("frame-us
// GAP DRAW", ECGSTATION_TRACE_TIMING=1), and the gap between two frames is
// the frame time the reader sees. A pager slower than the loop would leave
// passes without a key, and their two-tick gaps would be the pager's, not
// the window's: the test logs the key interval it reached. The
// 99th percentile while pre-annotating is compared with frameBudget in
// the log (run it with -v). It runs only with ECGSTATION_XVFB=1 (on DISPLAY
// when that is set).
func TestWindowFramesXvfb(t *testing.T) {
	if testing.Short() || os.Getenv("ECGSTATION_XVFB") != "1" {
		t.Skip("frame timing in the real window (a minute of pre-annotating a 24 h record): set ECGSTATION_XVFB=1 to run it")
	}
	display := xDisplay(t)
	hea := framesRecord(t)
	bin := buildBinary(t)
	w := startWindow(t, bin, display, hea, "--db", filepath.Join(t.TempDir(), "labels.db"), "--reader", "xvfb", "--quit-after", "30m")
	win := w.windowID(t)
	w.expect(t, "session-open-ms")
	w.expect(t, "first-labels-ms")
	busy, busyDraw, done := pageWhile(t, w, win, 0)
	if !done {
		t.Fatal("ecgstation exited before the pre-annotation was done")
	}
	idle, idleDraw, _ := pageWhile(t, w, win, len(busy)+100)
	b, i := frameStats(busy), frameStats(idle)
	t.Logf("frames while pre-annotating: %s (strip drawing: %s)", b, frameStats(busyDraw))
	t.Logf("frames idle (same window, after): %s (strip drawing: %s)", i, frameStats(idleDraw))
	if len(busy) < 50 || len(idle) < 50 {
		t.Fatalf("too few frames to judge: %d while pre-annotating, %d idle", len(busy), len(idle))
	}
	// A measurement, not a timed assertion (the project's rule: a shared
	// or slow machine must not turn a run red); the figure is read from
	// the log against the target.
	if b.p99 > frameBudget {
		t.Logf("TARGET MISSED: p99 frame while pre-annotating %v, over %v (idle p99 %v, ratio %.2f)",
			b.p99, frameBudget, i.p99, float64(b.p99)/float64(max(i.p99, 1)))
	}
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
}

// framesRecord returns the record the frame test opens.
func framesRecord(t *testing.T) string {
	if p := os.Getenv(envFramesRecord); p != "" {
		return p
	}
	dir := t.TempDir()
	cfg := synth.Demo()
	cfg.Duration = 24 * time.Hour
	if _, _, err := writeSynthRecord(dir, "day", cfg, 16); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "day.hea")
}

// pageWhile pages the strip forward with xdotool and collects the frame
// gaps the window traces: until the pre-annotation is done (n == 0; done
// reports it was seen), or for n frames.
func pageWhile(t *testing.T, w *window, win string, n int) (gaps, draws []time.Duration, done bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pager := make(chan pagerResult, 1)
	go func() { pager <- pageKeys(ctx, w, win) }()
	defer func() {
		cancel()
		if r := <-pager; r.every > 0 {
			t.Logf("pager: a key every %v (the window's main loop runs every %v)", r.every.Round(100*time.Microsecond), time.Second/60)
		}
	}()
	// Frames count from the first one that showed a key (its own gap runs
	// back to a frame drawn before the pager started, or to none while the
	// window had nothing to draw); "frame-us" comes before "key-to-frame-us".
	paging := false
	for {
		select {
		case r := <-pager:
			pager <- r // for the deferred wait
			t.Fatalf("xdotool: %v", r.err)
		case l, ok := <-w.lines:
			switch {
			case !ok:
				return gaps, draws, false
			case strings.HasPrefix(l, "preannotate-"):
				t.Logf("%s after %d frames", l, len(gaps))
				if n == 0 {
					return gaps, draws, true
				}
			case strings.HasPrefix(l, "key-to-frame-us "):
				paging = true
			case strings.HasPrefix(l, "frame-us ") && paging:
				if g, d := frameTimes(l); g > 0 {
					gaps, draws = append(gaps, g), append(draws, d)
				}
				if n > 0 && len(gaps) >= n {
					return gaps, draws, true
				}
			}
		}
	}
}

// pageKeyBurst is how many Ctrl+Right one xdotool run presses: long
// bursts, so starting the next run (a few ms) seldom leaves a main-loop
// pass without a key.
const pageKeyBurst = 400

// pagerResult is what pageKeys reached: the mean interval between keys
// over its whole bursts, and the error that stopped it early.
type pagerResult struct {
	every time.Duration
	err   error
}

// pageKeys presses Ctrl+Right about every 11 ms (xdotool's 2 ms between
// press and release, 4 ms between keys, and its own round trips to the X
// server) in bursts until ctx ends, which kills the burst under way.
func pageKeys(ctx context.Context, w *window, win string) pagerResult {
	if _, err := w.xdotool("windowfocus", "--sync", win); err != nil {
		return pagerResult{err: err}
	}
	var busy time.Duration
	keys := 0
	for {
		t0 := time.Now()
		cmd := exec.CommandContext(ctx, "xdotool", "key", "--delay", "2", "--repeat-delay", "4",
			"--repeat", strconv.Itoa(pageKeyBurst), "ctrl+Right")
		cmd.Env = append(os.Environ(), "DISPLAY="+w.display)
		err := cmd.Run()
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			return pagerResult{err: err}
		}
		busy, keys = busy+time.Since(t0), keys+pageKeyBurst
	}
	if keys == 0 {
		return pagerResult{}
	}
	return pagerResult{every: busy / time.Duration(keys)}
}

// frameTimes returns the gap and the strip's drawing time of a
// "frame-us GAP DRAW" line (gap 0: the first frame, or a bad line).
func frameTimes(l string) (gap, draw time.Duration) {
	f := strings.Fields(l)
	if len(f) < 3 {
		return 0, 0
	}
	g, err1 := strconv.ParseInt(f[1], 10, 64)
	d, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return time.Duration(g) * time.Microsecond, time.Duration(d) * time.Microsecond
}

// frameSummary is the median, 99th percentile and worst of frame gaps.
type frameSummary struct {
	n               int
	p50, p99, worst time.Duration
}

func frameStats(gaps []time.Duration) frameSummary {
	if len(gaps) == 0 {
		return frameSummary{}
	}
	s := slices.Sorted(slices.Values(gaps))
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return frameSummary{n: len(s), p50: q(0.5), p99: q(0.99), worst: s[len(s)-1]}
}

func (f frameSummary) String() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	return fmt.Sprintf("%d frames, p50 %s, p99 %s, worst %s", f.n, ms(f.p50), ms(f.p99), ms(f.worst))
}
