package annotate

import "math"

// MatchOptions set the beat matcher, MatchTimes.
type MatchOptions struct {
	// Window is the match window, samples: two beats may match when they
	// are at most Window apart (EC57: 150 ms). Must be > 0.
	Window int64
	// Start is the first reference time matched (bxb -f; EC57: 5 minutes).
	// Earlier beats are not matched, except that the last test beat before
	// Start may match the first reference beat from Start on.
	Start int64
	// End > 0 matches until both streams pass End; End <= 0 stops at the
	// last reference beat.
	End int64
}

// Match is one outcome of MatchTimes: Ref and Test index the reference and
// test times; the side without a beat is NoBeat.
type Match struct {
	Ref, Test int
}

// NoBeat marks the missing side of a Match.
const NoBeat = -1

// MaxMatchTime bounds the times MatchTimes takes, so that differences of
// two times never overflow; no record comes near it.
const MaxMatchTime = math.MaxInt64 / 4

// The matcher's pseudo beats: the origin each stream starts from (time 0,
// no beat) and the end (time MaxMatchTime).
const (
	originBeat = -2
	endBeat    = -3
)

// MatchTimes pairs a reference and a test stream of beat times (each
// sorted ascending, in [0, MaxMatchTime)) by the beat-by-beat rule of
// ANSI/AAMI EC38/EC57 as PhysioNet's bxb implements it. It is the one
// matcher of the project: EC57 scoring (annotate/eval), reader agreement
// (MatchBeats) and moving beats onto detector positions use it.
//
// Both streams are walked in time order. Of the current reference beat T
// and test beat t, the earlier one is paired with the other when they are
// at most Window apart and it is the closer match: the other's next beat
// (T' or t') is farther from the other, or that next beat is closer to the
// earlier stream's next beat (bxb's 2002 rule). Otherwise the earlier beat
// has no partner. So each beat is in one Match at most, a beat pairs with
// its closest neighbour in the window, a tie goes to the later beat, and
// a beat exactly Window away still matches.
//
// The matches come in walk order. Beats that bxb does not score are left
// out: reference beats before Start, test beats before the last one before
// Start, a first test beat within the window after Start when the next test
// beat is closer to the first reference beat (bxb drops it), beats past the end (see End), and a beat that
// bxb pairs with the other stream's origin (a test beat at time 0 when
// Start is 0, or with no test beat before Start a first reference beat
// closer to time 0 than to the first test beat and within the window).
func MatchTimes(ref, test []int64, o MatchOptions) []Match {
	m := &walk{ref: cursor{at: ref}, test: cursor{at: test}, w: o.Window,
		A: originBeat, Ap: originBeat, a: originBeat, ap: originBeat}
	m.start(o.Start)
	for m.more(o.End) {
		m.step()
	}
	return m.out
}

// cursor reads one stream of times.
type cursor struct {
	at   []int64
	next int
}

// pop returns the next beat's time and index, or the end.
func (c *cursor) pop() (int64, int) {
	if c.next >= len(c.at) {
		return MaxMatchTime, endBeat
	}
	i := c.next
	c.next++
	return c.at[i], i
}

// walk holds bxb's state: the current and next beat (time and index) of
// each stream.
type walk struct {
	ref, test    cursor
	T, Tp, t, tp int64
	A, Ap, a, ap int
	w            int64
	out          []Match
}

func (m *walk) getref()  { m.T, m.A = m.Tp, m.Ap; m.Tp, m.Ap = m.ref.pop() }
func (m *walk) gettest() { m.t, m.a = m.tp, m.ap; m.tp, m.ap = m.test.pop() }

// start positions both streams at Start as bxb does, pairing the last test
// beat before Start with the first reference beat from it when that is the
// best match.
func (m *walk) start(start int64) {
	for m.getref(); m.T < start; m.getref() {
	}
	for m.gettest(); m.tp < start; m.gettest() {
	}
	if m.T-m.t < abs64(m.T-m.tp) && m.T-m.t <= m.w {
		m.emit(m.A, m.a)
		m.getref()
		m.gettest()
		return
	}
	m.gettest()
	if m.t-start <= m.w && abs64(m.T-m.tp) < abs64(m.T-m.t) {
		m.gettest()
	}
}

func (m *walk) more(end int64) bool {
	if end > 0 {
		return m.T <= end || m.t <= end
	}
	return m.T != MaxMatchTime
}

// step performs one of bxb's four actions.
func (m *walk) step() {
	T, Tp, t, tp, w := m.T, m.Tp, m.t, m.tp, m.w
	if t < T {
		if T-t <= w && (T-t < abs64(T-tp) || abs64(Tp-tp) < abs64(T-tp)) {
			m.emit(m.A, m.a)
			m.getref()
			m.gettest()
			return
		}
		m.emit(NoBeat, m.a)
		m.gettest()
		return
	}
	if t-T <= w && (t-T < abs64(t-Tp) || abs64(tp-Tp) < abs64(t-Tp)) {
		m.emit(m.A, m.a)
		m.gettest()
		m.getref()
		return
	}
	m.emit(m.A, NoBeat)
	m.getref()
}

// emit records a match unless a side is a pseudo beat (origin or end).
func (m *walk) emit(ref, test int) {
	if ref < NoBeat || test < NoBeat {
		return
	}
	m.out = append(m.out, Match{Ref: ref, Test: test})
}
