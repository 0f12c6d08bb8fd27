package export

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/store"
)

// Reasons a beat of the label set is not in beats.npz (manifest keys).
const (
	outEdge       = "window_outside_record"
	outNoise      = "noise"
	outUnreviewed = "unreviewed"
	outBalance    = "balance"
	outNotBeat    = "not_a_beat"
	// outUnclassified: a detector beat no model or reader classified
	// (annotate.Beat.IsUnclassified) has no class to train on.
	outUnclassified = "unclassified"
)

// rrMean is how many RR intervals before a beat its local mean RR takes.
const rrMean = 10

// beatItem is a beat of a record as the walk hands it out: the beat, its
// RR features (s), its class index, the class index of the population
// model's label (-1: none; only in pass two), and why it is left out (""
// if not).
type beatItem struct {
	b   annotate.Beat
	rr  [3]float32
	cls int
	pop int
	why string
}

// popWindow is how far (s) a model-layer beat may lie from a label-set beat
// and still be its population label (EC57's match window, as the window's
// merges use).
const popWindow = 0.150

// walker streams one record's beats out of the database, computes the RR
// features and applies the filters, identically in both passes.
type walker struct {
	p        *recPlan
	opt      *Options
	sch      *labelSchema
	fs       float64
	lo, hi   int64 // window in input samples around the R peak, [R+lo, R+hi]
	noiseAt  int
	prev     []int64 // the last rrMean beat samples before the pending beat
	pend     *annotate.Beat
	notBeats int64
	pop      []annotate.Beat // the model layer's beats, sorted (pass two)
	popAt    int
}

func newWalker(p *recPlan, opt *Options, sch *labelSchema, rs *beatwin.Cutter) *walker {
	return &walker{p: p, opt: opt, sch: sch, fs: p.info.Fs, lo: int64(rs.Lo()), hi: int64(rs.Hi())}
}

// run calls fn for every beat (QRS code) of the label set in sample order.
func (w *walker) run(db *store.DB, fn func(*beatItem) error) error {
	for b, err := range db.Beats(w.p.entry.ID, w.p.reader, 0, math.MaxInt64) {
		if err != nil {
			return err
		}
		if !b.Code.IsBeat() {
			w.notBeats++
			continue
		}
		if w.pend != nil {
			if err := w.emit(fn, b.Sample); err != nil {
				return err
			}
		}
		nb := b
		w.pend = &nb
	}
	if w.pend != nil {
		return w.emit(fn, -1)
	}
	return nil
}

// emit hands out the pending beat, whose successor is at next (-1: none).
func (w *walker) emit(fn func(*beatItem) error, next int64) error {
	b := *w.pend
	it := beatItem{b: b, cls: w.sch.of(b.Code), rr: w.rr(b.Sample, next), pop: w.population(b.Sample)}
	it.why = w.filter(b)
	w.prev = append(w.prev, b.Sample)
	if len(w.prev) > rrMean {
		w.prev = w.prev[1:]
	}
	return fn(&it)
}

// readPopulation loads the record's model layer, whose labels are the
// population model's: an adapted label's population label, the model's
// word on a reader's beat.
func (w *walker) readPopulation(db *store.DB) error {
	ls, _, err := db.Labels(w.p.entry.ID, store.ModelLayer)
	w.pop = ls.Beats
	return err
}

// population returns the class index of the population label of the beat
// at s: the model layer's nearest beat within popWindow, -1 when there is
// none, it is unclassified, or its code has no class. Calls come in sample
// order.
func (w *walker) population(s int64) int {
	win := int64(popWindow * w.fs)
	for w.popAt < len(w.pop) && w.pop[w.popAt].Sample < s-win {
		w.popAt++
	}
	best := -1
	for i := w.popAt; i < len(w.pop) && w.pop[i].Sample <= s+win; i++ {
		if best < 0 || abs64(w.pop[i].Sample-s) < abs64(w.pop[best].Sample-s) {
			best = i
		}
	}
	if best < 0 || w.pop[best].IsUnclassified() {
		return -1
	}
	return w.sch.of(w.pop[best].Code)
}

// rr returns previous, next and local mean RR of the beat at s (s); an
// undefined one takes the nearest defined RR, none defined gives zeros.
func (w *walker) rr(s, next int64) [3]float32 {
	var prev, nxt, mean float64
	n := len(w.prev)
	if n > 0 {
		prev = float64(s - w.prev[n-1])
		mean = float64(s-w.prev[0]) / float64(n)
	}
	if next >= 0 {
		nxt = float64(next - s)
	}
	switch {
	case n == 0 && next >= 0:
		prev, mean = nxt, nxt
	case next < 0:
		nxt = prev
	}
	return [3]float32{float32(prev / w.fs), float32(nxt / w.fs), float32(mean / w.fs)}
}

// filter says why beat b is left out, or "" when it is a candidate.
func (w *walker) filter(b annotate.Beat) string {
	if b.IsUnclassified() {
		return outUnclassified
	}
	a, z := b.Sample+w.lo, b.Sample+w.hi
	if a < 0 || (w.p.info.NSamples > 0 && z >= w.p.info.NSamples) {
		return outEdge
	}
	if w.opt.ExcludeNoise && (b.Flags&annotate.FlagNoisy != 0 || overlaps(w.p.noise, &w.noiseAt, a, z+1)) {
		return outNoise
	}
	if w.opt.ReviewedOnly && !annotate.ReaderOwned(b.Prov, b.Review) {
		return outUnreviewed
	}
	return ""
}
