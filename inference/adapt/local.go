package adapt

import "slices"

// maxNeighbourRefs caps the reader labels the local-evidence gate searches
// (evenly spaced in time when there are more), so the gate's cost stays
// bounded for a record whose reader confirmed most of its pages.
const maxNeighbourRefs = 2048

// neighbourGate is the local evidence the adapter needs before it overrules
// the population model (Options.Neighbours): the reader labels nearest a
// beat in the adapter's own standardised feature space must mostly be of
// the adapter's class. A regression fitted on a few S labels can call S a
// whole stretch of AF or nodal rhythm the reader never looked at; the
// nearest reader labels there are N, so the gate keeps those beats N. A
// beat in a look-alike group (Input.Group) is compared with the reader
// labels of its group only (its look-alikes: and the search stays short),
// any other beat with all of them.
type neighbourGate struct {
	x      []float64 // the feature rows (features), row-major
	nf, k  int
	labels map[int][]int    // positions in rows of the reader labels, by group (-1: all)
	pools  map[int]*refPool // the searched labels of each group, made on first use
	class  func(pos int) int
	best   []neighbour // the search's scratch
}

// refPool is the reader labels searched for the beats of one group.
type refPool struct {
	rows  []float64 // their feature rows, one after another: the search reads them for every beat
	class []int     // their class index (teacher.classes)
}

// newNeighbourGate returns the gate over the reader labels at t.teach, k
// neighbours a beat; nil when k < 1. group gives a beat's look-alike group
// (-1: none).
func (t *teacher) newNeighbourGate(x []float64, nf, k int, group, class func(pos int) int) *neighbourGate {
	if k < 1 {
		return nil
	}
	g := &neighbourGate{x: x, nf: nf, k: k, labels: map[int][]int{}, pools: map[int]*refPool{}, class: class}
	for _, p := range t.teach {
		g.labels[-1] = append(g.labels[-1], p)
		if id := group(p); id >= 0 {
			g.labels[id] = append(g.labels[id], p)
		}
	}
	return g
}

// pool returns the labels searched for the beats of group id (-1: all),
// at most maxNeighbourRefs of them, evenly spaced in time.
func (g *neighbourGate) pool(id int) *refPool {
	if p, ok := g.pools[id]; ok {
		return p
	}
	ps := g.labels[id]
	p := &refPool{}
	step := max(1, (len(ps)+maxNeighbourRefs-1)/maxNeighbourRefs)
	for j := 0; j < len(ps); j += step {
		p.rows = append(p.rows, g.x[ps[j]*g.nf:(ps[j]+1)*g.nf]...)
		p.class = append(p.class, g.class(ps[j]))
	}
	g.pools[id] = p
	return p
}

// agrees reports whether at least half of the k reader labels nearest the
// beat at position pos (squared Euclidean distance over its feature row;
// ties go to the earlier label), among those of its group id (-1: all),
// are of class c.
func (g *neighbourGate) agrees(pos, id, c int) bool {
	p := g.pool(id)
	k := min(g.k, len(p.class))
	if k == 0 {
		return false
	}
	best := nearest(g.best[:0], g.x[pos*g.nf:(pos+1)*g.nf], p, g.nf, k)
	g.best = best
	votes := 0
	for _, n := range best {
		if n.class == c {
			votes++
		}
	}
	return 2*votes >= k
}

// nearest returns, in best's storage, the k rows of p nearest q (squared
// Euclidean distance; ties go to the earlier row), nearest first.
func nearest(best []neighbour, q []float64, p *refPool, nf, k int) []neighbour {
	for j := range p.class {
		limit := -1.0 // no bound until k are known
		if len(best) == k {
			limit = best[k-1].d
		}
		d, ok := sqDist(q, p.rows[j*nf:(j+1)*nf], limit)
		if !ok {
			continue
		}
		at, _ := slices.BinarySearchFunc(best, d, func(n neighbour, d float64) int {
			if n.d <= d {
				return -1
			}
			return 1
		})
		best = slices.Insert(best, at, neighbour{d: d, class: p.class[j]})
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

// neighbour is a reader label found near a beat.
type neighbour struct {
	d     float64
	class int
}

// sqDist returns the squared distance of a and b, and false as soon as it
// reaches limit (when limit ≥ 0): a label farther than the k-th nearest
// is not worth finishing.
func sqDist(a, b []float64, limit float64) (float64, bool) {
	s := 0.0
	for i, v := range a {
		d := v - b[i]
		s += d * d
		if limit >= 0 && s >= limit {
			return s, false
		}
	}
	return s, true
}

// groupVotes counts, per look-alike group of Input.Group, the reader
// labels of each class (indices into teacher.classes) it holds.
type groupVotes map[int][]int

// groupVotes returns the reader labels' votes of each group; nil without
// groups.
func (t *teacher) groupVotes(in *Input, rows []int) groupVotes {
	if in.Group == nil {
		return nil
	}
	out := groupVotes{}
	for _, k := range t.teach {
		g := in.Group[rows[k]]
		if g < 0 {
			continue
		}
		if out[g] == nil {
			out[g] = make([]int, len(t.classes))
		}
		out[g][t.index[in.Beats[rows[k]].Code.Class()]]++
	}
	return out
}

// backs reports whether group g's reader labels back class c: at least one
// of them is c.
func (v groupVotes) backs(g, c int) bool { return v[g] != nil && v[g][c] > 0 }
