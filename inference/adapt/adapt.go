package adapt

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Name is the adapter's "name@version" in the provenance of its labels.
const Name = "adapt@1"

// Input is one record as the adapter reads it. Row i of Probs, Emb and
// Windows belongs to Beats[i]; each of them may be absent (nil, with a zero
// width), so the adapter works from what the pipeline kept.
type Input struct {
	Beats   []annotate.Beat  // the label set's beats, sorted by Sample
	Fs      float64          // sampling frequency of Sample, Hz
	Classes []annotate.Class // the population model's class order: the columns of Probs
	Probs   []float32        // population class probabilities, len(Beats) × len(Classes)
	Emb     []float32        // the beat model's embeddings, len(Beats) × EmbDim
	EmbDim  int
	Windows []float32 // beat windows of one lead, len(Beats) × WinLen, any baseline
	WinLen  int
	// Group is each beat's look-alike group (its template cluster), -1 for
	// none; nil when the record has no clustering (Options.Group).
	Group []int
}

// ProductMinConfidence is the Options.MinConfidence the product runs the
// adapter with, in the window, in `ecgstation adapt` and in the simulated
// reader (bench-effort strategy d, bench-adapt): chosen on the DS1 patient
// folds of bench-effort, where it cost the fewest reader actions of the
// settings tried (docs/adaptive-review.md).
const ProductMinConfidence = 0.9

// ProductNeighbours is the Options.Neighbours the product runs the adapter
// with, chosen, as ProductMinConfidence, on the DS1 patient folds of
// bench-effort (docs/adaptive-review.md).
const ProductNeighbours = 5

// Product returns the options the product runs the adapter with (the
// window, `ecgstation adapt`, and the simulated reader's default), the
// record's switch off.
func Product() Options {
	return Options{MinConfidence: ProductMinConfidence, Neighbours: ProductNeighbours}
}

// Options tunes the adapter. The zero value means the defaults.
type Options struct {
	// MinLabels is the least number of reader labels the adapter learns
	// from; with fewer it changes nothing (default 10).
	MinLabels int
	// C is the inverse L2 strength, as scikit-learn's: the penalty is
	// ½‖W‖²/(C·n) on the mean loss over n training beats (default 1).
	C float64
	// MaxTrain caps the reader labels fitted, taken evenly spaced within
	// each class so rare classes all stay (default 3000).
	MaxTrain int
	// MaxIter caps the L-BFGS iterations (default 200).
	MaxIter int
	// MinConfidence: the adapter changes a beat's population class only
	// when its own probability is at least this (default 0: always).
	MinConfidence float64
	// Neighbours: the adapter changes a beat's population class only when
	// at least half of the Neighbours reader labels nearest the beat (in
	// its standardised feature space) are of the new class (default 0: no
	// such gate).
	Neighbours int
	// Crowd: the adapter changes a beat's population class to c only when
	// at least a quarter of the Crowd beats of its look-alike group nearest
	// it (reader labels or not, the beat among them) are reader labels of
	// c (default 0: no such gate). Where the reader's labels are mostly
	// its corrections (a scan), this asks them to crowd around the beat.
	Crowd int
	// Group returns a beat's look-alike group (its template cluster) for
	// Features.Run; nil, or false, when it has none. The adapter changes
	// the population class of a beat in a group only when the group holds
	// a reader label of the new class.
	Group func(sample int64) (int, bool)
	// Off is the per-record switch: Features.Run takes every adapted label
	// away instead of adapting. Adapt ignores it.
	Off bool
}

func (o Options) withDefaults() Options {
	if o.MinLabels <= 0 {
		o.MinLabels = 10
	}
	if o.C <= 0 {
		o.C = 1
	}
	if o.MaxTrain <= 0 {
		o.MaxTrain = 3000
	}
	if o.MaxIter <= 0 {
		o.MaxIter = 200
	}
	return o
}

// Result is what one adaptation proposes.
type Result struct {
	// Labels are the new labels of adaptable beats (annotate.Adaptable)
	// whose label changes, or that an earlier adaptation labelled, for
	// annotate.Session.Adapt: Source SourceAdapted, Who from
	// annotate.AdaptedWho, Confidence the adapter's probability.
	Labels []annotate.Beat
	// Confidence holds, for every beat of Input.Beats, the adapter's
	// probability of the class the beat has once Labels are applied: the
	// class it gives an adaptable beat, or the class MinConfidence kept
	// (0 for other beats and for beats whose population class is kept):
	// low values are the questions worth asking the reader next.
	Confidence []float32
	Learned    int              // reader labels learned from
	Classes    []annotate.Class // the classes the reader labelled: what the adapter predicts
	Kept       []annotate.Class // non-N classes the reader never labelled nor corrected, and N without a reader N label: their population labels stay
	Note       string           // why nothing changed, when Labels is empty for a reason
}

// Adapt learns the patient from the reader's labels in in (annotate.Teaches)
// and relabels the beats nobody reviewed (annotate.Adaptable). It never
// proposes a label for a reader's beat. It is deterministic: the same input
// gives the same result.
func Adapt(in Input, opt Options) (Result, error) {
	return AdaptContext(context.Background(), in, opt)
}

// AdaptContext is Adapt that stops with ctx's error when ctx ends during
// the fit (checked after every evaluation of the L-BFGS objective), so a
// window closing or opening another record does not wait for it.
func AdaptContext(ctx context.Context, in Input, opt Options) (Result, error) {
	opt = opt.withDefaults()
	if err := in.check(); err != nil {
		return Result{}, err
	}
	rows, teach := beatRows(in.Beats)
	res := Result{Learned: len(teach)}
	if len(teach) < opt.MinLabels {
		res.Note = fmt.Sprintf("%d reader labels, fewer than the %d the adapter needs", len(teach), opt.MinLabels)
		return res, nil
	}
	t := newTeacher(&in, rows, teach)
	res.Classes, res.Kept = t.classes, t.keptList()
	if len(t.classes) < 2 {
		res.Note = fmt.Sprintf("reader labels of one class only (%s): nothing to tell the classes apart by", t.classes[0])
		return res, nil
	}
	pred, err := t.fit(ctx, &in, rows, opt)
	if err != nil {
		return Result{}, err
	}
	res.Labels = t.labels(&in, rows, pred, opt.MinConfidence)
	res.Confidence = make([]float32, len(in.Beats))
	for _, p := range pred {
		if !t.kept[t.pop[p.pos]] {
			res.Confidence[rows[p.pos]] = float32(t.appliedProb(&in, rows, p, opt.MinConfidence))
		}
	}
	return res, nil
}

// noChance stands for a probability of 0 in Result.Confidence, where 0
// means "no opinion": the adapter's probability of a class it cannot
// predict (one the reader never labelled).
const noChance = 1e-6

// appliedProb returns the adapter's probability of the class the beat has
// once Labels are applied: its predicted class, or, where MinConfidence
// kept the population label (teacher.labels), the class kept. A beat the
// adapter calls N at 0.7 that stays V gets P(V), not 0.7.
func (t *teacher) appliedProb(in *Input, rows []int, p prediction, minConf float64) float64 {
	kept := t.pop[p.pos]
	if p.overrules(minConf) || t.classes[p.class] == kept {
		return p.conf
	}
	if b := in.Beats[rows[p.pos]]; b.Prov.Source != annotate.SourceAdapted {
		kept = b.Code.Class() // not adapted: its label stays as it is
	}
	j, ok := t.index[kept]
	if !ok {
		return noChance
	}
	return max(p.probOf(j), noChance)
}

// check says what is wrong with in, if anything.
func (in *Input) check() error {
	n := len(in.Beats)
	switch {
	case in.Fs <= 0:
		return fmt.Errorf("adapt: sampling frequency %g Hz: give the record's", in.Fs)
	case len(in.Probs) != n*len(in.Classes):
		return fmt.Errorf("adapt: %d population probabilities for %d beats × %d classes", len(in.Probs), n, len(in.Classes))
	case in.EmbDim < 0 || len(in.Emb) != n*in.EmbDim:
		return fmt.Errorf("adapt: %d embedding values for %d beats × %d dimensions", len(in.Emb), n, in.EmbDim)
	case in.WinLen < 0 || len(in.Windows) != n*in.WinLen:
		return fmt.Errorf("adapt: %d window samples for %d beats × %d samples", len(in.Windows), n, in.WinLen)
	case in.Group != nil && len(in.Group) != n:
		return fmt.Errorf("adapt: %d look-alike groups for %d beats", len(in.Group), n)
	}
	if !slices.IsSortedFunc(in.Beats, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) }) {
		return fmt.Errorf("adapt: beats not sorted by sample")
	}
	return nil
}

// beatRows returns the indices of the beats (not other annotations) and,
// among them, the positions in rows of the reader labels.
func beatRows(beats []annotate.Beat) (rows, teach []int) {
	for i, b := range beats {
		if !b.Code.IsBeat() {
			continue
		}
		if annotate.Teaches(b) {
			teach = append(teach, len(rows))
		}
		rows = append(rows, i)
	}
	return rows, teach
}
