package annotate

import (
	"context"
	"time"
)

// watchInterval is how often a view checks its editor for changes it did
// not make itself (model merges, edits from another screen). watchGap is
// the least time between two reads, so a stream of merges costs the owner
// goroutine a few updates a second, not one per merge.
const (
	watchInterval = 250 * time.Millisecond
	watchGap      = 200 * time.Millisecond
)

// watcher reads the editor's labels off the owner goroutine whenever their
// revision moves past the view's, and hands them to the owner whole: the
// owner never waits for the session's lock, which a model merge holds
// while it commits.
type watcher struct {
	poke   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// startWatch starts watching f's editor for v, whose labels at revision
// seen are shown; what it reads goes to v's owner through f.post.
func startWatch(v *LabelView, f *follower, seen uint64) *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{poke: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(watchInterval)
		defer t.Stop()
		last := time.Time{}
		for w.wait(ctx, t.C, watchGap-time.Since(last)) {
			last = time.Now()
			if rev := f.ed.Revision(); rev == v.shown.Load() || rev == seen {
				continue
			}
			l, h := readLabels(f.ed)
			seen = h.Rev
			f.post(func() { v.watched(f, l, h) })
		}
	}()
	return w
}

// wait waits for a tick or a poke and then at least gap more; false when
// the watcher is stopped.
func (w *watcher) wait(ctx context.Context, tick <-chan time.Time, gap time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-tick:
	case <-w.poke:
	}
	if gap <= 0 {
		return true
	}
	select { // merges may come 30 a second
	case <-ctx.Done():
		return false
	case <-time.After(gap):
		return true
	}
}

// stop stops the watcher and waits for it.
func (w *watcher) stop() {
	w.cancel()
	<-w.done
}

// readLabels reads ed's whole label set into the copy form.
func readLabels(ed Editor) (*labels, Head) {
	ls, h := ed.Read()
	return newLabels(ls), h
}

// watched shows labels l read at head h unless the view follows another
// editor now or already shows a newer revision (an edit of its own since).
func (v *LabelView) watched(f *follower, l *labels, h Head) {
	if v.f.Load() != f || h.Rev < v.minRev {
		return
	}
	v.minRev = h.Rev
	v.shown.Store(h.Rev)
	v.reset(l, h)
	v.repreview()
	v.changed()
}

// Changed tells the view that its editor's labels changed elsewhere (a
// model merge, another screen's edit), so it reads them now instead of at
// the next check. It may be called from any goroutine and never blocks;
// an inline view reads on the calling goroutine, which must be its owner.
func (v *LabelView) Changed() {
	f := v.f.Load()
	switch {
	case f == nil:
	case f.watch != nil:
		select {
		case f.watch.poke <- struct{}{}:
		default:
		}
	default:
		l, h := readLabels(f.ed)
		v.watched(f, l, h)
	}
}
