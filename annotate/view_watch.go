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
			from := v.shown.Load()
			if rev := f.ed.Revision(); rev == from || rev == seen {
				continue
			}
			if ds, h, ok := diffsSince(f.ed, from); ok {
				// not seen: if the owner drops these (it moved on), the
				// next check tries again from where it stands
				f.post(func() { v.caughtUp(f, from, ds, h) })
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

// diffsSince returns what ed's commits after revision rev changed, when ed
// keeps them (a Session keeps its latest few hundred).
func diffsSince(ed Editor, rev uint64) ([]Diff, Head, bool) {
	if s, ok := ed.(*Session); ok {
		return s.diffsSince(rev)
	}
	return nil, Head{}, false
}

// caughtUp lays ds, the stored diffs after revision from up to head h,
// over the copy, unless the view follows another editor now or no longer
// shows from (an edit of its own was stored meanwhile: the watcher asks
// again). Catching up costs what changed, not a copy of the label set.
func (v *LabelView) caughtUp(f *follower, from uint64, ds []Diff, h Head) {
	if v.f.Load() != f || v.shown.Load() != from || h.Rev < v.minRev {
		return
	}
	v.unpreview()
	for _, d := range ds {
		v.apply(d)
	}
	v.base, v.head, v.minRev = h, h, h.Rev
	v.shown.Store(h.Rev)
	v.repreview()
	v.changed()
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
		from := v.shown.Load()
		if ds, h, ok := diffsSince(f.ed, from); ok {
			v.caughtUp(f, from, ds, h)
			return
		}
		l, h := readLabels(f.ed)
		v.watched(f, l, h)
	}
}
