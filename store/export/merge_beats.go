package export

import (
	"fmt"
	"math"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// Beats of the two sides are paired by position, not by exact sample: two
// laptops that snapped an inserted beat, two detector versions, or a
// reference file and a detector's output place the same QRS complex a few
// samples apart, and pairing by sample alone would keep both (a beat
// doubled, an RR interval of a few ms).
const (
	// PairTolerance is how far apart (s) a local and an incoming beat may
	// be and still be the same beat: the 150 ms match window of ANSI/AAMI
	// EC57 beat-by-beat comparison, wide enough for any two placements of
	// one QRS complex (its width is 60-120 ms) and narrower than the
	// shortest physiological RR interval.
	PairTolerance = 0.150
	// Refractory is the closest (s) two beats of a merged label set may
	// be unless one side's reader put both there: the ventricular
	// refractory period (about 200 ms), inside which no second beat can
	// follow. A closer pair from one side's reader (a marked artefact, a
	// pacemaker spike next to its QRS) is kept as that reader put it.
	Refractory = 0.200
)

// windows returns PairTolerance and Refractory in samples of fs; a record
// without a sampling frequency pairs exactly and has no refractory check.
func windows(fs float64) (tol, refr int64) {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return 0, 0
	}
	return int64(PairTolerance*fs + 0.5), int64(Refractory*fs + 0.5)
}

// slot is a beat of the merged set as it is being built: a local beat
// (maybe replaced at the same sample by the incoming one) or an incoming
// one the merge adds.
type slot struct {
	b       annotate.Beat
	inOwned bool // the incoming side's reader put a beat at exactly this sample
	gone    bool // removed by the merge
	paired  bool // a local beat paired with an incoming beat
	added   bool // an incoming beat at a new position
}

// candidate is an incoming beat at a position the merged set does not
// have yet: added, or replacing the local suggestion repl (-1: none).
type candidate struct {
	b    annotate.Beat
	repl int
}

func beatSamples(bs []annotate.Beat) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.Sample
	}
	return out
}

func descAt(b annotate.Beat) string { return fmt.Sprintf("%s at %d", descBeat(b), b.Sample) }

func beatSpan(a, b int64) (int64, int64) { return min(a, b), max(a, b) + 1 }

// beats merges the incoming beats (sorted by sample): pairs first, then the
// incoming beats at new positions in sample order, each checked against
// the beats already there.
func (m *merger) beats(in []annotate.Beat) {
	local := m.localBeats()
	pairs, _, onlyIn := pairNear(beatSamples(local), beatSamples(in), isQRS(local), isQRS(in), m.tol)
	var cands []candidate
	for _, p := range pairs {
		m.local[p.A].paired = true
		if c, ok := m.pairBeat(p.A, in[p.B]); ok {
			cands = append(cands, c)
		}
	}
	for _, j := range onlyIn {
		if !m.tombed(in[j]) {
			cands = append(cands, candidate{b: in[j], repl: -1})
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].b.Sample < cands[j].b.Sample })
	for _, c := range cands {
		m.place(c)
	}
}

func (m *merger) localBeats() []annotate.Beat {
	out := make([]annotate.Beat, len(m.local))
	for i, s := range m.local {
		out[i] = s.b
	}
	return out
}

// pairBeat settles local beat li and incoming beat b, the same beat; an
// incoming reader's beat that moves a suggestion comes back as a candidate.
func (m *merger) pairBeat(li int, b annotate.Beat) (candidate, bool) {
	s := &m.local[li]
	l := s.b
	same := l.Sample == b.Sample
	s.inOwned = same && ownedBeat(b)
	switch {
	case same && l.Code == b.Code && l.Chan == b.Chan:
		if ownedBeat(b) && !ownedBeat(l) {
			m.setBeat(b.Sample, &l, b)
			s.b = b
			m.res.Updated++
		} else {
			m.res.Unchanged++
		}
	case ownedBeat(b) && !ownedBeat(l) && same:
		m.setBeat(b.Sample, &l, b)
		s.b = b
		m.res.Updated++
	case ownedBeat(b) && !ownedBeat(l):
		return candidate{b: b, repl: li}, true
	case ownedBeat(b):
		a, z := beatSpan(l.Sample, b.Sample)
		m.conflict("beat", a, z, descAt(l), descAt(b))
	default:
		m.res.Kept++
	}
	return candidate{}, false
}

// tombed reports whether a local reader deleted a beat within the pairing
// tolerance of the unpaired incoming beat b (at its sample for other
// annotations); a conflict if b is a reader's.
func (m *merger) tombed(b annotate.Beat) bool {
	t, ok := m.tombsL[b.Sample]
	if !ok && b.Code.IsBeat() {
		t, ok = m.tombNear(b.Sample)
	}
	if !ok {
		return false
	}
	if ownedBeat(b) {
		a, z := beatSpan(t.Sample, b.Sample)
		m.conflict("beat", a, z, fmt.Sprintf("deleted by %s at %d", t.By, t.Sample), descAt(b))
	} else {
		m.res.Kept++
	}
	return true
}

// tombNear returns the local tomb nearest to s within the tolerance.
func (m *merger) tombNear(s int64) (annotate.Tomb, bool) {
	i := sort.Search(len(m.tombS), func(k int) bool { return m.tombS[k] >= s })
	best, found := int64(-1), false
	for _, k := range []int{i - 1, i} {
		if k >= 0 && k < len(m.tombS) && abs64(m.tombS[k]-s) <= m.tol && (!found || abs64(m.tombS[k]-s) < abs64(best-s)) {
			best, found = m.tombS[k], true
		}
	}
	return m.tombsL[best], found
}

func abs64(v int64) int64 { return max(v, -v) }

// place puts candidate c in unless a beat closer than the refractory period
// is there that one side's reader did not put there with it: suggestions
// near an incoming reader's beat make way, anything else keeps c out.
func (m *merger) place(c candidate) {
	if c.repl >= 0 && m.local[c.repl].gone {
		c.repl = -1 // already made way for an earlier reader's beat
	}
	var drop []*slot
	if !c.b.Code.IsBeat() {
		m.accept(c, nil) // other annotations (x, |, comments) sit anywhere
		return
	}
	for _, n := range append(m.nearLocal(c.b.Sample, c.repl), m.nearAdded(c.b.Sample)...) {
		allowed, d := closeRule(c.b, *n)
		switch {
		case d:
			drop = append(drop, n)
		case !allowed:
			m.tooClose(c, n.b)
			return
		}
	}
	m.accept(c, drop)
}

// closeRule says whether incoming beat b may stand closer than the
// refractory period to n (both its reader's), or n must make way (a
// suggestion, b a reader's).
func closeRule(b annotate.Beat, n slot) (allowed, drop bool) {
	if !ownedBeat(b) {
		return false, false
	}
	if n.inOwned {
		return true, false
	}
	return false, !ownedBeat(n.b)
}

func (m *merger) tooClose(c candidate, n annotate.Beat) {
	if !ownedBeat(c.b) {
		m.res.Kept++
		return
	}
	local, incoming := descAt(n), descAt(c.b)+fmt.Sprintf(", closer than %.0f ms to it", Refractory*1000)
	if c.repl >= 0 {
		incoming += ", moving " + descAt(m.local[c.repl].b)
	}
	a, z := beatSpan(n.Sample, c.b.Sample)
	m.conflict("beat", a, z, local, incoming)
}

func (m *merger) accept(c candidate, drop []*slot) {
	for _, n := range drop {
		if n.added {
			n.gone = true
			delete(m.bch, n.b.Sample)
			m.res.Added--
			m.res.Kept++
		} else {
			m.removeLocal(n, m.in.Reader)
			m.res.Deleted++
		}
	}
	if c.repl >= 0 {
		m.removeLocal(&m.local[c.repl], m.in.Reader)
		m.res.Updated++
	} else {
		m.res.Added++
	}
	m.setBeat(c.b.Sample, nil, c.b)
	m.added = append(m.added, slot{b: c.b, inOwned: ownedBeat(c.b), added: true})
}

// removeLocal takes local beat s out, with a tomb by who at its sample so
// that a later model run does not put it back.
func (m *merger) removeLocal(s *slot, who annotate.ReaderID) {
	s.gone = true
	l := s.b
	m.bch[l.Sample] = annotate.BeatChange{Sample: l.Sample, Before: &l}
	if _, dead := m.tombsL[l.Sample]; !dead {
		m.tch[l.Sample] = annotate.TombChange{Sample: l.Sample, After: &annotate.Tomb{Sample: l.Sample, By: who}}
	}
}

// nearLocal returns the live local QRS beats closer than the refractory
// period to s, but skip.
func (m *merger) nearLocal(s int64, skip int) []*slot {
	var out []*slot
	i := sort.Search(len(m.local), func(k int) bool { return m.local[k].b.Sample > s-m.refr })
	for ; i < len(m.local) && m.local[i].b.Sample < s+m.refr; i++ {
		if i != skip && !m.local[i].gone && m.local[i].b.Code.IsBeat() {
			out = append(out, &m.local[i])
		}
	}
	return out
}

// nearAdded returns the QRS beats added so far (all before s) closer than
// the refractory period to s.
func (m *merger) nearAdded(s int64) []*slot {
	var out []*slot
	for k := len(m.added) - 1; k >= 0 && m.added[k].b.Sample > s-m.refr; k-- {
		if !m.added[k].gone && m.added[k].b.Code.IsBeat() {
			out = append(out, &m.added[k])
		}
	}
	return out
}

// tombs merges the incoming beat deletions: one within the tolerance of a
// local tomb is already there; one within the tolerance of a local beat
// no incoming beat paired deletes it (a conflict if it is a reader's).
func (m *merger) tombs(in []annotate.Tomb) {
	var fresh []annotate.Tomb
	for _, t := range in {
		if _, ok := m.tombNear(t.Sample); ok {
			m.res.Unchanged++
		} else {
			fresh = append(fresh, t)
		}
	}
	var free []int
	for j, s := range m.local {
		if !s.paired && !s.gone {
			free = append(free, j)
		}
	}
	freeS := make([]int64, len(free))
	for i, j := range free {
		freeS[i] = m.local[j].b.Sample
	}
	ts := make([]int64, len(fresh))
	for i, t := range fresh {
		ts[i] = t.Sample
	}
	var freeB []annotate.Beat
	for _, j := range free {
		freeB = append(freeB, m.local[j].b)
	}
	pairs, onlyT, _ := pairNear(ts, freeS, func(int) bool { return true }, isQRS(freeB), m.tol)
	for _, p := range pairs {
		m.tombBeat(fresh[p.A], free[p.B])
	}
	for _, i := range onlyT {
		m.keepTomb(fresh[i])
	}
}

// tombBeat applies incoming tomb t to the local beat j it paired with.
func (m *merger) tombBeat(t annotate.Tomb, j int) {
	l := m.local[j].b
	if ownedBeat(l) {
		a, z := beatSpan(l.Sample, t.Sample)
		m.conflict("beat", a, z, descAt(l), fmt.Sprintf("deleted by %s at %d", t.By, t.Sample))
		return
	}
	m.removeLocal(&m.local[j], t.By)
	m.res.Deleted++
}

// keepTomb records an incoming tomb no local beat answers, unless the
// merge put a beat at its sample (the incoming beat wins).
func (m *merger) keepTomb(t annotate.Tomb) {
	if _, changed := m.bch[t.Sample]; changed {
		return
	}
	tt := t
	m.tch[t.Sample] = annotate.TombChange{Sample: t.Sample, After: &tt}
}

func isQRS(bs []annotate.Beat) func(int) bool {
	return func(i int) bool { return bs[i].Code.IsBeat() }
}
