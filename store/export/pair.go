package export

import (
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// beatPair is a position of a and a position of b taken as the same beat,
// by index.
type beatPair struct{ A, B int }

// pairClosest pairs positions of a and b (samples, each ascending) one to
// one, none further apart than tol samples, with annotate.MatchTimes: the
// project's one beat matcher, EC57's closest-pair rule as bxb walks it
// (a tie goes to the later beat). tol 0 pairs equal positions only. It
// returns the pairs in the order of a, and the indices of a and of b left
// without a partner, ascending.
func pairClosest(a, b []int64, tol int64) (pairs []beatPair, onlyA, onlyB []int) {
	if tol <= 0 {
		pairs = pairEqual(a, b)
	} else {
		o := annotate.MatchOptions{Window: tol, End: annotate.MaxMatchTime - 1}
		for _, m := range annotate.MatchTimes(a, b, o) {
			if m.Ref != annotate.NoBeat && m.Test != annotate.NoBeat {
				pairs = append(pairs, beatPair{m.Ref, m.Test})
			}
		}
	}
	takenA, takenB := make([]bool, len(a)), make([]bool, len(b))
	for _, p := range pairs {
		takenA[p.A], takenB[p.B] = true, true
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].A < pairs[j].A })
	return pairs, untaken(takenA), untaken(takenB)
}

// pairEqual pairs the positions of a and b that are equal, in order.
func pairEqual(a, b []int64) []beatPair {
	var pairs []beatPair
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			pairs = append(pairs, beatPair{i, j})
			i, j = i+1, j+1
		}
	}
	return pairs
}

func untaken(taken []bool) []int {
	var out []int
	for i, t := range taken {
		if !t {
			out = append(out, i)
		}
	}
	return out
}

// pairNear pairs the labels at positions a and b: first those at the same
// sample, whatever they are (the label database keeps one per sample),
// then, among those left, the QRS beats (qrsA, qrsB say which) closest
// first within tol; other annotations (x, |, comments) pair only at the
// same sample. Results as pairClosest.
func pairNear(a, b []int64, qrsA, qrsB func(int) bool, tol int64) (pairs []beatPair, onlyA, onlyB []int) {
	pairs, restA, restB := pairClosest(a, b, 0)
	ia, ib := pick(restA, qrsA), pick(restB, qrsB)
	more, ua, ub := pairClosest(at(a, ia), at(b, ib), tol)
	for _, p := range more {
		pairs = append(pairs, beatPair{ia[p.A], ib[p.B]})
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].A < pairs[j].A })
	return pairs, unpaired(restA, ia, ua), unpaired(restB, ib, ub)
}

// pick returns the indices of idx that keep says.
func pick(idx []int, keep func(int) bool) []int {
	var out []int
	for _, i := range idx {
		if keep(i) {
			out = append(out, i)
		}
	}
	return out
}

// at returns the positions at idx.
func at(pos []int64, idx []int) []int64 {
	out := make([]int64, len(idx))
	for k, i := range idx {
		out[k] = pos[i]
	}
	return out
}

// unpaired returns rest less the picked indices that paired in the second
// round (picked[k] for k not in left), ascending.
func unpaired(rest, picked, left []int) []int {
	drop := map[int]bool{}
	for _, i := range picked {
		drop[i] = true
	}
	for _, k := range left {
		drop[picked[k]] = false
	}
	var out []int
	for _, i := range rest {
		if !drop[i] {
			out = append(out, i)
		}
	}
	return out
}
