package eval

import (
	"errors"
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// Pair is one scored pair found by Compare: a reference and a test beat
// matched with each other, or a beat of one stream without a partner (then
// the missing side is LabelO or LabelX, its index -1 and its time equal to
// the other's).
type Pair struct {
	Ref, Test           int64 // sample times
	RefLabel, TestLabel Label
	// RefIndex and TestIndex are the beats' indices in the reference and
	// test annotations given to Compare; -1 for the missing side.
	RefIndex, TestIndex int
}

// Result is the beat-by-beat comparison of one record.
type Result struct {
	Record string
	Matrix Matrix // [reference label][test label]
	// Pairs are the pairs the matrix counts, one per count, in time order.
	Pairs []Pair
}

// Discrepancies returns the pairs whose labels differ, in time order.
func (r *Result) Discrepancies() []Pair {
	var out []Pair
	for _, p := range r.Pairs {
		if p.RefLabel != p.TestLabel {
			out = append(out, p)
		}
	}
	return out
}

// Compare matches test beats against reference beats of one record with
// annotate.MatchTimes (bxb's rules, see the package comment) and returns
// the confusion matrix and every pair it counts.
func Compare(record string, ref, test []Annotation, o Options) (*Result, error) {
	if err := o.check(); err != nil {
		return nil, fmt.Errorf("compare %s: %w", record, err)
	}
	if err := errors.Join(checkTimes("reference", ref), checkTimes("test", test)); err != nil {
		return nil, fmt.Errorf("compare %s: %w", record, err)
	}
	rs, ts := newStream(ref, o.Window), newStream(test, o.Window)
	res := &Result{Record: record}
	for _, m := range annotate.MatchTimes(rs.times(), ts.times(), annotate.MatchOptions{Window: o.Window, Start: o.Start, End: o.End}) {
		if p, ok := scored(rs, ts, m); ok {
			res.Matrix[p.RefLabel][p.TestLabel]++
			res.Pairs = append(res.Pairs, p)
		}
	}
	return res, nil
}

// scored labels a match as bxb counts it; ok is false for an unmatched test
// beat inside reference VF, which is not counted.
func scored(ref, test *stream, m annotate.Match) (p Pair, ok bool) {
	switch {
	case m.Ref >= 0 && m.Test >= 0:
		r, t := ref.beats[m.Ref], test.beats[m.Test]
		return Pair{Ref: r.t, Test: t.t, RefLabel: r.l, TestLabel: t.l, RefIndex: r.i, TestIndex: t.i}, true
	case m.Test >= 0:
		t := test.beats[m.Test]
		l := refPseudo(ref, t.t)
		return Pair{Ref: t.t, Test: t.t, RefLabel: l, TestLabel: t.l, RefIndex: -1, TestIndex: t.i}, l != labelNone
	}
	r := ref.beats[m.Ref]
	return Pair{Ref: r.t, Test: r.t, RefLabel: r.l, TestLabel: testPseudo(test, r.t), RefIndex: r.i, TestIndex: -1}, true
}

// refPseudo is bxb's rpann: the reference label for an unmatched test beat.
func refPseudo(ref *stream, t int64) Label {
	switch {
	case inAny(ref.vf, t):
		return labelNone // not counted
	case inAny(ref.sd, t):
		return LabelX
	}
	return LabelO
}

// testPseudo is bxb's tpann: the test label for an unmatched reference beat.
func testPseudo(test *stream, T int64) Label {
	if inAny(test.sd, T) {
		return LabelX
	}
	return LabelO
}
