package ui

import (
	"fmt"
	"slices"
)

// Picking: on the full-disclosure page a Ctrl+click adds the beat nearest
// the click to the picked beats (or takes it out again), and the next edit
// key (a label, Delete, Enter) acts on all of them at once. A plain click,
// Esc, keyboard selection or the edit itself clears them. A reader
// scanning a page of scattered wrong beats of one kind fixes them with one
// click each and one key, not a click and a key each. A Shift+click picks
// every beat from the beat picked last to the one clicked (a run of wrong
// beats is two clicks); a Shift+click with nothing picked picks one beat.

// pick adds the beat nearest sample to the picked beats, or removes it.
func (r *RecordScreen) pick(sample int64) {
	bt, ok := r.labels.Nearest(sample)
	if !ok {
		return
	}
	s := bt.Sample
	if k, found := slices.BinarySearch(r.picked, s); found {
		r.picked = slices.Delete(r.picked, k, k+1)
		r.pickFrom = -1
	} else {
		r.picked = slices.Insert(r.picked, k, s)
		r.pickFrom = s
	}
	r.showPicks()
}

// pickTo adds every beat from the beat picked last to the beat nearest
// sample (both included) to the picked beats.
func (r *RecordScreen) pickTo(sample int64) {
	bt, ok := r.labels.Nearest(sample)
	if !ok {
		return
	}
	to := bt.Sample
	if len(r.picked) == 0 || r.pickFrom < 0 {
		r.pick(to)
		return
	}
	a, b := min(r.pickFrom, to), max(r.pickFrom, to)
	for _, bt := range r.labels.BeatsIn(a, b+1) {
		if k, found := slices.BinarySearch(r.picked, bt.Sample); !found {
			r.picked = slices.Insert(r.picked, k, bt.Sample)
		}
	}
	r.pickFrom = to
	r.showPicks()
}

// showPicks says what is picked and marks it on the page.
func (r *RecordScreen) showPicks() {
	r.status.SetText(r.pickText())
	r.Disclosure.Refresh()
}

// pickText says what the picked beats are and what the keys do with them.
func (r *RecordScreen) pickText() string {
	switch n := len(r.picked); n {
	case 0:
		return "No beats picked."
	case 1:
		return "1 beat picked (Ctrl+click picks more, Shift+click a run): a label key relabels it, Delete deletes it, Esc clears."
	default:
		return fmt.Sprintf("%s picked (Ctrl+click picks more, Shift+click a run): a label key relabels them all, Delete deletes them, Esc clears.", Count(n, "beat"))
	}
}

// clearPicks forgets the picked beats.
func (r *RecordScreen) clearPicks() {
	if len(r.picked) == 0 {
		return
	}
	r.picked, r.pickFrom = nil, -1
	r.Disclosure.Refresh()
}
