package export

import (
	"container/heap"
	"sort"
)

// beatPair is a position of a and a position of b taken as the same beat,
// by index.
type beatPair struct{ A, B int }

// pairClosest pairs positions of a and b (samples, each ascending) one to
// one, closest pairs first, none further apart than tol samples: the
// greedy closest-pair matching of EC57 beat-by-beat comparison. It returns
// the pairs in the order of a, and the indices of a and of b left without
// a partner, ascending. Ties go to the earlier position of a, then of b.
// Each position of a walks outwards through the positions of b in reach,
// nearest first, so memory stays linear however dense the positions are.
func pairClosest(a, b []int64, tol int64) (pairs []beatPair, onlyA, onlyB []int) {
	cur := make([]pairCursor, len(a))
	h := make(pairHeap, 0, len(a))
	for i, s := range a {
		j := sort.Search(len(b), func(k int) bool { return b[k] >= s })
		cur[i] = pairCursor{lo: j - 1, hi: j}
		if c, ok := cur[i].next(s, b, tol); ok {
			h = append(h, pairCand{dist: c.dist, a: i, b: c.b})
		}
	}
	heap.Init(&h)
	takenA, takenB := make([]bool, len(a)), make([]bool, len(b))
	for h.Len() > 0 {
		c := heap.Pop(&h).(pairCand)
		if !takenB[c.b] {
			takenA[c.a], takenB[c.b] = true, true
			pairs = append(pairs, beatPair{c.a, c.b})
			continue
		}
		if n, ok := cur[c.a].next(a[c.a], b, tol); ok {
			heap.Push(&h, pairCand{dist: n.dist, a: c.a, b: n.b})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].A < pairs[j].A })
	return pairs, untaken(takenA), untaken(takenB)
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

func untaken(taken []bool) []int {
	var out []int
	for i, t := range taken {
		if !t {
			out = append(out, i)
		}
	}
	return out
}

// pairCursor walks the positions of b around one position of a: lo is the
// next candidate at or before it, hi the next after.
type pairCursor struct{ lo, hi int }

// next returns the nearest candidate of b not yet offered (the earlier on
// a tie), or false when none is within tol of s.
func (c *pairCursor) next(s int64, b []int64, tol int64) (pairCand, bool) {
	dl, dr := tol+1, tol+1
	if c.lo >= 0 {
		dl = s - b[c.lo]
	}
	if c.hi < len(b) {
		dr = b[c.hi] - s
	}
	switch {
	case dl <= dr && dl <= tol:
		c.lo--
		return pairCand{dist: dl, b: c.lo + 1}, true
	case dr < dl && dr <= tol:
		c.hi++
		return pairCand{dist: dr, b: c.hi - 1}, true
	}
	return pairCand{}, false
}

// pairCand is a candidate pair with its distance (samples).
type pairCand struct {
	dist int64
	a, b int
}

// pairHeap orders candidates by distance, then a, then b.
type pairHeap []pairCand

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(i, j int) bool {
	x, y := h[i], h[j]
	if x.dist != y.dist {
		return x.dist < y.dist
	}
	if x.a != y.a {
		return x.a < y.a
	}
	return x.b < y.b
}
func (h pairHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pairCand)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
