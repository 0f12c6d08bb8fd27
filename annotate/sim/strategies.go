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
	pl := r.pageLen()
	pages := (r.rec.NSamples + pl - 1) / pl
	r.cur.Keys += int(pages) // open the view, then Page Down
	r.cur.LookedAt += r.s.NumBeats()
	for p := int64(0); p < pages && r.err == nil; p++ {
		r.scanPage(p*pl, (p+1)*pl)
		if p < pages-1 { // after the last page the adapter has nothing left to relabel
			r.pageDone(p*pl, (p+1)*pl)
		}
	}
	if _, ms := r.pending(); len(ms) > 0 { // reference beats past the last page
		for _, m := range ms {
			r.insert(m)
		}
	}
}

// scanPage fixes the page [t0, t1): missed beats are inserted, then the
// wrong beats fixed one by one (click, key), or with Costs.MultiSelect
// clicked into one selection per fix and fixed with one key. With
// propagation, a fix may change beats of the page already passed: the
// reader looks again until the page is right, then confirms what is shown
// (one key), so later propagations leave the page alone.
func (r *reader) scanPage(t0, t1 int64) {
	for _, m := range sortedMisses(r.missed) {
		if m.at >= t0 && m.at < t1 && !r.inserted[m.at] {
			r.insert(m)
		}
	}
	for pass := 0; r.fixPage(t0, t1) && (r.propagating() || r.adaptsInScan()) && pass < 100; pass++ {
	}
	if r.propagating() {
		r.confirmShown(t0, t1)
	}
}

// confirmShown confirms every unreviewed beat of the page [t0, t1) with
// one key (the window's c).
func (r *reader) confirmShown(t0, t1 int64) {
	if r.err != nil {
		return
	}
	var shown []int64
	for _, b := range r.s.BeatsIn(t0, t1) {
		if b.Review == annotate.Unreviewed {
			shown = append(shown, b.Sample)
		}
	}
	if len(shown) > 0 {
		r.cur.Keys++
		r.cur.Confirms += len(shown)
		r.err = r.s.Confirm(shown, "page checked")
	}
}

// pageDone, in strategy d with Costs.ConfirmPages, confirms the page just
// put right (its beats teach the adapter) and lets the adapter learn from
// it before the next page is shown, as the window adapts after every edit.
// Without ConfirmPages the adapter is left out of the scan: a page already
// scanned holds adaptable beats it could make wrong again.
func (r *reader) pageDone(t0, t1 int64) {
	if r.st != Adaptive || !r.c.ConfirmPages || r.propagating() {
		return
	}
	r.confirmShown(t0, t1)
	r.adapt()
}

// fixPage fixes the wrong beats of [t0, t1) and reports whether there
// were any.
func (r *reader) fixPage(t0, t1 int64) bool {
	if r.c.RangeSelect && r.c.MultiSelect {
		return r.fixPageRanges(t0, t1)
	}
	groups := map[annotate.Class][]int64{}
	any := false
	for _, b := range r.s.BeatsIn(t0, t1) {
		if b, ok := r.s.Beat(b.Sample); !ok || !r.wrong(b) || r.err != nil {
			continue // gone, or put right by a propagation on this page
		}
		any = true
		r.cur.Clicks++
		r.cur.Inspected++
		if r.c.MultiSelect {
			groups[r.truth[b.Sample]] = append(groups[r.truth[b.Sample]], b.Sample)
			continue
		}
		r.cur.Keys++
		r.fix(b)
		r.propagate(b.Sample)
	}
	r.fixGroups(groups)
	return any
}

// fixPageRanges fixes the wrong beats of [t0, t1) by picking runs: a run
// is a stretch of consecutive beats that should all be one class (false
// beats: deleted). One wrong beat in a run is a Ctrl+click; more are a
// Ctrl+click on the first and a Shift+click on the last, which picks
// the beats between too (as the window's Shift+click: the key relabels
// them all, so those already right become confirmed reader labels). Then
// one key a class fixes what is picked: at the page's end, or in strategy
// d with Costs.AdaptEvery > 0 as soon as AdaptEvery wrong beats are
// picked (at the end of a run), after which the adapter, which the window
// runs after each edit, relabels the beats ahead before the reader goes
// on with the labels it then shows. It reports whether anything was wrong.
func (r *reader) fixPageRanges(t0, t1 int64) bool {
	p := picks{groups: map[annotate.Class][]int64{}}
	any := false
	for _, b := range r.s.BeatsIn(t0, t1) {
		b, ok := r.s.Beat(b.Sample) // as shown now: an adapter run may have relabelled it
		if !ok {
			continue
		}
		want, known := r.truth[b.Sample]
		if p.inRun && (!known || want != p.class) {
			r.endRun(&p)
			if r.flushDue(p.wrong) {
				any = r.flush(&p, t0, b.Sample) || any
			}
		}
		if !known {
			continue
		}
		p.class, p.inRun = want, true
		if r.wrong(b) {
			p.run = append(p.run, b.Sample)
		}
	}
	if p.inRun {
		r.endRun(&p)
	}
	return r.flush(&p, t0, t1) || any
}

// picks are the beats picked on a page and not yet fixed.
type picks struct {
	groups map[annotate.Class][]int64 // by the class they should be (ClassNone: false beats)
	wrong  int                        // wrong beats picked
	run    []int64                    // the wrong beats of the current run
	class  annotate.Class             // the current run's class
	inRun  bool
}

// endRun picks the current run: one click for a single wrong beat, a
// click and a Shift+click for more, which picks every beat between.
func (r *reader) endRun(p *picks) {
	r.cur.Clicks += min(len(p.run), 2)
	r.cur.Inspected += len(p.run)
	p.wrong += len(p.run)
	if len(p.run) >= 2 && p.class != annotate.ClassNone {
		for _, b := range r.s.BeatsIn(p.run[0], p.run[len(p.run)-1]+1) {
			p.groups[p.class] = append(p.groups[p.class], b.Sample)
		}
	} else {
		p.groups[p.class] = append(p.groups[p.class], p.run...)
	}
	p.run, p.inRun = nil, false
}

// flushDue reports whether the reader fixes what it picked now, before the
// page's end: strategy d with Costs.AdaptEvery > 0, once that many wrong
// beats are picked.
func (r *reader) flushDue(wrong int) bool {
	return r.adaptsInScan() && r.c.AdaptEvery > 0 && wrong >= r.c.AdaptEvery
}

// adaptsInScan reports whether the adapter runs after the reader's fixes
// in the scan (strategy d with Costs.AdaptEvery set).
func (r *reader) adaptsInScan() bool {
	return r.st == Adaptive && r.c.AdaptEvery != 0 && !r.propagating()
}

// flush fixes the picked beats (one key a class) and, when the adapter
// runs in the scan, lets it learn from them; it reports whether anything
// was picked.
func (r *reader) flush(p *picks, t0, upto int64) bool {
	any := r.fixGroups(p.groups)
	p.groups, p.wrong = map[annotate.Class][]int64{}, 0
	if any && r.adaptsInScan() {
		r.seen(t0, upto)
		r.adapt()
	}
	return any
}

// seen, with Costs.SeenAgreed, takes the beats of [t0, upto) the reader
// has passed (all right now) as agreed: confirmed at no cost.
func (r *reader) seen(t0, upto int64) {
	if !r.c.SeenAgreed || r.err != nil {
		return
	}
	var passed []int64
	for _, b := range r.s.BeatsIn(t0, upto) {
		if b.Review == annotate.Unreviewed && !r.wrong(b) {
			passed = append(passed, b.Sample)
		}
	}
	if len(passed) > 0 {
		r.cur.Seen += len(passed)
		r.err = r.s.Confirm(passed, "passed in full disclosure")
	}
}

// fixGroups fixes the picked beats, one key a class (false beats first:
// Delete), and reports whether there were any.
func (r *reader) fixGroups(groups map[annotate.Class][]int64) bool {
	any := false
	for _, k := range append([]annotate.Class{annotate.ClassNone}, annotate.Classes...) {
		if len(groups[k]) > 0 {
			any = true
			r.cur.Keys++
			r.fixAll(groups[k], k)
		}
	}
	return any
}

// fixAll gives the beats at samples class k (ClassNone: deletes them) in
// one command, and propagates from each it put right; those already right
// (picked between two wrong ones by a Shift+click) become confirmed.
func (r *reader) fixAll(samples []int64, k annotate.Class) {
	if r.err != nil {
		return
	}
	if k == annotate.ClassNone {
		r.err = r.s.Delete(samples, "false beats")
		r.cur.Deletes += len(samples)
		return
	}
	var fixed []int64
	for _, s := range samples {
		if b, ok := r.s.Beat(s); ok && r.wrong(b) {
			fixed = append(fixed, s)
		}
	}
	r.err = r.s.Relabel(samples, k.Code(), "")
	r.cur.Relabels += len(fixed)
	r.cur.Confirms += len(samples) - len(fixed)
	for _, s := range fixed {
		r.propagate(s)
	}
}

func (r *reader) pageLen() int64 {
	return max(1, int64(r.c.Page.Seconds()*r.rec.Fs))
}

// cardBeats is how many beats of a card a reader looks at.
const cardBeats = 24

// templates walks the gallery and relabels each card whose members are
// mostly another class, when that fixes at least two beats more than it
// breaks; with a Splitter it first splits a card that would leave at least
// two beats wrong, up to Costs.SplitDepth times.
func (r *reader) templates() {
	ts := r.rec.Templates
	if len(ts) == 0 {
		return
	}
	r.cur.Keys += (len(ts) + r.c.Cards - 1) / max(1, r.c.Cards) // open, then page down
	for _, t := range ts {
		r.card(t.ID, t.Beats, 0)
	}
}

// card handles one template card at split depth d: a card that would
// leave at least Costs.SplitMin beats wrong is split, up to
// Costs.SplitDepth times; then the card is relabelled if that pays.
func (r *reader) card(id int, beats []int64, d int) {
	if r.err != nil {
		return
	}
	r.cur.LookedAt += min(len(beats), cardBeats)
	r.cur.Inspected += min(len(beats), cardBeats)
	members, k, gain, left := r.judge(beats)
	if r.splitPremature(id, members, left, d) {
		return
	}
	if left >= max(2, r.c.SplitMin) && d < r.c.SplitDepth && r.rec.Splitter != nil && len(members) >= 4 {
		if other, err := r.rec.Splitter.Split(id); err == nil {
			r.cur.Clicks++ // click the card
			r.cur.Keys++   // split key
			r.cur.Splits++
			r.split(id, other, d+1)
			return
		}
	}
	if r.c.MixRelabel {
		r.mixRelabel(members)
		_, k, gain, _ = r.judge(members)
	}
	if gain >= 2 {
		r.relabelSet(members, k)
		return
	}
	r.confirmCard(members)
}

// splitPremature splits a fresh card (depth 0) that would leave at least
// two beats wrong and visibly holds both N and S beats (mixesNS) by
// prematurity (a click, P), then handles the two parts; it reports whether
// it did.
func (r *reader) splitPremature(id int, members []int64, left, d int) bool {
	if !r.c.PrematuritySplit || d > 0 || left < 2 || r.rec.Splitter == nil || !r.mixesNS(members) {
		return false
	}
	other, err := r.rec.Splitter.SplitPremature(id)
	if err != nil {
		return false
	}
	r.cur.Clicks++
	r.cur.Keys++
	r.cur.Splits++
	r.split(id, other, d+1)
	return true
}

// mixesNS reports whether the reference has both N and S beats among
// samples, the fewer of them at least 4 and a tenth of the card: what a
// reader sees as one shape with two rhythms, worth a split.
func (r *reader) mixesNS(samples []int64) bool {
	var n, s int
	for _, x := range samples {
		switch r.truth[x] {
		case annotate.ClassN:
			n++
		case annotate.ClassS:
			s++
		}
	}
	return min(n, s) >= max(4, len(samples)/10)
}

// relabelSet relabels a card, or a part of it: a click and a class key.
func (r *reader) relabelSet(samples []int64, k annotate.Class) {
	r.cur.Clicks++
	r.cur.Keys++
	r.cur.ClusterRelabels++
	r.err = firstErr(r.err, r.s.RelabelSet(samples, k.Code(), "template"))
}

// mixRelabel relabels the members of a card that carry one label now
// (a click on that entry of the card's label mix selects them) when that
// fixes at least two beats more than it breaks.
func (r *reader) mixRelabel(members []int64) {
	groups := map[annotate.Class][]int64{}
	for _, s := range members {
		if b, ok := r.s.Beat(s); ok {
			groups[b.Code.Class()] = append(groups[b.Code.Class()], s)
		}
	}
	for _, c := range annotate.Classes {
		if len(groups[c]) == 0 || len(groups) < 2 {
			continue
		}
		if g, k, gain, _ := r.judge(groups[c]); gain >= 2 {
			r.relabelSet(g, k)
		}
	}
}

// split shows the two parts of a split card.
func (r *reader) split(a, b, d int) {
	for _, id := range []int{a, b} {
		ms, err := r.rec.Splitter.Members(id)
		if err != nil {
			r.err = err
			return
		}
		r.card(id, ms, d)
	}
}

// judge returns the members present, the class most of them truly are,
// how many more beats relabelling them all to it fixes than breaks, and how
// many members would still be wrong after the better of relabelling or not.
func (r *reader) judge(samples []int64) ([]int64, annotate.Class, int, int) {
	var members []int64
	var want [annotate.ClassQ + 1]int
	wrongNow := 0
	for _, s := range samples {
		b, ok := r.s.Beat(s)
		if !ok {
			continue
		}
		members = append(members, s)
		if k := r.truth[s]; k != annotate.ClassNone {
			want[k]++
		}
		if r.truth[s] != b.Code.Class() {
			wrongNow++
		}
	}
	best := annotate.ClassN
	for _, k := range annotate.Classes {
		if want[k] > want[best] {
			best = k
		}
	}
	gain := r.relabelGain(members, best)
	slices.Sort(members)
	left := wrongNow
	if gain >= 2 {
		left -= gain
	}
	return members, best, gain, left
}

// relabelGain is how many of the beats at samples relabelling them all to
// k puts right, less the right ones it puts wrong.
func (r *reader) relabelGain(samples []int64, k annotate.Class) int {
	g := 0
	for _, s := range samples {
		b, ok := r.s.Beat(s)
		if !ok {
			continue
		}
		switch want, c := r.truth[s], b.Code.Class(); {
		case want == k && c != k:
			g++
		case want == c && c != k:
			g--
		}
	}
	return g
}

// queue walks the review queue while it pays: the reader leaves it when
// fewer than half of the last Costs.Patience items needed a change (one
// key each is then dearer than fixing the rest in full disclosure).
func (r *reader) queue() {
	items := review.Queue(r.queueInput(), r.c.Queue)
	if len(items) == 0 || r.c.Patience <= 0 {
		return
	}
	r.cur.Keys++ // open the queue
	var recent []bool
	for _, it := range items {
		if r.err != nil {
			return
		}
		recent = append(recent, r.item(it))
		if len(recent) > r.c.Patience {
			recent = recent[1:]
		}
		if len(recent) == r.c.Patience && 2*hits(recent) < r.c.Patience {
			return
		}
	}
}

func hits(xs []bool) int {
	n := 0
	for _, x := range xs {
		if x {
			n++
		}
	}
	return n
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

// propagating reports whether corrections propagate (strategy c only).
func (r *reader) propagating() bool {
	return r.c.Propagate && r.st == Templates && r.rec.LookAlikes != nil
}

// propagate copies the correction at sample to its look-alikes.
func (r *reader) propagate(sample int64) {
	if !r.propagating() || r.err != nil {
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
	atyp := map[int64]float64{}
	for _, t := range r.rec.Templates {
		t.Summarize(beats)
		for j, s := range t.Beats {
			dom[s] = t.Dominant
			atyp[s] = 1 - float64(j)/float64(len(t.Beats))
		}
	}
	return review.QueueInput{Beats: beats, Model: r.rec.Model, Classes: r.rec.Classes, Accept: r.rec.Accept,
		Dominant: func(s int64) (annotate.Class, bool) { k, ok := dom[s]; return k, ok },
		Atypical: func(s int64) (float64, bool) { a, ok := atyp[s]; return a, ok }}
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
