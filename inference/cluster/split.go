package cluster

import (
	"fmt"
	"math"
)

func sqrt(x float64) float64 { return math.Sqrt(x) }

// splitIters bounds the 2-means iterations of Split.
const splitIters = 20

// Split divides cluster id in two by 2-means, started from its member
// farthest from the centre and the member farthest from that one. The part
// holding the first seed keeps id; the other gets a new ID, returned. Both
// are pinned. A cluster of fewer than 2 beats cannot be split.
func (c *Clusterer) Split(id int) (int, error) {
	if err := c.live(id); err != nil {
		return 0, fmt.Errorf("cluster: split: %w", err)
	}
	ms := c.cl[id].members
	if len(ms) < 2 {
		return 0, fmt.Errorf("cluster: split %d: %w", id, ErrTooSmall)
	}
	a := c.farthest(ms, c.centre(id))
	b := c.farthest(ms, c.feat(a))
	ca, cb := clone(c.feat(a)), clone(c.feat(b))
	var inB []int64
	for it := 0; it < splitIters; it++ {
		var next []int64
		ca, cb, next = c.lloyd(ms, ca, cb)
		if len(next) == 0 || len(next) == len(ms) || equal(next, inB) {
			inB = next
			break
		}
		inB = next
	}
	if len(inB) == 0 || len(inB) == len(ms) {
		return 0, fmt.Errorf("cluster: split %d: members are identical: %w", id, ErrTooSmall)
	}
	c.cl[id].pinned = true
	return c.Move(inB, NewCluster)
}

// farthest returns the member farthest from f (the first on ties).
func (c *Clusterer) farthest(ms []int32, f []float32) int32 {
	best, bd := ms[0], -1.0
	for _, i := range ms {
		if d := distance(c.feat(i), f); d > bd {
			best, bd = i, d
		}
	}
	return best
}

// lloyd assigns members to the nearer of ca and cb and returns the new
// centres and the samples nearer cb.
func (c *Clusterer) lloyd(ms []int32, ca, cb []float32) ([]float32, []float32, []int64) {
	sa, sb := make([]float64, c.dim), make([]float64, c.dim)
	na, nb := 0, 0
	var inB []int64
	for _, i := range ms {
		f := c.feat(i)
		if distance(f, cb) < distance(f, ca) {
			inB = append(inB, c.samples[i])
			add(sb, f)
			nb++
		} else {
			add(sa, f)
			na++
		}
	}
	return mean(sa, na, ca), mean(sb, nb, cb), inB
}

func add(s []float64, f []float32) {
	for j, v := range f {
		s[j] += float64(v)
	}
}

func mean(s []float64, n int, keep []float32) []float32 {
	if n == 0 {
		return keep
	}
	f := make([]float32, len(s))
	for j, v := range s {
		f[j] = float32(v / float64(n))
	}
	return f
}

func clone(f []float32) []float32 { return append([]float32(nil), f...) }

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// LookAlikes returns the other members of the beat's cluster within
// LookRadius of it, nearest first (ties by time): the beats a correction of
// this one may propagate to. It implements review.LookAlikes.
func (c *Clusterer) LookAlikes(sample int64) []int64 {
	i, err := c.index(sample)
	if err != nil {
		return nil
	}
	f := c.feat(i)
	type nd struct {
		s int64
		d float64
	}
	var ns []nd
	for _, j := range c.cl[c.assign[i]].members {
		if j == i {
			continue
		}
		if d := distance(c.feat(j), f); d <= c.lookRadius() {
			ns = append(ns, nd{c.samples[j], d})
		}
	}
	sortByDist(ns, func(x nd) (float64, int64) { return x.d, x.s })
	out := make([]int64, len(ns))
	for j, n := range ns {
		out[j] = n.s
	}
	return out
}

func (c *Clusterer) lookRadius() float64 {
	if c.o.LookRadius > 0 {
		return c.o.LookRadius
	}
	return c.o.Threshold / 2
}
