package review

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/ecgstation/ecgstation/annotate"
)

// AskInput is what Ask ranks the adaptive queue from.
type AskInput struct {
	Beats []annotate.Beat // the current labels, sorted by Sample
	// Model is the population model's layer (annotate.ModelOutput.Beats),
	// sorted by Sample: its Prov.Probs give each beat's class
	// probabilities.
	Model []annotate.Beat
	// Classes is the model's class order for Prov.Probs; nil means
	// annotate.Classes.
	Classes []annotate.Class
	// Sure returns the adapter's probability of the beat's current class
	// once it has learned; nil, or false, falls back to an adapted label's
	// confidence, then to the model's probabilities.
	Sure func(sample int64) (float64, bool)
	// Group returns the look-alike group of the beat (its template
	// cluster); nil, or false, when it has none.
	Group func(sample int64) (int, bool)
}

// AskKind says why a question is asked.
type AskKind uint8

// The kinds of question.
const (
	AskClass  AskKind = iota // the model's surest beat of a non-N class nobody has checked
	AskSeed                  // the surest beat of a look-alike group nobody has spoken for
	AskUnsure                // an unsure beat, weighted by its look-alikes
)

// Question is one item of the adaptive queue.
type Question struct {
	Sample int64
	Kind   AskKind
	Now    annotate.Class // the beat's current class
	Alt    annotate.Class // the likeliest other class
	P      float64        // the probability of Now (the adapter's or the model's)
	Alike  int            // beats in its look-alike group (1 when alone)
	// Score is the labels the answer is expected to change: Alike for
	// a group nobody spoke for (AskSeed), else
	// (1 − (P − P_alt)) × Alike / (1 + k)², k the reader labels and
	// earlier questions in the group: a group already answered for has
	// less left to teach, so other groups come before its second question.
	// AskClass questions come first whatever their score (theirs is the
	// number of beats the model gives the class).
	Score  float64
	Reason string // why it is asked, in words
}

// Ask returns up to n questions for the reader, most labels expected to
// change first (see the package comment): first, per non-N class the
// population model predicted and no reader label speaks for (no reader
// label of that class, none on a beat the model gave it), its surest beat;
// then the surest beat of each look-alike group nobody spoke for, and the
// unsure beats, weighted by how many beats look like them, one look-alike
// group after another. Reader labels are never asked about.
// Deterministic: ties go to the earlier beat.
func Ask(in AskInput, n int) []Question {
	if n <= 0 {
		return nil
	}
	st := newAskState(in)
	out := st.classQuestions(n)
	for len(out) < n {
		q, ok := st.next()
		if !ok {
			break
		}
		out = append(out, q)
	}
	return out
}

// candidate is a beat that may be asked about.
type candidate struct {
	q Question
	u float64 // 1 − margin
}

// askGroup is a look-alike group's candidates, most unsure first.
type askGroup struct {
	cand  []candidate
	next  int // the first candidate (most unsure) not yet asked
	back  int // one past the last candidate (surest) not yet asked
	known int // reader labels in the group, plus questions picked
}

// groupKey names a group: a cluster, or a beat alone.
type groupKey struct {
	id    int
	alone int64
}

// askState is the ranking in progress.
type askState struct {
	in       AskInput
	groups   map[groupKey]*askGroup
	keys     []groupKey // in order of first member, for determinism
	byModel  map[annotate.Class][]candidate
	examined map[annotate.Class]bool
	asked    map[int64]bool
}

func newAskState(in AskInput) *askState {
	if in.Classes == nil {
		in.Classes = annotate.Classes
	}
	st := &askState{in: in, groups: map[groupKey]*askGroup{}, byModel: map[annotate.Class][]candidate{},
		examined: map[annotate.Class]bool{}, asked: map[int64]bool{}}
	size := map[groupKey]int{}
	for _, b := range in.Beats {
		if b.Code.IsBeat() {
			size[st.key(b.Sample)]++
		}
	}
	for _, b := range in.Beats {
		st.add(b, size)
	}
	for _, g := range st.groups {
		slices.SortStableFunc(g.cand, func(a, b candidate) int { return cmp.Compare(b.u, a.u) })
		g.back = len(g.cand)
	}
	return st
}

func (st *askState) key(s int64) groupKey {
	if st.in.Group != nil {
		if id, ok := st.in.Group(s); ok {
			return groupKey{id: id, alone: -1}
		}
	}
	return groupKey{alone: s}
}

// add files beat b: a reader label counts in its group and marks its class
// (and the model's class of it) examined; any other beat is a candidate.
func (st *askState) add(b annotate.Beat, size map[groupKey]int) {
	if !b.Code.IsBeat() {
		return
	}
	k := st.key(b.Sample)
	g := st.groups[k]
	if g == nil {
		g = &askGroup{}
		st.groups[k] = g
		st.keys = append(st.keys, k)
	}
	m, hasModel := find(st.in.Model, b.Sample)
	pop := annotate.ClassNone
	if hasModel {
		pop = topClass(m, st.in.Classes)
	}
	if annotate.Teaches(b) {
		g.known++
		st.examined[b.Code.Class()], st.examined[pop] = true, true
		return
	}
	c := st.candidate(b, m, hasModel, size[k])
	g.cand = append(g.cand, c)
	if pop != annotate.ClassNone && pop != annotate.ClassN {
		st.byModel[pop] = append(st.byModel[pop], candidate{q: c.q, u: classProb(m, pop, st.in.Classes)})
	}
}

// candidate scores the unreviewed beat b (m its model beat).
func (st *askState) candidate(b annotate.Beat, m annotate.Beat, hasModel bool, alike int) candidate {
	now := b.Code.Class()
	q := Question{Sample: b.Sample, Kind: AskUnsure, Now: now, Alt: annotate.ClassNone, Alike: max(alike, 1)}
	var pAlt float64
	if hasModel {
		q.P = classProb(m, now, st.in.Classes)
		q.Alt, pAlt = otherClass(m, now, st.in.Classes)
	}
	sure, ok := 0.0, false
	if st.in.Sure != nil {
		sure, ok = st.in.Sure(b.Sample)
	}
	if !ok && b.Prov.Source == annotate.SourceAdapted {
		sure, ok = float64(b.Prov.Confidence), true
	}
	if ok {
		q.P, pAlt = sure, 1-sure
	}
	u := min(max(1-(q.P-pAlt), 0), 1)
	return candidate{q: q, u: u}
}

// classQuestions returns, per non-N class the model predicted and nobody
// examined, its surest beat.
func (st *askState) classQuestions(n int) []Question {
	var out []Question
	for _, k := range annotate.Classes {
		cs := st.byModel[k]
		if k == annotate.ClassN || st.examined[k] || len(cs) == 0 || len(out) >= n {
			continue
		}
		best := cs[0]
		for _, c := range cs[1:] {
			if c.u > best.u {
				best = c
			}
		}
		q := best.q
		q.Kind, q.Score = AskClass, float64(len(cs))
		q.Reason = fmt.Sprintf("model calls %s beats %s; none checked; its surest %s (%.2f)", thousands(len(cs)), k, k, best.u)
		st.asked[q.Sample] = true
		st.groups[st.key(q.Sample)].known++
		out = append(out, q)
	}
	return out
}

// next returns the best question left: the group whose offer (offer)
// scores highest.
func (st *askState) next() (Question, bool) {
	var best *askGroup
	bestScore, bestAt := -1.0, -1
	for _, k := range st.keys {
		g := st.groups[k]
		at, s := st.offer(g)
		if at < 0 {
			continue
		}
		if q := g.cand[at].q; s > bestScore || (s == bestScore && q.Sample < best.cand[bestAt].q.Sample) {
			best, bestScore, bestAt = g, s, at
		}
	}
	if best == nil {
		return Question{}, false
	}
	q := best.cand[bestAt].q
	q.Score = bestScore
	if best.known == 0 && q.Alike > 1 {
		q.Kind = AskSeed
		q.Reason = seedReason(q)
	} else {
		q.Reason = unsureReason(q, best.known)
	}
	best.known++
	st.asked[q.Sample] = true
	return q, true
}

// offer returns the candidate group g offers and its score, or -1: a
// group nobody has spoken for offers its surest beat with full doubt (the
// adapter knows nothing of it), so Alike; others their most unsure beat,
// u × Alike / (1 + known)².
func (st *askState) offer(g *askGroup) (int, float64) {
	for g.next < g.back && st.asked[g.cand[g.next].q.Sample] {
		g.next++
	}
	for g.back > g.next && st.asked[g.cand[g.back-1].q.Sample] {
		g.back--
	}
	if g.next == g.back {
		return -1, 0
	}
	if g.known == 0 {
		c := g.cand[g.back-1]
		return g.back - 1, float64(c.q.Alike)
	}
	c := g.cand[g.next]
	d := float64(1 + g.known)
	return g.next, c.u * float64(c.q.Alike) / (d * d)
}

// seedReason says why a group's first beat is asked: "none of 1,240
// look-alikes checked yet; model N 0.99".
func seedReason(q Question) string {
	return fmt.Sprintf("none of %s look-alikes checked yet; model %s %.2f", thousands(q.Alike), q.Now, q.P)
}

// unsureReason says why an unsure beat is asked: "unsure S/N (0.55);
// 1,240 beats look alike; 2 asked or answered there" (the questions before
// it in the queue count).
func unsureReason(q Question, known int) string {
	s := fmt.Sprintf("unsure %s", q.Now)
	if q.Alt != annotate.ClassNone {
		s += "/" + q.Alt.String()
	}
	s += fmt.Sprintf(" (%.2f)", q.P)
	switch {
	case q.Alike == 1:
		s += "; no beat looks alike"
	case q.Alike == 2:
		s += "; 1 beat looks alike"
	default:
		s += fmt.Sprintf("; %s beats look alike", thousands(q.Alike-1))
	}
	if known > 0 {
		s += fmt.Sprintf("; %d asked or answered there", known)
	}
	return s
}

// topClass returns the model's most probable class of m (its label's class
// without probabilities).
func topClass(m annotate.Beat, classes []annotate.Class) annotate.Class {
	best, bp := m.Code.Class(), float32(-1)
	for j, c := range classes {
		if j < len(m.Prov.Probs) && m.Prov.Probs[j] > bp {
			best, bp = c, m.Prov.Probs[j]
		}
	}
	return best
}

// otherClass returns the likeliest class of m other than k, and its
// probability.
func otherClass(m annotate.Beat, k annotate.Class, classes []annotate.Class) (annotate.Class, float64) {
	best, bp := annotate.ClassNone, -1.0
	for j, c := range classes {
		if c != k && j < len(m.Prov.Probs) && float64(m.Prov.Probs[j]) > bp {
			best, bp = c, float64(m.Prov.Probs[j])
		}
	}
	return best, max(bp, 0)
}

// thousands writes n with commas: 1,240.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
