package svtrun

import (
	"slices"
)

// refs returns ref of every beat of peaks in samples (0: no interval in
// its window): the interval of rank floor(RefRank·(m-1)) among the m
// intervals between consecutive peaks within ±span samples of the beat.
// The window slides forward with the beats; its intervals are counted in a
// Fenwick tree over their distinct values.
func refs(peaks []int64, span int64) []int64 {
	n := len(peaks)
	out := make([]int64, n)
	if n < 2 {
		return out
	}
	d := make([]int64, n-1) // d[k] = peaks[k+1] - peaks[k]
	for k := range d {
		d[k] = peaks[k+1] - peaks[k]
	}
	vals := slices.Clone(d)
	slices.Sort(vals)
	vals = slices.Compact(vals)
	pos := make([]int, len(d)) // pos[k]: index of d[k] in vals
	for k, v := range d {
		pos[k], _ = slices.BinarySearch(vals, v)
	}
	t := newFenwick(len(vals))
	a, b := 0, 0 // intervals a..b-1 are in t
	lo, hi := 0, 0
	for i, p := range peaks {
		for peaks[lo] < p-span {
			lo++
		}
		for hi+1 < n && peaks[hi+1] <= p+span {
			hi++
		}
		for ; b < hi; b++ { // the window's intervals are lo..hi-1
			t.add(pos[b], 1)
		}
		for ; a < lo; a++ {
			t.add(pos[a], -1)
		}
		if m := hi - lo; m > 0 {
			out[i] = vals[t.kth(int(RefRank*float64(m-1)))]
		}
	}
	return out
}

// fenwick is a binary indexed tree of counts over value indexes 0..n-1.
type fenwick struct {
	c    []int // 1-based
	step int   // the largest power of two <= n
}

func newFenwick(n int) *fenwick {
	step := 1
	for step*2 <= n {
		step *= 2
	}
	return &fenwick{c: make([]int, n+1), step: step}
}

// add adds delta to the count of value index v.
func (f *fenwick) add(v, delta int) {
	for i := v + 1; i < len(f.c); i += i & -i {
		f.c[i] += delta
	}
}

// kth returns the value index of the k-th smallest counted value (0-based);
// k must be below the total count.
func (f *fenwick) kth(k int) int {
	i := 0
	for s := f.step; s > 0; s /= 2 {
		if j := i + s; j < len(f.c) && f.c[j] <= k {
			i = j
			k -= f.c[j]
		}
	}
	return i // 1-based index i+1 is value index i
}
