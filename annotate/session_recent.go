package annotate

import (
	"cmp"
	"slices"
)

// recentMax bounds the session's log of recent commits: at most this many
// beat changes (a few hundred pipeline chunks) are kept for views that
// catch up by diffs; a view further behind reads the whole label set.
const recentMax = 1 << 17

// revDiff is one stored commit's diff and the revision it made.
type revDiff struct {
	rev uint64
	d   Diff
}

// recentLog is the session's diffs of its latest commits, oldest first,
// so a view that shows revision r can take only what changed since r
// instead of a copy of the whole label set (a 14-day record holds over a
// million beats, and a pre-annotation commits dozens of chunks a second).
type recentLog struct {
	diffs []revDiff
	beats int // beat changes in diffs
}

// add records the diff d that made revision rev, dropping the oldest ones
// beyond recentMax beat changes.
func (r *recentLog) add(rev uint64, d Diff) {
	if n := len(r.diffs); n > 0 && r.diffs[n-1].rev+1 != rev {
		r.diffs, r.beats = r.diffs[:0], 0 // a gap: what came before cannot be chained
	}
	r.diffs = append(r.diffs, revDiff{rev: rev, d: d})
	r.beats += len(d.Beats)
	drop := 0
	for r.beats > recentMax && drop < len(r.diffs)-1 {
		r.beats -= len(r.diffs[drop].d.Beats)
		drop++
	}
	if drop > 0 {
		r.diffs = slices.Delete(r.diffs, 0, drop)
	}
}

// since returns the diffs of the revisions after rev up to the newest,
// oldest first (shared: they must not be changed); false when the log no
// longer holds them all.
func (r *recentLog) since(rev uint64) ([]Diff, bool) {
	i, ok := slices.BinarySearchFunc(r.diffs, rev+1, func(e revDiff, x uint64) int { return cmp.Compare(e.rev, x) })
	if !ok {
		return nil, false
	}
	out := make([]Diff, 0, len(r.diffs)-i)
	for _, e := range r.diffs[i:] {
		out = append(out, e.d)
	}
	return out, true
}

// diffsSince returns what the session's commits after revision rev
// changed, oldest first, and where its history stands now; false when rev
// is too old (or newer than the session's): read the whole set then.
func (s *Session) diffsSince(rev uint64) ([]Diff, Head, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rev == s.rev {
		return nil, s.head(), true
	}
	if rev > s.rev {
		return nil, Head{}, false
	}
	ds, ok := s.recent.since(rev)
	return ds, s.head(), ok
}
