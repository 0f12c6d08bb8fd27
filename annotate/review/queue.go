package review

import (
	"cmp"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Reason says why an item is in the review queue (a bit set).
type Reason uint8

// The reasons.
const (
	LowConfidence    Reason = 1 << iota // the model is unsure of the beat's current class
	ClusterDisagrees                    // the beat's cluster is mostly another class
	ModelDisagrees                      // the model's class is not the beat's current class
	OddRR                               // the rhythm does not fit the class (early N, on-time S)
	Atypical                            // the beat is among the least typical of its cluster
	GapRR                               // an RR interval so long a beat may be missing
)

// ItemKind says what a queue item points at.
type ItemKind uint8

// Item kinds.
const (
	ItemBeat ItemKind = iota // a beat whose label may be wrong (or that may not be a beat)
	ItemGap                  // the stretch (Sample, End) where a beat may be missing
)

// Item is one entry of the review queue.
type Item struct {
	Kind    ItemKind
	Sample  int64 // the beat, or the beat that starts the gap
	End     int64 // ItemGap: the beat that ends the gap
	Score   float64
	Reasons Reason
}

// QueueInput is what Queue needs to know about a record.
type QueueInput struct {
	Beats []annotate.Beat // the current labels, sorted by Sample
	// Model is the model layer (annotate.ModelOutput.Beats), sorted by
	// Sample: its Prov.Probs give each beat's class probabilities.
	Model []annotate.Beat
	// Classes is the model's class order for Prov.Probs; nil means
	// annotate.Classes (N, S, V, F, Q).
	Classes []annotate.Class
	// Dominant returns the dominant class of the cluster holding the beat
	// at sample; nil, or false, when the beat has no cluster.
	Dominant func(sample int64) (annotate.Class, bool)
	// Atypical returns how atypical the beat at sample is of its cluster:
	// the fraction of the cluster's members nearer its centre, 0 to 1
	// (review.Template's order gives it); nil, or false, when unknown.
	Atypical func(sample int64) (float64, bool)
	// Accept, when not nil, leaves out the beats it auto-accepts.
	Accept *Thresholds
}

// QueueOptions weigh the reasons (see the package comment).
type QueueOptions struct {
	Wd, Wm, Wr float64 // weights: cluster disagreement, model disagreement, odd RR
	Wg         float64 // score of a gap item
	Wo         float64 // weight of atypicality
	Top        float64 // atypicality above this counts: score += Wo·(a − Top)/(1 − Top)
	Premature  float64 // RR_prev / RR_local below this is early
	Gap        float64 // RR / RR_local above this is a gap item
	LowConf    float64 // p_label below this sets LowConfidence
	// MinScore: without auto-accept (QueueInput.Accept nil), beats scoring
	// less are left out. With auto-accept, every beat it does not accept is
	// in the queue.
	MinScore float64
}

// DefaultQueueOptions returns the weights the reader simulator was tuned
// with on DS1.
func DefaultQueueOptions() QueueOptions {
	return QueueOptions{Wd: 0.5, Wm: 0.25, Wr: 0.5, Wg: 0.3, Wo: 0, Top: 0.9, Premature: 0.85, Gap: 1.75, LowConf: 0.9, MinScore: 0.1}
}

// NeedsReview reports whether a reader has not yet looked at the beat one
// by one: it is unreviewed, or its label came from a template relabel or a
// propagation (annotate.SourcePropagated).
func NeedsReview(b annotate.Beat) bool {
	return b.Review == annotate.Unreviewed || b.Prov.Source == annotate.SourcePropagated
}

// Queue returns the review queue: the beats that need review, scored, and
// the gap items, highest score first (ties by position).
func Queue(in QueueInput, o QueueOptions) []Item {
	local := LocalRR(in.Beats)
	var items []Item
	for i, b := range in.Beats {
		if i > 0 && local[i] > 0 && float64(b.Sample-in.Beats[i-1].Sample) > o.Gap*local[i] {
			items = append(items, Item{Kind: ItemGap, Sample: in.Beats[i-1].Sample, End: b.Sample,
				Score: o.Wg, Reasons: GapRR})
		}
		if !NeedsReview(b) || !b.Code.IsBeat() {
			continue
		}
		if it, keep := scoreBeat(in, o, i, local[i]); keep {
			items = append(items, it)
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Sample, b.Sample)
	})
	return items
}

// scoreBeat scores beat i; keep says it belongs in the queue.
func scoreBeat(in QueueInput, o QueueOptions, i int, local float64) (Item, bool) {
	b := in.Beats[i]
	k := b.Code.Class()
	it := Item{Kind: ItemBeat, Sample: b.Sample}
	m, hasModel := find(in.Model, b.Sample)
	p := 0.0
	if hasModel {
		p = classProb(m, k, in.Classes)
	}
	// A label copied from a reader's judgement of look-alikes (a template
	// relabel or a propagation) overrules the model on purpose: the model's
	// disagreement says nothing new there, the cluster and the rhythm do.
	if b.Prov.Source != annotate.SourcePropagated {
		it.Score += 1 - p
		if p < o.LowConf {
			it.Reasons |= LowConfidence
		}
		if hasModel && m.Code.Class() != k {
			it.Score += o.Wm
			it.Reasons |= ModelDisagrees
		}
	}
	if in.Dominant != nil {
		if d, ok := in.Dominant(b.Sample); ok && d != annotate.ClassNone && d != k {
			it.Score += o.Wd
			it.Reasons |= ClusterDisagrees
		}
	}
	if in.Atypical != nil {
		if a, ok := in.Atypical(b.Sample); ok && a > o.Top && o.Top < 1 {
			it.Score += o.Wo * (a - o.Top) / (1 - o.Top)
			it.Reasons |= Atypical
		}
	}
	if i > 0 && local > 0 && oddRR(k, float64(b.Sample-in.Beats[i-1].Sample)/local, o.Premature) {
		it.Score += o.Wr
		it.Reasons |= OddRR
	}
	if in.Accept == nil {
		return it, it.Score >= o.MinScore
	}
	accepted := hasModel && it.Reasons&^LowConfidence == 0 &&
		b.Prov.Source == annotate.SourceModel && in.Accept.Accepts(k, float32(p))
	return it, !accepted
}

// oddRR reports whether a beat of class k with prematurity r does not fit.
func oddRR(k annotate.Class, r, premature float64) bool {
	switch k {
	case annotate.ClassN, annotate.ClassQ:
		return r < premature
	case annotate.ClassS:
		return r >= premature
	}
	return false
}

// classProb returns the model's probability of class k for beat m.
func classProb(m annotate.Beat, k annotate.Class, classes []annotate.Class) float64 {
	if classes == nil {
		classes = annotate.Classes
	}
	for j, c := range classes {
		if c == k && j < len(m.Prov.Probs) {
			return float64(m.Prov.Probs[j])
		}
	}
	if m.Code.Class() == k {
		return float64(m.Prov.Confidence)
	}
	return 0
}

// LocalRR returns, for each beat, the median of the (up to) 8 RR intervals
// that end at the beats before it, in samples; 0 for the first two beats.
func LocalRR(beats []annotate.Beat) []float64 {
	out := make([]float64, len(beats))
	var win []float64
	for i := range beats {
		if len(win) > 0 {
			out[i] = stats.Median(win)
		}
		if i > 0 {
			win = append(win, float64(beats[i].Sample-beats[i-1].Sample))
			if len(win) > 8 {
				win = win[1:]
			}
		}
	}
	return out
}
