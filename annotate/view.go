package annotate

import (
	"sync/atomic"
	"time"
)

// LabelView is the live copy of a label set that a screen draws from and
// edits through: the labels as its Editor (a Session) stored them, with
// the edits not stored yet laid over them. An edit (Do) shows at once, its
// preview built by the command's own code against the copy, and runs on
// the editor off the owner's goroutine, one at a time in order; when the
// editor has stored it (durably), the copy takes the stored diff and the
// edit stops being pending. A watcher reads the editor again whenever its
// revision moves past the copy's (model merges, other screens' edits).
//
// A LabelView belongs to one goroutine, its owner (the UI's): every method
// but Changed must be called there, and what it hands back is shared and
// must not be changed. The editor's results reach the owner through the
// post function given to Open.
type LabelView struct {
	// OnChange, when set, is called on the owner goroutine after every
	// change of the labels shown.
	OnChange func()
	// Now is the clock a previewed sign-off is stamped with; time.Now
	// when nil. The stored sign-off carries the editor's time.
	Now func() time.Time

	l       *labels        // the copy: stored labels with the previews over them
	base    Head           // the editor's history as the stored labels have it
	head    Head           // the history with the previews
	spans   *viewSpans     // live episodes and noise; nil: to be read from l
	gen     uint64         // grows with every change
	pending []*pendingEdit // edits queued or running, oldest first
	marks   map[int64]bool // beats whose shown label is not stored yet
	minRev  uint64         // the oldest editor revision the view may show
	shown   atomic.Uint64  // the editor revision the copy reflects whole
	f       atomic.Pointer[follower]
	dirty   dirtySpan // the beats changed since TakeDirty
}

// dirtySpan is the stretch of samples whose beats changed: [from, to]
// (from > to: none), or every beat.
type dirtySpan struct {
	from, to int64
	all      bool
}

// viewSpans are the live episodes and noise stretches, by ID.
type viewSpans struct {
	eps   []EpisodeEntry
	noise []NoiseEntry
}

// pendingEdit is an edit queued or running, with its preview.
type pendingEdit struct {
	c    Command
	diff Diff // what its preview changed in the copy; empty: not shown
	done func(Diff, error)
}

// NewLabelView returns a view of beats (sorted by sample, not copied)
// without an editor: read only until Open.
func NewLabelView(beats []Beat) *LabelView {
	return &LabelView{l: viewLabels(beats), gen: 1, dirty: dirtySpan{all: true}}
}

// NewLabelSetView returns a read-only view of ls (copied), as
// NewLabelView, for labels that are not edited here.
func NewLabelSetView(ls LabelSet) *LabelView {
	return &LabelView{l: newLabels(ls), gen: 1, dirty: dirtySpan{all: true}}
}

// viewLabels holds beats as they are, with no tombstones or spans.
func viewLabels(beats []Beat) *labels {
	return &labels{beats: beats, tombs: map[int64]Tomb{}, eps: map[EpisodeID]EpisodeEntry{}, noise: map[NoiseID]NoiseEntry{}}
}

// SetBeats shows beats (sorted by sample, not copied) in place of every
// beat, for a view without an editor (reference labels).
func (v *LabelView) SetBeats(beats []Beat) {
	v.l.beats = beats
	v.dirty.all = true
	v.changed()
}

// BeatsIn returns the beats with t0 <= Sample < t1, in sample order.
func (v *LabelView) BeatsIn(t0, t1 int64) []Beat {
	if v == nil {
		return nil
	}
	i, _ := v.l.find(t0)
	j, _ := v.l.find(t1)
	return v.l.beats[i:max(i, j)]
}

// All returns every beat, in sample order.
func (v *LabelView) All() []Beat {
	if v == nil {
		return nil
	}
	return v.l.beats
}

// Len returns the number of beats.
func (v *LabelView) Len() int { return len(v.All()) }

// Beat returns the beat at sample.
func (v *LabelView) Beat(sample int64) (Beat, bool) { return v.l.beat(sample) }

// Nearest returns the beat nearest sample (the earlier one of two as
// near); false when there are none.
func (v *LabelView) Nearest(sample int64) (Beat, bool) {
	bs := v.l.beats
	i, _ := v.l.find(sample)
	switch {
	case len(bs) == 0:
		return Beat{}, false
	case i == len(bs):
		i--
	case i > 0 && sample-bs[i-1].Sample <= bs[i].Sample-sample:
		i--
	}
	return bs[i], true
}

// Next returns the first beat after sample (dir > 0) or the last before it
// (dir < 0) for which ok holds.
func (v *LabelView) Next(sample int64, dir int, ok func(Beat) bool) (Beat, bool) {
	bs := v.l.beats
	if dir > 0 {
		for i, _ := v.l.find(sample + 1); i < len(bs); i++ {
			if ok(bs[i]) {
				return bs[i], true
			}
		}
		return Beat{}, false
	}
	i, _ := v.l.find(sample)
	for i--; i >= 0; i-- {
		if ok(bs[i]) {
			return bs[i], true
		}
	}
	return Beat{}, false
}

// Episodes returns the live episodes, by ID.
func (v *LabelView) Episodes() []EpisodeEntry {
	if v == nil {
		return nil
	}
	return v.liveSpans().eps
}

// Noise returns the live noise stretches, by ID.
func (v *LabelView) Noise() []NoiseEntry {
	if v == nil {
		return nil
	}
	return v.liveSpans().noise
}

func (v *LabelView) liveSpans() *viewSpans {
	if v.spans == nil {
		v.spans = &viewSpans{eps: liveByID(v.l.eps, func(e EpisodeEntry) bool { return !e.Deleted }),
			noise: liveByID(v.l.noise, func(n NoiseEntry) bool { return !n.Deleted })}
	}
	return v.spans
}

// Status returns the label set's status.
func (v *LabelView) Status() Status { return v.l.status }

// Gen returns the generation: it changes whenever the labels shown do.
func (v *LabelView) Gen() uint64 {
	if v == nil {
		return 0
	}
	return v.gen
}

// Pending reports whether the label of the beat at sample is shown but not
// stored yet.
func (v *LabelView) Pending(sample int64) bool { return v != nil && v.marks[sample] }

// Saving returns how many edits wait for the editor.
func (v *LabelView) Saving() int { return len(v.pending) }

// CanUndo reports whether there is (or may be, behind an edit not stored
// yet) a command to undo.
func (v *LabelView) CanUndo() bool { return v.head.Undo != nil }

// CanRedo reports whether there is (or may be) a command to redo.
func (v *LabelView) CanRedo() bool { return v.head.Redo != nil }

// Editor returns the editor the view follows, or nil.
func (v *LabelView) Editor() Editor {
	if f := v.f.Load(); f != nil {
		return f.ed
	}
	return nil
}

// Revision returns the editor revision the copy reflects whole.
func (v *LabelView) Revision() uint64 { return v.shown.Load() }

// changed marks the labels changed and tells OnChange.
func (v *LabelView) changed() {
	v.gen++
	if v.OnChange != nil {
		v.OnChange()
	}
}

// TakeDirty returns the samples [from, to] whose beats changed since the
// last call (from > to: none), or all: every beat may have (the labels
// were read whole). A widget that sums up every beat (the overview) sums
// again only that stretch. Only one widget may take them.
func (v *LabelView) TakeDirty() (from, to int64, all bool) {
	if v == nil {
		return 1, 0, false
	}
	d := v.dirty
	v.dirty = dirtySpan{from: 1, to: 0}
	if d.all {
		return 1, 0, true
	}
	return d.from, d.to, false
}

// apply lays d over the copy.
func (v *LabelView) apply(d Diff) {
	for _, c := range d.Beats {
		switch {
		case v.dirty.from > v.dirty.to:
			v.dirty.from, v.dirty.to = c.Sample, c.Sample
		default:
			v.dirty.from, v.dirty.to = min(v.dirty.from, c.Sample), max(v.dirty.to, c.Sample)
		}
	}
	v.l.apply(d)
	if d.Episodes != nil || d.Noise != nil {
		v.spans = nil
	}
}

// reset replaces the copy with l at head h.
func (v *LabelView) reset(l *labels, h Head) {
	v.l, v.base, v.head, v.spans = l, h, h, nil
	v.dirty.all = true
}
