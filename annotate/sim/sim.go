package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/review"
)

// Errors of the simulator.
var (
	ErrStrategy  = errors.New("sim: unknown strategy")
	ErrRecord    = errors.New("sim: bad record")
	ErrDisagrees = errors.New("sim: labels still disagree with the reference")
)

// Strategy is a way of reading a record.
type Strategy byte

// The strategies (see the package comment).
const (
	Scratch   Strategy = 'a'
	Scan      Strategy = 'b'
	Templates Strategy = 'c'
	Adaptive  Strategy = 'd'
)

// String returns the strategy's letter.
func (s Strategy) String() string { return string(rune(s)) }

// ParseStrategy returns the strategy named by its letter.
func ParseStrategy(s string) (Strategy, error) {
	if len(s) == 1 {
		switch st := Strategy(s[0]); st {
		case Scratch, Scan, Templates, Adaptive:
			return st, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want a, b, c or d)", ErrStrategy, s)
}

// Costs set the screens and the reader's patience.
type Costs struct {
	Page  time.Duration // signal per full-disclosure page
	Cards int           // template cards per gallery page
	// Patience is the window of queue items the reader judges the queue
	// by: it leaves when fewer than half of the last Patience items
	// needed a change. 0 skips the queue.
	Patience int
	Queue    review.QueueOptions
	// Propagate makes every correction (in the queue and in full
	// disclosure) propagate to its look-alikes (Record.LookAlikes).
	Propagate bool
	// MultiSelect lets the reader Ctrl+click several beats of a
	// full-disclosure page into one selection and fix them with one key.
	MultiSelect bool
	// RangeSelect (with MultiSelect) lets the reader Shift+click to pick
	// every beat between the last picked beat and the one clicked.
	RangeSelect bool
	// MixRelabel lets the reader select the members of a card that carry
	// one label (a click on that entry of the card's label mix) and
	// relabel them with one key.
	MixRelabel bool
	// SplitDepth is how many times a mixed card may be split in a row
	// (Record.Splitter); 0 never splits.
	SplitDepth int
	// SplitMin is how many beats a card must leave wrong before the reader
	// splits it (at least 2): a reader splits a card that visibly holds a
	// group of another class, not one with a stray wrong beat.
	SplitMin int
	// PrematuritySplit lets the reader split a card that mixes N and S
	// beats by prematurity (the template screen's P) before judging it.
	PrematuritySplit bool
	// Checks lets the reader (strategy c, after the queue) open the
	// consistency checks and apply the one-click fix of each finding that
	// has one (annotate/check.FixOf) when it fixes at least two beats more
	// than it breaks: S beats inside the model's AF and flutter episodes
	// (Record.Episodes) become N.
	Checks bool
	// Questions is the most questions of the adaptive queue (strategy d)
	// the reader answers; 0 skips them.
	Questions int
	// AskBatch is how many answers the reader gives before the adapter
	// learns again and the queue is ranked anew (default 5).
	AskBatch int
	// AskPatience: the reader leaves the adaptive queue once this many
	// answers in a row needed no change (the adapter has learned the
	// patient); 0 never leaves early.
	AskPatience int
	// ConfirmCards (strategy d) lets the reader confirm each template card
	// that shows no wrong beat (a click and its class key): every member
	// becomes a reader label the adapter learns from.
	ConfirmCards bool
	// ConfirmPages (strategy d) lets the reader confirm each
	// full-disclosure page once it is right (one key, the window's c):
	// its beats teach the adapter, which relabels the pages not yet seen.
	ConfirmPages bool
	// ConfirmMin is the fewest members a card must have for
	// ConfirmCards to confirm it.
	ConfirmMin int
	// AdaptEvery (strategy d) runs the adapter in the last scan, as the
	// window does after each edit (debounced: one run after a burst of
	// keys): the reader presses the key for the beats it picked as soon
	// as AdaptEvery wrong beats are picked (at the end of a run; one key a
	// class), the adapter relabels the beats nobody reviewed, and the
	// reader goes on from where it was with the labels it then shows. At
	// the page's end it looks again at the whole page (the adapter may
	// have changed beats it passed) until the page is right. -1 fixes the
	// picks at the page's end only, the adapter running after it; 0 leaves
	// the adapter out of the scan (a page already scanned holds adaptable
	// beats it could make wrong).
	AdaptEvery int
	// SeenAgreed (with AdaptEvery) takes the beats the reader has passed
	// in the scan, before its fix, as agreed: reader labels the adapter
	// learns from and never relabels, at no cost. The window does not do
	// this (a measure of what it would be worth).
	SeenAgreed bool
}

// DefaultCosts returns the cost model of the package comment.
func DefaultCosts() Costs {
	return Costs{Page: 15 * time.Minute, Cards: 12, Patience: 4, Queue: review.DefaultQueueOptions()}
}

// Record is what the simulator reads.
type Record struct {
	Name      string
	Fs        float64
	NSamples  int64
	Reference []eval.Annotation // the reference annotations (beats, rhythm, VF marks)
	// RefEpisodes are the reference's rhythm episodes (as the caller read
	// them from the reference file), for Phase.Kinds.
	RefEpisodes []annotate.Episode
	// Model holds the pipeline's beats: positions from the detector,
	// classes and probabilities (Prov.Probs) from the beat model.
	Model   []annotate.Beat
	Classes []annotate.Class // the beat model's class order; nil: N, S, V, F, Q
	// Episodes are the pipeline's rhythm episodes (rhythm model and rules),
	// shown with the model's beats; the checks read them.
	Episodes []annotate.Episode
	// Templates are the clusters of the model beats, largest first (only
	// Beats is used: the label mix is taken from the session).
	Templates  []review.Template
	LookAlikes review.LookAlikes  // for Costs.Propagate; may be nil
	Splitter   Splitter           // for Costs.SplitDepth; may be nil (strategy c splits its clusters)
	Accept     *review.Thresholds // auto-accept in the queue; nil: QueueOptions.MinScore
	// Group returns the look-alike group (template cluster) of a beat now,
	// for the adaptive queue; may be nil.
	Group func(sample int64) (int, bool)
	// Adapter is the per-record adapter as the window runs it (strategy d
	// and Curve need one).
	Adapter Adapter
}

// Adapter is the per-record adapter run on the reader's session, as the
// window runs it after the reader's edits.
type Adapter interface {
	// Adapt learns from the session's reader labels and relabels the
	// beats nobody reviewed.
	Adapt(s *annotate.Session) error
	// Sure returns the adapter's probability of the beat's current class
	// after the last Adapt; false before it has learned, or for a beat
	// whose population label it kept.
	Sure(sample int64) (float64, bool)
}

// Splitter is the clustering's split operation as the template screen
// offers it; inference/cluster.Clusterer is one.
type Splitter interface {
	// Split divides cluster id in two and returns the new part's ID.
	Split(id int) (int, error)
	// SplitPremature moves cluster id's premature beats to a new cluster
	// and returns its ID.
	SplitPremature(id int) (int, error)
	// Members returns the samples of cluster id.
	Members(id int) ([]int64, error)
}

// Tally counts what a reader did.
type Tally struct {
	Keys, Clicks        int
	LookedAt, Inspected int
	Relabels, Inserts   int
	Deletes, Confirms   int
	ClusterRelabels     int // template cards relabelled
	Splits              int // template cards split
	Propagated          int // beats re-labelled by propagation
	AdaptFixed          int // beats the adapter's runs put right (strategy d)
	AdaptBroke          int // beats the adapter's runs made wrong (strategy d)
	Seen                int // beats taken as agreed once passed (Costs.SeenAgreed)
}

// Actions returns key presses plus clicks.
func (t Tally) Actions() int { return t.Keys + t.Clicks }

func (t *Tally) add(u Tally) {
	t.Keys += u.Keys
	t.Clicks += u.Clicks
	t.LookedAt += u.LookedAt
	t.Inspected += u.Inspected
	t.Relabels += u.Relabels
	t.Inserts += u.Inserts
	t.Deletes += u.Deletes
	t.Confirms += u.Confirms
	t.ClusterRelabels += u.ClusterRelabels
	t.Splits += u.Splits
	t.Propagated += u.Propagated
	t.AdaptFixed += u.AdaptFixed
	t.AdaptBroke += u.AdaptBroke
	t.Seen += u.Seen
}

// Phase is the tally of one phase of a strategy.
type Phase struct {
	Name string
	Tally
	Errors int // errors left when the phase ended
	// Kinds are those errors by what the beat is labelled, what it should
	// be and the reference rhythm there, the commonest first.
	Kinds []Kind
}

// Left counts the errors left by what the beat should be: [k] beats of
// class k labelled otherwise or missing, [ClassNone] false beats.
func (p Phase) Left() [annotate.ClassQ + 1]int {
	var n [annotate.ClassQ + 1]int
	for _, k := range p.Kinds {
		n[k.Want] += k.N
	}
	return n
}

// FalseS counts the errors left that are beats labelled S which should be
// another class or no beat: the false S a reader still has to fix.
func (p Phase) FalseS() int {
	n := 0
	for _, k := range p.Kinds {
		if k.Now == annotate.ClassS && k.Want != annotate.ClassS {
			n += k.N
		}
	}
	return n
}

// Result is what reading one record cost.
type Result struct {
	Record    string
	Strategy  Strategy
	RefBeats  int // reference beats compared (EC57, whole record)
	Beats     int // beats the reader started from
	Errors    int // discrepancies at the start (wrong class, false and missed beats)
	Phases    []Phase
	Total     Tally
	Agreement float64 // fraction of agreement at the end: 1 is full
}

// PerThousand returns the actions per 1000 reference beats.
func (r Result) PerThousand() float64 {
	if r.RefBeats == 0 {
		return math.NaN()
	}
	return 1000 * float64(r.Total.Actions()) / float64(r.RefBeats)
}

// Run reads rec with strategy st and returns what it cost; the error is
// ErrDisagrees (wrapped) when the labels do not end in full agreement.
func Run(rec Record, st Strategy, c Costs) (Result, error) {
	if rec.Fs <= 0 || rec.NSamples <= 0 {
		return Result{}, fmt.Errorf("%w: %s: fs %g, %d samples", ErrRecord, rec.Name, rec.Fs, rec.NSamples)
	}
	if st == Adaptive && rec.Adapter == nil {
		return Result{}, fmt.Errorf("%w: %s: strategy d needs the per-record adapter", ErrRecord, rec.Name)
	}
	r, err := newReader(rec, st, c)
	if err != nil {
		return Result{}, err
	}
	switch st {
	case Scratch:
		r.scratch()
	case Scan:
		r.phase("scan", r.scan)
	case Templates:
		r.phase("templates", r.templates)
		r.phase("queue", r.queue)
		if c.Checks {
			r.phase("checks", r.checks)
		}
		r.phase("left", r.scan)
	case Adaptive:
		r.phase("templates", r.templates)
		r.phase("ask", r.ask)
		r.phase("adapted", r.adapt)
		r.phase("left", r.scan)
	default:
		return Result{}, fmt.Errorf("%w: %q", ErrStrategy, st)
	}
	if r.err != nil {
		return r.res, fmt.Errorf("sim: %s, strategy %s: %w", rec.Name, st, r.err)
	}
	return r.finish()
}
