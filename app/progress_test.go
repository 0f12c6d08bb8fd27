package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/inference/pipeline"
)

// TestProgressLine checks the progress text: the record's share, the
// run's share weighted by record size, and the time left at the rate so far.
func TestProgressLine(t *testing.T) {
	m := newProgress(&bytes.Buffer{}, []int64{100, 300}, false)
	cases := []struct {
		rec     int
		done    int64
		f       float64
		beats   int
		elapsed time.Duration
		want    string
	}{
		{0, 0, 0, 0, 0, "record 1/2 a:   0%, 0 beats; all   0%"},
		{0, 0, 0.5, 60, 10 * time.Second, "record 1/2 a:  50%, 60 beats; all  12%, 1m10s left"},
		{1, 100, 0.5, 200, 25 * time.Second, "record 2/2 a:  50%, 200 beats; all  62%, 15s left"},
		{1, 400, 1, -1, 40 * time.Second, "record 2/2 a: 100%; all 100%"},
	}
	for _, c := range cases {
		m.rec, m.done, m.name = c.rec, c.done, "a"
		if got := m.line(c.f, c.beats, c.elapsed); got != c.want {
			t.Errorf("line(%g, %d, %v) = %q, want %q", c.f, c.beats, c.elapsed, got, c.want)
		}
	}
	if newProgress(&bytes.Buffer{}, nil, true) != nil {
		t.Error("quiet meter is not nil")
	}
}

// TestAnnotateProgress runs annotate (without the models, so it needs no
// ONNX Runtime): stderr shows the record's progress line, and --quiet
// leaves it out.
func TestAnnotateProgress(t *testing.T) {
	rec := fixtureCopy(t)
	for _, quiet := range []bool{false, true} {
		args := []string{"annotate", rec, "--ort-lib", "/nonexistent/libonnxruntime.so", "--out-ext", "p"}
		if quiet {
			args = append(args, "--quiet")
		}
		var out, errs bytes.Buffer
		if code := run(args, &out, &errs); code != exitWithoutModels {
			t.Fatalf("exit %d: %s", code, errs.String())
		}
		shown := strings.Contains(errs.String(), "record 1/1 synth60: 100%; all 100%")
		if shown == quiet {
			t.Errorf("quiet %v: progress shown %v; stderr:\n%q", quiet, shown, errs.String())
		}
	}
}

// TestProgressPlain: on a writer that is not a terminal (a log file, a
// pipe) the meter writes plain lines, with no carriage return or escape
// code: one per record when it ends, none for updates closer than
// plainEvery, one for an update after it.
func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	m := newProgress(&b, []int64{100, 300}, false)
	m.begin(0, "a")
	m.update(pipeline.Progress{Fraction: 0.5, Beats: 10})
	m.end()
	m.begin(1, "b")
	m.last = m.last.Add(-plainEvery) // as if plainEvery passed
	m.update(pipeline.Progress{Fraction: 0.5, Beats: 20})
	m.end()
	got := b.String()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	want := []string{"record 1/2 a: 100%; all  25%", "record 2/2 b:  50%, 20 beats; all  62%", "record 2/2 b: 100%; all 100%"}
	ok := len(lines) == len(want) && !strings.ContainsAny(got, "\r\033")
	for i := range want {
		ok = ok && i < len(lines) && strings.HasPrefix(lines[i], want[i])
	}
	if !ok {
		t.Errorf("plain progress:\n%q\nwant lines starting\n%q\nand no \\r or escape", got, want)
	}
}
