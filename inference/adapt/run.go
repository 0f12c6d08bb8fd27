package adapt

import (
	"context"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Summary is what one Run did, for the status line and the log.
type Summary struct {
	Learned    int              // reader labels the adapter learned from
	Adapted    int              // beats the run gave an adapted label (all hold one after it, but those a reader edited meanwhile)
	Relabelled int              // of them, beats whose adapted class differs from the population model's
	Changed    int              // beats the run gave a new adapted label
	Restored   int              // beats the run gave back their population label
	Classes    []annotate.Class // classes the adapter predicts (the reader's)
	Kept       []annotate.Class // non-N classes whose population labels stay
	Note       string           // why nothing was adapted, when so
	Elapsed    time.Duration    // features read, fit, relabel and commit
	Fit        time.Duration    // of Elapsed, Adapt: features, fit and predictions
	Commit     time.Duration    // of Elapsed, Session.SetAdapted: the commit of the labels
	// Input and Result are what the adapter saw (every unreviewed beat as
	// its population label) and proposed, for Questions(Input, Result, n)
	// (the adaptive review queue, the simulated reader). Input holds the
	// record's windows (about 70 MB for 24 h): drop the Summary when done.
	// Both are zero when the adapter was off.
	Input  Input
	Result Result
}

// String is the status line: "Adapter: 812 beats relabelled from 37 reader
// labels", or why it did nothing.
func (s Summary) String() string {
	if s.Note != "" {
		return "Adapter: " + s.Note
	}
	return fmt.Sprintf("Adapter: %d beats relabelled from %d reader labels", s.Relabelled, s.Learned)
}

// Run is one adapter step on sess: it reads the label set, adds the
// features of beats the cache lacks (a beat a reader inserted), fits the
// adapter to the reader's labels (annotate.Teaches) and makes its labels
// the session's adapted layer with annotate.Session.SetAdapted, in one
// commit off the undo stack. Beats the adapter no longer claims (too few
// reader labels after an undo, a class the reader no longer spoke about, a
// prediction equal to the population class) get back their population
// label. With opt.Off, or in a session that hides the model, it only takes
// every adapted label away (the per-record switch).
//
// The adapter sees every unreviewed beat as its population label (the
// cache's most probable class), never its current adapted label, so the
// result is a function of the reader's labels and the cache alone: after
// an edit and a Run, undoing the edit and running again gives the labels
// of before the edit, bit for bit. Reader labels are never changed, also
// when the reader edits while Run works (SetAdapted checks each beat under
// the session's lock). An adapted label carries SourceAdapted, Who
// annotate.AdaptedWho(Name, learned), the adapter's probability as
// Confidence and the population model's probabilities (Classes order) as
// Probs.
func (f *Features) Run(ctx context.Context, sess *annotate.Session, opt Options) (Summary, error) {
	t0 := time.Now()
	var sum Summary
	var labels []annotate.Beat
	why := ""
	switch {
	case opt.Off:
		sum.Note, why = "off for this record", "the adapter is switched off for this record"
	case sess.ModelHidden():
		sum.Note, why = "off in a blinded read", "a blinded read hides the population model the adapter builds on"
	default:
		var err error
		if labels, sum, err = f.propose(ctx, sess, opt); err != nil {
			return Summary{}, err
		}
	}
	t1 := time.Now()
	st, err := sess.SetAdapted(labels, why)
	if err != nil {
		return Summary{}, err
	}
	sum.Changed, sum.Restored, sum.Commit, sum.Elapsed = st.Adapted, st.Restored, time.Since(t1), time.Since(t0)
	return sum, nil
}

// propose reads the session's beats and returns the adapter's labels.
func (f *Features) propose(ctx context.Context, sess *annotate.Session, opt Options) ([]annotate.Beat, Summary, error) {
	beats := sess.Labels().Beats
	if _, err := f.Add(ctx, beats, nil); err != nil {
		return nil, Summary{}, err
	}
	in, err := f.Input(beats)
	if err != nil {
		return nil, Summary{}, err
	}
	f.populationView(&in)
	if opt.Group != nil {
		in.Group = make([]int, len(in.Beats))
		for i, b := range in.Beats {
			if g, ok := opt.Group(b.Sample); ok {
				in.Group[i] = g
			} else {
				in.Group[i] = -1
			}
		}
	}
	t0 := time.Now()
	res, err := AdaptContext(ctx, in, opt)
	if err != nil {
		return nil, Summary{}, err
	}
	sum := Summary{Learned: res.Learned, Classes: res.Classes, Kept: res.Kept, Note: res.Note,
		Adapted: len(res.Labels), Input: in, Result: res, Fit: time.Since(t0)}
	row := make(map[int64]int, len(in.Beats))
	for i, b := range in.Beats {
		row[b.Sample] = i
	}
	k := len(in.Classes)
	for j := range res.Labels {
		l := &res.Labels[j]
		i := row[l.Sample]
		l.Prov.Probs = append([]float32(nil), in.Probs[i*k:(i+1)*k]...)
		if l.Code.Class() != popClass(&in, i) {
			sum.Relabelled++
		}
	}
	return res.Labels, sum, nil
}

// populationView shows the adapter every adaptable beat as its population
// label: the population model's most probable class, from the cache, in
// the model layer. So an adapted label proposed earlier changes nothing,
// and a prediction equal to the population class is no adapted label.
func (f *Features) populationView(in *Input) {
	for i := range in.Beats {
		b := &in.Beats[i]
		if annotate.Adaptable(*b) {
			b.Code = popClass(in, i).Code()
			b.Prov = annotate.Provenance{Source: annotate.SourceModel}
		}
	}
}
