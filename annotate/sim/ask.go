package sim

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
)

// defaultAskBatch is how many answers the reader gives before the adapter
// learns again, when Costs.AskBatch is 0.
const defaultAskBatch = 5

// ask opens the adaptive queue (one key) and answers up to
// Costs.Questions of its questions, leaving early once Costs.AskPatience
// answers in a row needed no change.
func (r *reader) ask() {
	if r.c.Questions <= 0 {
		return
	}
	r.cur.Keys++
	r.adapt() // the window adapts after every edit: the templates taught it already
	r.answer(r.c.Questions, r.c.AskPatience)
}

// answer answers up to n questions of the adaptive queue, AskBatch at a
// time with the adapter learning after each batch, and returns how many it
// answered; with patience > 0 it stops after that many answers in a row
// that needed no change.
func (r *reader) answer(n, patience int) int {
	batch := r.c.AskBatch
	if batch <= 0 {
		batch = defaultAskBatch
	}
	done, calm := 0, 0
	for done < n && r.err == nil {
		qs := review.Ask(r.askInput(), min(batch, n-done))
		if len(qs) == 0 {
			break
		}
		for _, q := range qs {
			done++
			if r.question(q) {
				calm = 0
			} else {
				calm++
			}
			if patience > 0 && calm >= patience {
				break // the reader leaves at once, not at the end of the batch
			}
		}
		r.adapt()
		if patience > 0 && calm >= patience {
			break
		}
	}
	return done
}

// question answers one question with one key: the class key (or Delete)
// when the beat is wrong, else a confirmation. It reports whether the beat
// needed a change.
func (r *reader) question(q review.Question) bool {
	r.cur.LookedAt++
	r.cur.Inspected++
	r.cur.Keys++
	b, ok := r.s.Beat(q.Sample)
	if !ok || r.err != nil {
		return false
	}
	if r.wrong(b) {
		r.fix(b)
		return true
	}
	r.cur.Confirms++
	r.err = r.s.Confirm([]int64{b.Sample}, "adaptive queue")
	return false
}

// adapt lets the adapter learn from the reader's labels so far and
// relabel the beats nobody reviewed (no action: it runs by itself).
// It counts the beats the run put right and those it made wrong.
func (r *reader) adapt() {
	if r.err != nil {
		return
	}
	before := r.wrongSet()
	r.err = r.rec.Adapter.Adapt(r.s)
	after := r.wrongSet()
	for s := range before {
		if !after[s] {
			r.cur.AdaptFixed++
		}
	}
	for s := range after {
		if !before[s] {
			r.cur.AdaptBroke++
		}
	}
}

// wrongSet returns the samples of the beats that need a fix.
func (r *reader) wrongSet() map[int64]bool {
	m := map[int64]bool{}
	for _, b := range r.beats() {
		if r.wrong(b) {
			m[b.Sample] = true
		}
	}
	return m
}

// askInput is the adaptive queue's view of the session now.
func (r *reader) askInput() review.AskInput {
	return review.AskInput{Beats: r.beats(), Model: r.rec.Model, Classes: r.rec.Classes,
		Sure: r.rec.Adapter.Sure, Group: r.rec.Group}
}

// confirmCard confirms a card whose members all carry the label they
// should, all one class k (a click on the card and k), when
// Costs.ConfirmCards is set in strategy d; it reports whether it did.
func (r *reader) confirmCard(members []int64) bool {
	if r.st != Adaptive || !r.c.ConfirmCards || len(members) == 0 || len(members) < r.c.ConfirmMin {
		return false
	}
	k := annotate.ClassNone
	for _, s := range members {
		b, ok := r.s.Beat(s)
		if !ok || r.wrong(b) || (k != annotate.ClassNone && b.Code.Class() != k) || !review.NeedsReview(b) {
			return false
		}
		k = b.Code.Class()
	}
	r.cur.Clicks++
	r.cur.Keys++
	r.cur.Confirms += len(members)
	r.err = firstErr(r.err, r.s.RelabelSet(members, k.Code(), "template confirmed"))
	return true
}

// CurvePoint is the labels after a number of answers.
type CurvePoint struct {
	Asked int             // questions answered in all (fewer than asked for when the queue ran dry)
	Beats []annotate.Beat // the labels then, the adapter having learned from every answer
}

// Curve plays a reader who answers only the adaptive queue: for each k of
// steps (ascending), the queue's first k questions in all, the adapter
// learning after every Costs.AskBatch answers, and returns the labels after
// each k.
func Curve(rec Record, steps []int, c Costs) ([]CurvePoint, error) {
	if rec.Fs <= 0 || rec.NSamples <= 0 || rec.Adapter == nil {
		return nil, fmt.Errorf("%w: %s: fs %g, %d samples, adapter %v", ErrRecord, rec.Name, rec.Fs, rec.NSamples, rec.Adapter != nil)
	}
	r, err := newReader(rec, Adaptive, c)
	if err != nil {
		return nil, err
	}
	var out []CurvePoint
	answered := 0
	for _, k := range steps {
		if k > answered {
			answered += r.answer(k-answered, 0)
		}
		r.adapt()
		if r.err != nil {
			return out, fmt.Errorf("sim: %s: %w", rec.Name, r.err)
		}
		out = append(out, CurvePoint{Asked: answered, Beats: r.beats()})
	}
	return out, nil
}
