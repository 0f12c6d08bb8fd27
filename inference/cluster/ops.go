package cluster

import (
	"cmp"
	"fmt"
	"slices"
)

// Cluster is one cluster: its members least like it first.
type Cluster struct {
	ID       int
	Beats    []int64   // members' samples, by decreasing distance to the centre
	Distance []float32 // the distances, in the order of Beats
	Pinned   bool      // a reader changed it
}

// checkpoint runs the merge and absorb passes; final absorbs small
// clusters of any age.
func (c *Clusterer) checkpoint(final bool) {
	c.mergePass()
	c.absorbPass(final)
}

// mergePass merges, by increasing ID, each unpinned cluster into the first
// older unpinned one whose centre is closer than MergeBelow.
func (c *Clusterer) mergePass() {
	for j := range c.cl {
		if c.cl[j] == nil || c.cl[j].pinned {
			continue
		}
		cj := c.centre(j)
		for i := 0; i < j; i++ {
			if c.cl[i] != nil && !c.cl[i].pinned && c.dist(cj, i) < c.o.MergeBelow {
				c.merge(i, j)
				break
			}
		}
	}
}

// absorbPass gives the members of small clusters to their nearest other
// cluster within AbsorbRadius.
func (c *Clusterer) absorbPass(final bool) {
	for id := range c.cl {
		k := c.cl[id]
		if k == nil || k.pinned || len(k.members) >= c.o.MinSize ||
			(!final && len(c.samples)-k.born < c.o.MergeEvery) {
			continue
		}
		for _, i := range slices.Clone(k.members) {
			to, d := c.nearest(c.feat(i), id)
			if to >= 0 && d <= c.o.AbsorbRadius && len(c.cl[to].members) >= c.o.MinSize {
				c.leave(i)
				c.join(to, i)
			}
		}
	}
}

// centre returns the centre of cluster id.
func (c *Clusterer) centre(id int) []float32 {
	k := c.cl[id]
	f := make([]float32, c.dim)
	for j, s := range k.sum {
		f[j] = float32(s / float64(len(k.members)))
	}
	return f
}

// merge moves every member of cluster b into a.
func (c *Clusterer) merge(a, b int) {
	ka, kb := c.cl[a], c.cl[b]
	for j := range ka.sum {
		ka.sum[j] += kb.sum[j]
	}
	for _, i := range kb.members {
		c.assign[i] = int32(a)
	}
	ka.members = append(ka.members, kb.members...)
	slices.Sort(ka.members)
	ka.born = min(ka.born, kb.born)
	c.cl[b] = nil
}

// Finish runs the final merge and absorb passes; call it when the last
// beats of the record are added. More beats may still be added after it.
func (c *Clusterer) Finish() { c.checkpoint(true) }

// Clusters returns the live clusters, largest first (ties by ID).
func (c *Clusterer) Clusters() []Cluster {
	var out []Cluster
	for id, k := range c.cl {
		if k != nil {
			out = append(out, c.describe(id))
		}
	}
	slices.SortStableFunc(out, func(a, b Cluster) int {
		if d := cmp.Compare(len(b.Beats), len(a.Beats)); d != 0 {
			return d
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// describe returns cluster id with its members ordered least-like first.
func (c *Clusterer) describe(id int) Cluster {
	k := c.cl[id]
	ctr := c.centre(id)
	type md struct {
		i int32
		d float32
	}
	ms := make([]md, len(k.members))
	for j, i := range k.members {
		ms[j] = md{i, float32(distance(c.feat(i), ctr))}
	}
	slices.SortStableFunc(ms, func(a, b md) int {
		if d := cmp.Compare(b.d, a.d); d != 0 {
			return d
		}
		return cmp.Compare(a.i, b.i)
	})
	cl := Cluster{ID: id, Pinned: k.pinned, Beats: make([]int64, len(ms)), Distance: make([]float32, len(ms))}
	for j, m := range ms {
		cl.Beats[j], cl.Distance[j] = c.samples[m.i], m.d
	}
	return cl
}

func distance(a, b []float32) float64 {
	var d float64
	for j := range a {
		x := float64(a[j]) - float64(b[j])
		d += x * x
	}
	return sqrt(d)
}

// index returns the beat index of sample.
func (c *Clusterer) index(sample int64) (int32, error) {
	i, ok := slices.BinarySearch(c.samples, sample)
	if !ok {
		return 0, fmt.Errorf("%w: %d", ErrNoBeat, sample)
	}
	return int32(i), nil
}

// Of returns the ID of the cluster that holds the beat at sample.
func (c *Clusterer) Of(sample int64) (int, bool) {
	i, err := c.index(sample)
	if err != nil {
		return 0, false
	}
	return int(c.assign[i]), true
}

// Members returns the samples of cluster id's members in time order.
func (c *Clusterer) Members(id int) ([]int64, error) {
	if err := c.live(id); err != nil {
		return nil, err
	}
	out := make([]int64, len(c.cl[id].members))
	for j, i := range c.cl[id].members {
		out[j] = c.samples[i]
	}
	return out, nil
}

func (c *Clusterer) live(id int) error {
	if id < 0 || id >= len(c.cl) || c.cl[id] == nil {
		return fmt.Errorf("%w: %d", ErrNoCluster, id)
	}
	return nil
}

// Merge merges cluster b into cluster a, which keeps its ID and is pinned.
func (c *Clusterer) Merge(a, b int) error {
	if err := c.live(a); err != nil {
		return fmt.Errorf("cluster: merge: %w", err)
	}
	if err := c.live(b); err != nil {
		return fmt.Errorf("cluster: merge: %w", err)
	}
	if a == b {
		return fmt.Errorf("cluster: merge %d with itself: %w", a, ErrNoCluster)
	}
	c.merge(a, b)
	c.cl[a].pinned = true
	return nil
}

// Move moves the beats at samples into cluster to, or into a new cluster
// when to is NewCluster, and returns the target's ID. Both the clusters the
// beats leave and the target are pinned.
func (c *Clusterer) Move(samples []int64, to int) (int, error) {
	idx := make([]int32, len(samples))
	for j, s := range samples {
		i, err := c.index(s)
		if err != nil {
			return 0, fmt.Errorf("cluster: move: %w", err)
		}
		idx[j] = i
	}
	if to == NewCluster {
		to = c.newCluster()
	} else if err := c.live(to); err != nil {
		return 0, fmt.Errorf("cluster: move: %w", err)
	}
	c.cl[to].pinned = true
	for _, i := range idx {
		if from := int(c.assign[i]); from != to {
			c.leave(i)
			if c.cl[from] != nil {
				c.cl[from].pinned = true
			}
			c.join(to, i)
		}
	}
	if len(c.cl[to].members) == 0 {
		c.cl[to] = nil
	}
	return to, nil
}
