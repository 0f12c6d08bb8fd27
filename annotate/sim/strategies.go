package sim

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
)

// scratch labels every beat in turn, one key each, inserting the missed
// beats as it passes them.
func (r *reader) scratch() {
	r.phase("scratch", func() {
		ms := sortedMisses(r.missed)
		for _, b := range r.beats() {
			for len(ms) > 0 && ms[0].at < b.Sample {
				r.insert(ms[0])
				ms = ms[1:]
			}
			r.cur.LookedAt++
			r.cur.Inspected++
			r.cur.Keys++
			if r.truth[b.Sample] == annotate.ClassNone {
				r.fix(b)
				continue
			}
			r.err = firstErr(r.err, r.s.Relabel([]int64{b.Sample}, r.truth[b.Sample].Code(), ""))
			r.cur.Relabels++
		}
		for _, m := range ms {
			r.insert(m)
		}
	})
}

// scan pages through full disclosure and fixes every wrong beat it shows.
func (r *reader) scan() {
	pages := int((r.rec.NSamples + r.pageLen() - 1) / r.pageLen())
	r.cur.Keys += pages // open the view, then Page Down
	r.cur.LookedAt += r.s.NumBeats()
	bs, ms := r.pending()
	ms = sortedMisses(ms)
	for _, b := range bs {
		for len(ms) > 0 && ms[0].at < b.Sample {
			r.insert(ms[0])
			ms = ms[1:]
		}
		r.cur.Clicks++
		r.cur.Keys++
		r.cur.Inspected++
		r.fix(b)
	}
	for _, m := range ms {
		r.insert(m)
	}
}

func (r *reader) pageLen() int64 {
	return max(1, int64(r.c.Page.Seconds()*r.rec.Fs))
}

// cardBeats is how many beats of a card a reader looks at.
const cardBeats = 24

// templates walks the gallery and relabels each card whose members are
// mostly another class, when that fixes at least two beats more than it
// breaks.
func (r *reader) templates() {
	ts := r.rec.Templates
	if len(ts) == 0 {
		return
	}
	r.cur.Keys += (len(ts) + r.c.Cards - 1) / max(1, r.c.Cards) // open, then page down
	for _, t := range ts {
		r.cur.LookedAt += min(len(t.Beats), cardBeats)
		r.cur.Inspected += min(len(t.Beats), cardBeats)
		members, k, gain := r.judge(t.Beats)
		if gain < 2 || r.err != nil {
			continue
		}
		r.cur.Clicks++
		r.cur.Keys++
		r.cur.ClusterRelabels++
		r.err = r.s.RelabelSet(members, k.Code(), "template")
	}
}

// judge returns the members present, the class most of them truly are,
// and how many more beats relabelling them all to it fixes than breaks.
func (r *reader) judge(samples []int64) ([]int64, annotate.Class, int) {
	var members []int64
	var want [annotate.ClassQ + 1]int
	var cur []annotate.Beat
	for _, s := range samples {
		b, ok := r.s.Beat(s)
		if !ok {
			continue
		}
		members = append(members, s)
		cur = append(cur, b)
		if k := r.truth[s]; k != annotate.ClassNone {
			want[k]++
		}
	}
	best := annotate.ClassN
	for _, k := range annotate.Classes {
		if want[k] > want[best] {
			best = k
		}
	}
	gain := 0
	for _, b := range cur {
		t, c := r.truth[b.Sample], b.Code.Class()
		switch {
		case t == best && c != best:
			gain++
		case t == c && t != best && t != annotate.ClassNone:
			gain--
		}
	}
	slices.Sort(members)
	return members, best, gain
}

// queue walks the review queue until Patience items in a row needed
// nothing.
func (r *reader) queue() {
	items := review.Queue(r.queueInput(), r.c.Queue)
	if len(items) == 0 {
		return
	}
	r.cur.Keys++ // open the queue
	streak := 0
	for _, it := range items {
		if streak >= r.c.Patience || r.err != nil {
			return
		}
		if r.item(it) {
			streak = 0
		} else {
			streak++
		}
	}
}

// item handles one queue item and reports whether it needed a change.
func (r *reader) item(it review.Item) bool {
	r.cur.LookedAt++
	r.cur.Inspected++
	if it.Kind == review.ItemGap {
		changed := false
		for _, m := range r.missed {
			if m.at > it.Sample && m.at < it.End && !r.inserted[m.at] {
				r.insert(m)
				changed = true
			}
		}
		if !changed {
			r.cur.Keys++
		}
		return changed
	}
	b, ok := r.s.Beat(it.Sample)
	if !ok {
		r.cur.Keys++
		return false
	}
	r.cur.Keys++
	if !r.wrong(b) {
		r.cur.Confirms++
		r.err = firstErr(r.err, r.s.Confirm([]int64{b.Sample}, ""))
		return false
	}
	r.fix(b)
	r.propagate(b.Sample)
	return true
}

// propagate copies the correction at sample to its look-alikes.
func (r *reader) propagate(sample int64) {
	if !r.c.Propagate || r.rec.LookAlikes == nil || r.err != nil {
		return
	}
	if _, ok := r.s.Beat(sample); !ok {
		return
	}
	n, err := review.Propagate(r.s, r.rec.LookAlikes, []int64{sample}, "propagated")
	r.cur.Propagated += n
	r.err = err
}

// queueInput is the review queue's view of the session now.
func (r *reader) queueInput() review.QueueInput {
	beats := r.beats()
	dom := map[int64]annotate.Class{}
	for _, t := range r.rec.Templates {
		t.Summarize(beats)
		for _, s := range t.Beats {
			dom[s] = t.Dominant
		}
	}
	return review.QueueInput{Beats: beats, Model: r.rec.Model, Classes: r.rec.Classes, Accept: r.rec.Accept,
		Dominant: func(s int64) (annotate.Class, bool) { k, ok := dom[s]; return k, ok }}
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
