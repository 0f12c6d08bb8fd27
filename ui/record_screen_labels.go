package ui

import (
	"math"
	"slices"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// Editor is the reader's edit session on the record shown: every edit the
// record screen makes goes through it, and it is where the screen reads
// the labels it draws. *annotate.Session implements it: each command is
// stored (durably, in the label database) before it returns nil.
type Editor interface {
	BeatsIn(t0, t1 int64) []annotate.Beat
	Episodes() []annotate.EpisodeEntry
	Noise() []annotate.NoiseEntry
	Status() annotate.Status
	Reader() annotate.ReaderID
	CanUndo() (annotate.Edit, bool)
	CanRedo() (annotate.Edit, bool)
	Revision() uint64
	Labels() annotate.LabelSet

	Relabel(samples []int64, c annotate.Code, why string) error
	Insert(sample int64, c annotate.Code, why string) error
	Delete(samples []int64, why string) error
	Move(from, to int64, why string) error
	Confirm(samples []int64, why string) error
	Undo() error
	Redo() error
	SetEpisode(e annotate.Episode, why string) (annotate.EpisodeID, error)
	ChangeEpisode(id annotate.EpisodeID, e annotate.Episode, why string) error
	DeleteEpisode(id annotate.EpisodeID, why string) error
	MarkNoise(n annotate.Noise, why string) (annotate.NoiseID, error)
	ClearNoise(id annotate.NoiseID, why string) error
	SignOff(why string) error
}

var _ Editor = (*annotate.Session)(nil)

// BeatSource gives the beats to draw: the strip, the disclosure and the
// overview read the record screen's copy of the session's labels through
// it, never the session itself, so drawing never waits for a commit.
type BeatSource interface {
	// BeatsIn returns the beats with t0 <= Sample < t1, in sample order;
	// the slice is shared and must not be changed.
	BeatsIn(t0, t1 int64) []annotate.Beat
}

// Labels is a copy of a label set held by the UI goroutine: beats in sample
// order, live episodes and noise stretches, and a generation counter that
// grows with every change.
type Labels struct {
	beats    []annotate.Beat
	episodes []annotate.EpisodeEntry
	noise    []annotate.NoiseEntry
	status   annotate.Status
	undo     *annotate.Edit
	redo     *annotate.Edit
	pending  map[int64]bool // beats of edits the editor has not stored yet
	gen      uint64
}

// NewLabels returns labels holding beats (sorted by sample) only: for
// showing a record without an edit session.
func NewLabels(beats []annotate.Beat) *Labels { return &Labels{beats: beats, gen: 1} }

var _ BeatSource = (*Labels)(nil)

// BeatsIn implements BeatSource.
func (l *Labels) BeatsIn(t0, t1 int64) []annotate.Beat {
	if l == nil {
		return nil
	}
	i, j := l.span(t0, t1)
	return l.beats[i:j]
}

func (l *Labels) span(t0, t1 int64) (int, int) {
	i := sort.Search(len(l.beats), func(i int) bool { return l.beats[i].Sample >= t0 })
	j := sort.Search(len(l.beats), func(i int) bool { return l.beats[i].Sample >= t1 })
	return i, max(i, j)
}

// Len returns the number of beats.
func (l *Labels) Len() int {
	if l == nil {
		return 0
	}
	return len(l.beats)
}

// All returns every beat (shared; do not change).
func (l *Labels) All() []annotate.Beat {
	if l == nil {
		return nil
	}
	return l.beats
}

// Episodes returns the live episodes (shared; do not change).
func (l *Labels) Episodes() []annotate.EpisodeEntry {
	if l == nil {
		return nil
	}
	return l.episodes
}

// Noise returns the live noise stretches (shared; do not change).
func (l *Labels) Noise() []annotate.NoiseEntry {
	if l == nil {
		return nil
	}
	return l.noise
}

// Gen returns the generation: it changes whenever the labels do.
func (l *Labels) Gen() uint64 {
	if l == nil {
		return 0
	}
	return l.gen
}

// LabelUpdate is a copy of an editor's label set, or of the beats of a
// part of it, read off the UI goroutine: the revision it was read at (read
// first), the beats of [Start, End), every live episode and noise stretch,
// the status and the commands undo and redo would take back.
type LabelUpdate struct {
	Rev        uint64
	Start, End int64
	Beats      []annotate.Beat
	Episodes   []annotate.EpisodeEntry
	Noise      []annotate.NoiseEntry
	Status     annotate.Status
	Undo, Redo *annotate.Edit // nil: nothing to undo (redo)
	keepSpans  bool           // Episodes and Noise were not read: keep the shown ones
}

// ReadUpdate reads the beats of [start, end) and everything else of ed;
// the whole label set in one copy when [start, end) is everything.
func ReadUpdate(ed Editor, start, end int64) LabelUpdate {
	u := LabelUpdate{Rev: ed.Revision(), Start: start, End: end}
	if u.full() {
		ls := ed.Labels()
		u.Beats, u.Status = ls.Beats, ls.Status
		u.Episodes = slices.DeleteFunc(ls.Episodes, func(e annotate.EpisodeEntry) bool { return e.Deleted })
		u.Noise = slices.DeleteFunc(ls.Noise, func(n annotate.NoiseEntry) bool { return n.Deleted })
	} else {
		u.Beats = ed.BeatsIn(start, end)
		u.Episodes, u.Noise, u.Status = ed.Episodes(), ed.Noise(), ed.Status()
	}
	if e, ok := ed.CanUndo(); ok {
		u.Undo = &e
	}
	if e, ok := ed.CanRedo(); ok {
		u.Redo = &e
	}
	return u
}

// full reports whether u holds every beat.
func (u LabelUpdate) full() bool { return u.Start <= 0 && u.End == math.MaxInt64 }

// apply replaces the beats of [u.Start, u.End) and the spans with u's.
func (l *Labels) apply(u LabelUpdate) {
	switch i, j := l.span(u.Start, u.End); {
	case u.full():
		l.beats = u.Beats
	case j-i == len(u.Beats):
		copy(l.beats[i:j], u.Beats)
	default:
		l.beats = slices.Replace(l.beats, i, j, u.Beats...)
	}
	if !u.keepSpans {
		l.episodes, l.noise = u.Episodes, u.Noise
	}
	l.status, l.undo, l.redo = u.Status, u.Undo, u.Redo
	l.gen++
}

// put inserts b, or replaces the beat at its sample.
func (l *Labels) put(b annotate.Beat) {
	i, j := l.span(b.Sample, b.Sample+1)
	l.beats = slices.Replace(l.beats, i, j, b)
	l.gen++
}

// markPending marks (or unmarks) the beats at samples as being saved.
func (l *Labels) markPending(samples []int64, on bool) {
	if l.pending == nil {
		l.pending = map[int64]bool{}
	}
	for _, s := range samples {
		if on {
			l.pending[s] = true
		} else {
			delete(l.pending, s)
		}
	}
}

// Pending reports whether the beat at sample is being saved.
func (l *Labels) Pending(sample int64) bool { return l != nil && l.pending[sample] }

// beatAt returns the index of the beat at sample, or -1.
func (l *Labels) beatAt(sample int64) int {
	i, j := l.span(sample, sample+1)
	if j > i {
		return i
	}
	return -1
}

// nearest returns the index of the beat nearest sample, or -1 when there
// are no beats.
func (l *Labels) nearest(sample int64) int {
	n := len(l.beats)
	if n == 0 {
		return -1
	}
	i := sort.Search(n, func(i int) bool { return l.beats[i].Sample >= sample })
	switch {
	case i == 0:
		return 0
	case i == n:
		return n - 1
	case sample-l.beats[i-1].Sample <= l.beats[i].Sample-sample:
		return i - 1
	}
	return i
}

// next returns the index of the first beat after sample (dir > 0) or the
// last before it (dir < 0) for which ok holds, or -1.
func (l *Labels) next(sample int64, dir int, ok func(annotate.Beat) bool) int {
	if dir > 0 {
		for i, _ := l.span(sample+1, sample+1); i < len(l.beats); i++ {
			if ok(l.beats[i]) {
				return i
			}
		}
		return -1
	}
	i, _ := l.span(sample, sample)
	for i--; i >= 0; i-- {
		if ok(l.beats[i]) {
			return i
		}
	}
	return -1
}
