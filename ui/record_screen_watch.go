package ui

import (
	"context"
	"math"
	"time"

	"fyne.io/fyne/v2"
)

// watchInterval is how often the screen checks the editor for changes it
// did not make itself (model merges, edits from the template screen).
// watchGap is the least time between two reads, so a stream of merges
// costs the UI goroutine a few updates a second, not one per merge.
const (
	watchInterval = 250 * time.Millisecond
	watchGap      = 200 * time.Millisecond
)

// watcher reads the editor's labels off the UI goroutine whenever their
// revision moves, and hands them to the UI goroutine whole: drawing never
// waits for the session's lock, which a model merge holds while it commits.
type watcher struct {
	poke   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// startWatch starts watching ed, whose labels at revision seen are shown.
// r.shown holds the revision the screen's copy reflects whole: the
// watcher reads only when the editor has moved past it.
func (r *RecordScreen) startWatch(ed Editor, seen uint64) {
	r.shown.Store(seen)
	if r.Inline { // Changed reads on the caller's goroutine instead
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{poke: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	r.watch = w
	go func() {
		defer close(w.done)
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		last := time.Time{}
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-w.poke:
			}
			if wait := watchGap - time.Since(last); wait > 0 { // merges may come 30 a second
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			}
			last = time.Now()
			if rev := ed.Revision(); rev == r.shown.Load() || rev == seen {
				continue
			}
			u := ReadUpdate(ed, 0, math.MaxInt64)
			seen = u.Rev
			fyne.Do(func() { r.applyWatched(ed, u) })
		}
	}()
}

// applyWatched shows u unless the screen has moved on to another editor or
// already shows a newer revision (an edit of its own since u was read).
func (r *RecordScreen) applyWatched(ed Editor, u LabelUpdate) {
	if r.editor != ed || u.Rev < r.minRev {
		return
	}
	r.minRev = u.Rev
	r.shown.Store(u.Rev)
	r.Update(u)
}

// stopWatch stops the watcher, if any, and waits for it.
func (r *RecordScreen) stopWatch() {
	if w := r.watch; w != nil {
		w.cancel()
		<-w.done
		r.watch = nil
	}
}

// Changed tells the screen that its editor's labels changed elsewhere (a
// model merge, another screen's edit), so it reads them at once instead of
// at the next check. It may be called from any goroutine and never blocks
// (an Inline screen, which has no watcher, reads on the caller's goroutine).
func (r *RecordScreen) Changed() {
	if ed := r.editor; r.Inline && ed != nil {
		r.applyWatched(ed, ReadUpdate(ed, 0, math.MaxInt64))
		return
	}
	if w := r.watch; w != nil {
		select {
		case w.poke <- struct{}{}:
		default:
		}
	}
}
