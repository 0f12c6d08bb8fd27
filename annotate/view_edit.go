package annotate

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrReadOnly is the error of an edit on a LabelView without an editor.
var ErrReadOnly = errors.New("annotate: the labels are read only: no editor")

// Editor is the session a LabelView follows and edits through; *Session
// implements it. Run stores a command durably before it returns nil.
type Editor interface {
	Reader() ReaderID
	Revision() uint64
	Read() (LabelSet, Head)
	Run(c Command) (Diff, Head, error)
}

var _ Editor = (*Session)(nil)

// follower is how a view follows its editor: the results of the editor
// reach the owner goroutine through post (nil: inline, at once on the
// calling goroutine, with no queue or watcher).
type follower struct {
	ed    Editor
	post  func(func())
	queue *editQueue
	watch *watcher
}

// Open makes the view show ed's labels and follow them, and Do edit
// through ed (nil: read only, keeping the labels shown). post runs a
// function on the owner goroutine, in order, from any goroutine; with post
// nil the view is inline: edits run at once on the calling goroutine and
// Changed reads on it, with no goroutines (for tests under a driver that
// runs everything on one goroutine). Edits queued for a previous editor
// are run first.
func (v *LabelView) Open(ed Editor, post func(func())) {
	v.Close()
	v.pending, v.marks, v.minRev = nil, nil, 0
	if ed == nil {
		v.changed()
		return
	}
	ls, h := ed.Read()
	v.reset(newLabels(ls), h)
	v.minRev = h.Rev
	v.shown.Store(h.Rev)
	f := &follower{ed: ed, post: post}
	if post != nil {
		f.queue = newEditQueue()
		f.watch = startWatch(v, f, h.Rev)
	}
	v.f.Store(f)
	v.changed()
}

// Close runs the queued edits, stops following the editor and waits for
// the view's goroutines. The labels stay shown, read only.
func (v *LabelView) Close() {
	f := v.f.Swap(nil)
	if f == nil {
		return
	}
	if f.queue != nil {
		f.queue.close()
	}
	if f.watch != nil {
		f.watch.stop()
	}
}

// Do shows c at once (its preview, marked pending) and has the editor run
// it; when the editor has stored it, the copy takes what it stored, and
// done (when not nil) is called on the owner goroutine with the stored
// diff. An edit the editor refuses is taken back from the copy and done
// gets the error. Without an editor, done gets ErrReadOnly at once.
func (v *LabelView) Do(c Command, done func(Diff, error)) {
	f := v.f.Load()
	if f == nil {
		if done != nil {
			done(Diff{}, fmt.Errorf("%s: %w", c.Action(), ErrReadOnly))
		}
		return
	}
	p := &pendingEdit{c: c, done: done}
	v.pending = append(v.pending, p)
	v.preview(p)
	v.mark()
	v.changed()
	job := func() {
		d, h, err := f.ed.Run(c)
		f.onOwner(func() { v.stored(f, p, d, h, err) })
	}
	if f.queue == nil {
		job()
		return
	}
	f.queue.jobs <- job
}

// onOwner runs fn on the owner goroutine (at once when inline).
func (f *follower) onOwner(fn func()) {
	if f.post == nil {
		fn()
		return
	}
	f.post(fn)
}

// viewEnv is what previews build with: the reader, the view's clock and
// the history with the previews so far.
func (v *LabelView) viewEnv(ed Editor) cmdEnv {
	now := v.Now
	if now == nil {
		now = time.Now
	}
	return cmdEnv{reader: ed.Reader(), now: now, undo: v.head.Undo, redo: v.head.Redo}
}

// unknown stands for a stack top the view cannot know before the editor
// tells it (the entry under one a previewed undo pops).
var unknown = &Entry{}

// preview lays p over the copy, built by its command's own code, and moves
// the history as the editor will; p shows nothing when its command fails
// on the copy, or is an undo (redo) whose entry the view does not know.
func (v *LabelView) preview(p *pendingEdit) {
	p.diff = Diff{}
	env := v.viewEnv(v.f.Load().ed)
	_, isUndo := p.c.(Undo)
	_, isRedo := p.c.(Redo)
	if (isUndo && env.undo == unknown) || (isRedo && env.redo == unknown) {
		v.head.Undo, v.head.Redo = unknown, unknown
		return
	}
	kind, e, d, err := plan(p.c, v.l, env)
	if err != nil || (d.Empty() && kind == CommitDo) {
		return
	}
	v.apply(d)
	p.diff = d
	switch kind {
	case CommitDo:
		v.head.Undo, v.head.Redo = &Entry{Edit: e, Diff: d}, nil
	case CommitUndo:
		v.head.Undo, v.head.Redo = unknown, &Entry{Edit: e, Diff: d.Inverse()}
	case CommitRedo:
		v.head.Undo, v.head.Redo = &Entry{Edit: e, Diff: d}, unknown
	}
}

// unpreview takes every preview back off the copy, newest first, so the
// copy holds the stored labels alone.
func (v *LabelView) unpreview() {
	for _, p := range slices.Backward(v.pending) {
		if !p.diff.Empty() {
			v.apply(p.diff.Inverse())
		}
	}
	v.head = v.base
}

// repreview lays the previews of the pending edits over the stored labels
// again, oldest first, each built against the labels the ones before it
// leave, and marks their beats.
func (v *LabelView) repreview() {
	for _, p := range v.pending {
		v.preview(p)
	}
	v.mark()
}

// mark marks the beats of the previews shown as not stored yet.
func (v *LabelView) mark() {
	clear(v.marks)
	for _, p := range v.pending {
		for _, c := range p.diff.Beats {
			if v.marks == nil {
				v.marks = map[int64]bool{}
			}
			v.marks[c.Sample] = true
		}
	}
}

// stored shows what the editor stored for p (d, leaving its history at h),
// or takes p back after err. When p's commit came right after the revision
// the copy reflects whole, the copy reflects p's whole too; else the
// watcher reads the editor again.
func (v *LabelView) stored(f *follower, p *pendingEdit, d Diff, h Head, err error) {
	if v.f.Load() != f {
		return // the view follows another editor now
	}
	v.unpreview()
	v.pending = slices.DeleteFunc(v.pending, func(q *pendingEdit) bool { return q == p })
	if err == nil && h.Rev >= v.minRev { // else a newer read holds it already
		v.apply(d)
		v.base, v.head, v.minRev = h, h, h.Rev
		if shown := v.shown.Load(); h.Rev == shown+1 || h.Rev == shown {
			v.shown.Store(h.Rev)
		}
	}
	v.repreview()
	v.changed()
	if p.done != nil {
		p.done(d, err)
	}
}

// editQueue runs the editor's commands one at a time, in order, off the
// owner goroutine: a command waits there while a model merge holds the
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
