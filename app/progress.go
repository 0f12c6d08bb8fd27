package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
)

// progressEvery is the least time between two progress lines on a
// terminal; plainEvery between two lines within a record elsewhere (a log
// file or a pipe, where each line stays).
const (
	progressEvery = 500 * time.Millisecond
	plainEvery    = 5 * time.Second
)

// progressMeter shows a long command's progress on stderr, one line kept
// up to date with carriage returns: the record (i of n), its share done,
// the beats so far, the share of the whole run and the time left for it,
// estimated from the samples done so far. A nil meter shows nothing
// (--quiet). When w is not a terminal the meter writes plain lines
// instead, without carriage returns or escape codes: one when each record
// ends and at most one every plainEvery while it runs.
type progressMeter struct {
	w       io.Writer
	plain   bool    // w is not a terminal
	sizes   []int64 // samples of each record of the run
	total   int64
	done    int64 // samples of the records finished
	rec     int   // index of the record running
	name    string
	start   time.Time
	last    time.Time
	written bool
}

// newProgress returns a meter for records of the given sizes (samples), or
// nil when quiet.
func newProgress(w io.Writer, sizes []int64, quiet bool) *progressMeter {
	if quiet {
		return nil
	}
	m := &progressMeter{w: w, plain: !isTerminal(w), sizes: sizes, start: time.Now()}
	for _, s := range sizes {
		m.total += s
	}
	return m
}

// begin starts record i, called name.
func (m *progressMeter) begin(i int, name string) {
	if m == nil {
		return
	}
	m.rec, m.name, m.last = i, name, time.Now()
	m.show(0, 0, true)
}

// update takes the pipeline's progress within the current record.
func (m *progressMeter) update(pr pipeline.Progress) {
	if m != nil {
		m.show(pr.Fraction, pr.Beats, false)
	}
}

// end finishes the current record and ends the line.
func (m *progressMeter) end() {
	if m == nil {
		return
	}
	m.done += m.sizes[m.rec]
	m.show(1, -1, true)
	if m.written && !m.plain {
		fmt.Fprintln(m.w)
		m.written = false
	}
}

// show rewrites the line, at most every progressEvery unless forced; in
// plain mode it writes a new line when the record ends (f == 1) or every
// plainEvery, and nothing when a record begins.
func (m *progressMeter) show(f float64, beats int, force bool) {
	now := time.Now()
	text := m.line(f, beats, now.Sub(m.start))
	switch {
	case m.plain && (f == 1 || (!force && now.Sub(m.last) >= plainEvery)):
		fmt.Fprintln(m.w, text)
	case m.plain, !force && now.Sub(m.last) < progressEvery:
		return
	default:
		fmt.Fprintf(m.w, "\r%s\033[K", text)
		m.written = true
	}
	m.last = now
}

// isTerminal reports whether w is a character device (a terminal), where
// carriage returns and escape codes redraw one line.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// line is the text of the progress line at fraction f of the current
// record, elapsed after the run's start.
func (m *progressMeter) line(f float64, beats int, elapsed time.Duration) string {
	s := fmt.Sprintf("record %d/%d %s: %3.0f%%", m.rec+1, len(m.sizes), m.name, 100*f)
	if beats >= 0 {
		s += fmt.Sprintf(", %d beats", beats)
	}
	if m.total <= 0 {
		return s
	}
	all := (float64(m.done) + f*float64(m.sizes[m.rec])) / float64(m.total)
	if f == 1 {
		all = float64(m.done) / float64(m.total)
	}
	s += fmt.Sprintf("; all %3.0f%%", 100*all)
	if all > 0 && all < 1 {
		s += ", " + (time.Duration(float64(elapsed) * (1 - all) / all)).Round(time.Second).String() + " left"
	}
	return s
}

// recordSizes returns the samples of each record, 0 for one that does not
// open (its own run reports why).
func recordSizes(paths []string) []int64 {
	out := make([]int64, len(paths))
	for i, p := range paths {
		if r, err := store.Open(p); err == nil {
			out[i] = r.Signal.Info().NSamples
			r.Close()
		}
	}
	return out
}
