package ui

import (
	"fmt"
	"math"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
)

// command is one edit as the record screen hands it to the editor: what
// it does, the samples it changes (nil: read everything back), how it
// looks before the editor has stored it, and what follows once stored.
type command struct {
	act     annotate.Action
	touched []int64
	run     func(Editor) error
	preview func(l *Labels) // nil: nothing to show before it is stored
	then    func()          // on the UI goroutine, after it is stored
}

// pendingEdit is a command queued or running, whose preview is shown.
type pendingEdit struct {
	c    command
	keyT time.Time
}

// editQueue runs the editor's commands one at a time, in order, off the
// UI goroutine: a command waits there while a model merge holds the
// session, and the reader keeps reading and typing meanwhile.
type editQueue struct {
	jobs chan func()
	done chan struct{}
}

func newEditQueue() *editQueue {
	q := &editQueue{jobs: make(chan func(), 1024), done: make(chan struct{})}
	go func() {
		defer close(q.done)
		for j := range q.jobs {
			j()
		}
	}()
	return q
}

// close runs what is queued and stops: no accepted edit is dropped.
func (q *editQueue) close() {
	close(q.jobs)
	<-q.done
}

// do shows c's preview at once, marks its beats as being saved, and has
// the editor run c; when the editor has stored it, the labels it touched
// are read back and shown as done. A command the editor refuses is taken
// back from the screen and the reader told why.
func (r *RecordScreen) do(c command) {
	ed := r.editor
	if ed == nil {
		r.showError(fmt.Errorf("%s: %w", c.act, ErrNoEditor))
		return
	}
	r.clearPicks() // the edit has taken them
	p := &pendingEdit{c: c, keyT: r.keyAt}
	if c.preview != nil {
		r.pending = append(r.pending, p)
		c.preview(r.labels)
		r.labels.markPending(c.touched, true)
		r.labelsChanged()
	}
	job := func() {
		prev := r.shown.Load()
		err := c.run(ed)
		var u LabelUpdate
		if err == nil {
			u = readBack(ed, c.act, c.touched)
		}
		r.onUI(func() { r.stored(ed, p, u, prev, err) })
	}
	if r.Inline || r.queue == nil {
		job()
		return
	}
	r.queue.jobs <- job
}

// onUI runs f on the UI goroutine (at once when Inline).
func (r *RecordScreen) onUI(f func()) {
	switch {
	case r.Inline:
		f()
	case r.post != nil:
		r.post(f)
	default:
		fyne.Do(f)
	}
}

// readBack reads what a stored command changed: the beats around touched
// (and the spans after an edit of them), or everything.
func readBack(ed Editor, a annotate.Action, touched []int64) LabelUpdate {
	if len(touched) == 0 {
		return ReadUpdate(ed, 0, math.MaxInt64)
	}
	lo, hi := slices.Min(touched)-editMargin, slices.Max(touched)+editMargin+1
	if spanActions[a] {
		return ReadUpdate(ed, lo, hi)
	}
	u := LabelUpdate{Rev: ed.Revision(), Start: lo, End: hi, Beats: ed.BeatsIn(lo, hi), Status: ed.Status(), keepSpans: true}
	if e, ok := ed.CanUndo(); ok {
		u.Undo = &e
	}
	if e, ok := ed.CanRedo(); ok {
		u.Redo = &e
	}
	return u
}

// stored shows a command's result (or takes it back after err), on the UI
// goroutine. prev is the revision the copy reflected whole before it.
func (r *RecordScreen) stored(ed Editor, p *pendingEdit, u LabelUpdate, prev uint64, err error) {
	r.pending = slices.DeleteFunc(r.pending, func(q *pendingEdit) bool { return q == p })
	if ed != r.editor {
		return
	}
	r.labels.markPending(p.c.touched, false)
	if err != nil {
		u = ReadUpdate(ed, 0, math.MaxInt64) // take the preview back
	}
	r.minRev = max(r.minRev, u.Rev)
	if u.full() || u.Rev == prev+1 {
		r.shown.Store(u.Rev)
	}
	r.Update(u)
	if err != nil {
		r.showError(fmt.Errorf("%s: %w", p.c.act, err))
		return
	}
	if !p.keyT.IsZero() && r.OnKeyStored != nil {
		r.OnKeyStored(time.Since(p.keyT))
	}
	if r.OnEdit != nil {
		r.OnEdit(p.c.act, p.c.touched)
	}
	if p.c.then != nil {
		p.c.then()
	}
}

// reapply lays the previews of the commands not stored yet over labels
// just read from the editor.
func (r *RecordScreen) reapply() {
	for _, p := range r.pending {
		p.c.preview(r.labels)
		r.labels.markPending(p.c.touched, true)
	}
}

// Saving reports how many edits are waiting for the editor.
func (r *RecordScreen) Saving() int { return len(r.pending) }

// readerBeat is how a beat the reader sets looks before it is stored.
func (r *RecordScreen) readerBeat(b annotate.Beat, c annotate.Code) annotate.Beat {
	b.Code, b.Review, b.Prov = c, annotate.Changed, r.readerProv()
	return b
}

func (r *RecordScreen) previewRelabel(samples []int64, c annotate.Code) func(*Labels) {
	return func(l *Labels) {
		for _, s := range samples {
			if i := l.beatAt(s); i >= 0 {
				l.beats[i] = r.readerBeat(l.beats[i], c)
			}
		}
	}
}

func previewConfirm(samples []int64) func(*Labels) {
	return func(l *Labels) {
		for _, s := range samples {
			if i := l.beatAt(s); i >= 0 && l.beats[i].Review == annotate.Unreviewed {
				l.beats[i].Review = annotate.Confirmed
			}
		}
	}
}

func previewDelete(samples []int64) func(*Labels) {
	return func(l *Labels) {
		for _, s := range samples {
			if i := l.beatAt(s); i >= 0 {
				l.beats = slices.Delete(l.beats, i, i+1)
			}
		}
	}
}

func (r *RecordScreen) previewInsert(at int64, c annotate.Code) func(*Labels) {
	return func(l *Labels) { l.put(r.readerBeat(annotate.Beat{Sample: at}, c)) }
}

func (r *RecordScreen) previewMove(from, to int64) func(*Labels) {
	return func(l *Labels) {
		if i := l.beatAt(from); i >= 0 {
			b := l.beats[i]
			l.beats = slices.Delete(l.beats, i, i+1)
			b.Sample, b.Review = to, annotate.Changed // the label keeps its provenance
			l.put(b)
		}
	}
}
