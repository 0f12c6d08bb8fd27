package eval

import (
	"errors"
	"fmt"
)

// Pair is one discrepancy found by Compare: a reference and a test beat
// with different labels, or a beat of one stream without a partner (then
// the missing side is LabelO or LabelX and its time equals the other's).
type Pair struct {
	Ref, Test           int64 // sample times
	RefLabel, TestLabel Label
}

// Result is the beat-by-beat comparison of one record.
type Result struct {
	Record        string
	Matrix        Matrix // [reference label][test label]
	Discrepancies []Pair // every pair whose labels differ, in time order
}

// matcher holds bxb's state: the current and next beat of each stream.
type matcher struct {
	ref, test    *stream
	T, Tp, t, tp int64
	A, Ap, a, ap Label
	w            int64
	res          *Result
}

func (m *matcher) getref()  { m.T, m.A = m.Tp, m.Ap; m.Tp, m.Ap = m.ref.pop() }
func (m *matcher) gettest() { m.t, m.a = m.tp, m.ap; m.tp, m.ap = m.test.pop() }

// Compare matches test beats against reference beats of one record by the
// rules of bxb (see the package comment) and returns the confusion matrix
// and the discrepancies.
func Compare(record string, ref, test []Annotation, o Options) (*Result, error) {
	if err := o.check(); err != nil {
		return nil, fmt.Errorf("compare %s: %w", record, err)
	}
	if err := errors.Join(checkTimes("reference", ref), checkTimes("test", test)); err != nil {
		return nil, fmt.Errorf("compare %s: %w", record, err)
	}
	m := &matcher{ref: newStream(ref, o.Window), test: newStream(test, o.Window),
		w: o.Window, res: &Result{Record: record}, A: labelNone, Ap: labelNone, a: labelNone, ap: labelNone}
	m.start(o.Start)
	for m.more(o.End) {
		m.step()
	}
	return m.res, nil
}

// start positions both streams at the test period as bxb does, pairing the
// last test beat of the learning period with the first reference beat after
// it when that is the best match.
func (m *matcher) start(start int64) {
	for m.getref(); m.T < start; m.getref() {
	}
	for m.gettest(); m.tp < start; m.gettest() {
	}
	if m.T-m.t < abs(m.T-m.tp) && m.T-m.t <= m.w {
		m.pair(m.A, m.a)
		m.getref()
		m.gettest()
		return
	}
	m.gettest()
	if m.t-start <= m.w && abs(m.T-m.tp) < abs(m.T-m.t) {
		m.gettest()
	}
}

func (m *matcher) more(end int64) bool {
	if end > 0 {
		return m.T <= end || m.t <= end
	}
	return m.T != huge
}

// step performs one of bxb's four actions.
func (m *matcher) step() {
	T, Tp, t, tp, w := m.T, m.Tp, m.t, m.tp, m.w
	if t < T {
		if T-t <= w && (T-t < abs(T-tp) || abs(Tp-tp) < abs(T-tp)) {
			m.pair(m.A, m.a)
			m.getref()
			m.gettest()
			return
		}
		m.pair(m.refPseudo(t), m.a)
		m.gettest()
		return
	}
	if t-T <= w && (t-T < abs(t-Tp) || abs(tp-Tp) < abs(t-Tp)) {
		m.pair(m.A, m.a)
		m.gettest()
		m.getref()
		return
	}
	m.pair(m.A, m.testPseudo(T))
	m.getref()
}

// refPseudo is bxb's rpann: the reference label for an unmatched test beat.
func (m *matcher) refPseudo(t int64) Label {
	switch {
	case inAny(m.ref.vf, t):
		return labelNone // not counted
	case inAny(m.ref.sd, t):
		return LabelX
	}
	return LabelO
}

// testPseudo is bxb's tpann: the test label for an unmatched reference beat.
func (m *matcher) testPseudo(T int64) Label {
	if inAny(m.test.sd, T) {
		return LabelX
	}
	return LabelO
}

func (m *matcher) pair(ref, test Label) {
	if ref >= labelNone || test >= labelNone || (ref >= LabelO && test >= LabelO) {
		return
	}
	m.res.Matrix[ref][test]++
	if ref == test {
		return
	}
	p := Pair{Ref: m.T, Test: m.t, RefLabel: ref, TestLabel: test}
	switch {
	case ref >= LabelO:
		p.Ref = m.t
	case test >= LabelO:
		p.Test = m.T
	}
	m.res.Discrepancies = append(m.res.Discrepancies, p)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
