package annotate

import (
	"cmp"
	"math"
	"slices"
)

// BeatPair is a beat of reader A matched with a beat of reader B; one side
// is nil when the other reader has no beat there.
type BeatPair struct {
	A, B *Beat
}

// MatchBeats pairs the beats of two readers with MatchTimes (reader A as
// the reference, the whole record, no learning period): two beats match
// when they are at most window samples apart, each beat matches at most
// once, and a beat pairs with its closest neighbour (EC38/EC57 beat-by-beat
// comparison as bxb walks it). Both inputs must be sorted by Sample. Every
// beat is in one pair; the pairs come back sorted by position.
//
// This is the pairing kappa needs; the full EC57 statistics of one reader
// against another (learning period, VF exclusion, Se and +P per class) come
// from package annotate/eval with reader A as the reference.
func MatchBeats(a, b []Beat, window int64) []BeatPair {
	ms := MatchTimes(beatTimes(a), beatTimes(b), MatchOptions{Window: window, End: MaxMatchTime - 1})
	ua, ub := make([]bool, len(a)), make([]bool, len(b))
	pairs := make([]BeatPair, 0, len(ms))
	for _, m := range ms {
		var p BeatPair
		if m.Ref >= 0 {
			p.A, ua[m.Ref] = &a[m.Ref], true
		}
		if m.Test >= 0 {
			p.B, ub[m.Test] = &b[m.Test], true
		}
		pairs = append(pairs, p)
	}
	for i := range a { // a beat at time 0 the matcher leaves out
		if !ua[i] {
			pairs = append(pairs, BeatPair{A: &a[i]})
		}
	}
	for j := range b {
		if !ub[j] {
			pairs = append(pairs, BeatPair{B: &b[j]})
		}
	}
	slices.SortStableFunc(pairs, func(x, y BeatPair) int { return cmp.Compare(x.at(), y.at()) })
	return pairs
}

// beatTimes returns the samples of beats.
func beatTimes(beats []Beat) []int64 {
	out := make([]int64, len(beats))
	for i, b := range beats {
		out[i] = b.Sample
	}
	return out
}

// at returns the position of a pair: A's sample, or B's when A is missing.
func (p BeatPair) at() int64 {
	if p.A != nil {
		return p.A.Sample
	}
	return p.B.Sample
}

// classOf returns the AAMI class of an optional beat, ClassNone when absent.
func classOf(b *Beat) Class {
	if b == nil {
		return ClassNone
	}
	return b.Code.Class()
}

// Agreement is how far two readers agree on the beat classes of a record.
type Agreement struct {
	// Confusion counts pairs by A's class (row) and B's class (column).
	// Row or column ClassNone counts beats the other reader has and this
	// one does not.
	Confusion [ClassQ + 1][ClassQ + 1]int
	N         int     // pairs counted
	Observed  float64 // fraction of pairs with the same class
	Kappa     float64 // Cohen's kappa over all six categories
	// PerClass holds one-versus-rest Cohen's kappa per class, indexed by
	// Class (index ClassNone is unused and NaN).
	PerClass [ClassQ + 1]float64
}

// Agree compares the beats of readers A and B (sorted by Sample) with
// MatchBeats and computes Cohen's kappa,
//
//	kappa = (po - pe) / (1 - pe),
//
// where po is the observed fraction of agreement and pe the agreement
// expected by chance, sum over classes k of (row_k / n) (col_k / n).
// Kappa is NaN when pe is 1 (both readers used one category only).
func Agree(a, b []Beat, window int64) Agreement {
	var g Agreement
	for _, p := range MatchBeats(a, b, window) {
		g.Confusion[classOf(p.A)][classOf(p.B)]++
		g.N++
	}
	g.Observed, g.Kappa = kappa(g.Confusion[:])
	g.PerClass[ClassNone] = math.NaN()
	for _, k := range Classes {
		_, g.PerClass[k] = kappa(oneVsRest(g.Confusion, k))
	}
	return g
}

// KappaOf returns the observed agreement and Cohen's kappa of a confusion
// matrix laid out as Agreement.Confusion, such as the sum of several
// records' (pooled): both NaN when it counts no pair.
func KappaOf(m [ClassQ + 1][ClassQ + 1]int) (po, k float64) { return kappa(m[:]) }

// oneVsRest collapses a confusion matrix to 2x2: class k or not.
func oneVsRest(m [ClassQ + 1][ClassQ + 1]int, k Class) [][ClassQ + 1]int {
	out := make([][ClassQ + 1]int, 2)
	for i := range m {
		for j := range m[i] {
			out[b2i(Class(i) != k)][b2i(Class(j) != k)] += m[i][j]
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// kappa returns the observed agreement and Cohen's kappa of a square
// confusion matrix given as its rows (only the first len(m) columns count).
func kappa(m [][ClassQ + 1]int) (po, k float64) {
	n, diag := 0, 0
	rows, cols := make([]int, len(m)), make([]int, len(m))
	for i := range m {
		for j := range len(m) {
			n += m[i][j]
			rows[i] += m[i][j]
			cols[j] += m[i][j]
		}
		diag += m[i][i]
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	po = float64(diag) / float64(n)
	pe := 0.0
	for i := range m {
		pe += float64(rows[i]) * float64(cols[i]) / float64(n) / float64(n)
	}
	if pe == 1 {
		return po, math.NaN()
	}
	return po, (po - pe) / (1 - pe)
}
