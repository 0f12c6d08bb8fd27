package adapt

// maxCrowd caps the beats of a group the crowd gate searches (its reader
// labels all kept, the other beats evenly spaced in time), so the gate's
// cost stays bounded on a 24 h record's large normal group; the share of
// reader labels among the nearest beats then reads higher than it is.
const maxCrowd = 4096

// crowdGate is the local evidence Options.Crowd asks for: a beat changes
// to class c only when at least a quarter of the Crowd beats of its
// look-alike group nearest it (in the adapter's standardised feature
// space; reader labels or not, the beat itself among them; a beat without
// a group among the other beats without one) are reader labels of c. The neighbour gate compares a beat with reader labels only,
// and in a scan the reader labels of a group are mostly its corrections:
// a few F beats fixed in a group of 2,500 normal beats make every beat's
// nearest reader labels F (MIT-BIH 205 on the DS1 folds: 2,534 normal
// beats called F after the first page). Counted among all the group's beats, the
// corrections back a change only where they crowd: around the beats like
// them, not across the group.
type crowdGate struct {
	x     []float64
	nf, k int
	group func(pos int) int
	pools map[int]*refPool // the searched beats of each group (class -1: not a reader label)
	best  []neighbour
}

// newCrowdGate returns the gate with k beats a search; nil when k < 1.
// n is the number of rows, group a row's look-alike group (-1: none),
// label its class index when it is a reader label, else -1.
func newCrowdGate(x []float64, nf, k, n int, group, label func(pos int) int) *crowdGate {
	if k < 1 {
		return nil
	}
	members := map[int][]int{}
	for pos := range n {
		members[group(pos)] = append(members[group(pos)], pos)
	}
	g := &crowdGate{x: x, nf: nf, k: k, group: group, pools: map[int]*refPool{}}
	for id, ps := range members {
		g.pools[id] = crowdPool(x, nf, ps, label)
	}
	return g
}

// crowdPool returns the searched beats of one group: every reader label,
// and the other beats evenly spaced, at most maxCrowd in all.
func crowdPool(x []float64, nf int, ps []int, label func(pos int) int) *refPool {
	readers := 0
	for _, pos := range ps {
		if label(pos) >= 0 {
			readers++
		}
	}
	others := len(ps) - readers
	step := max(1, (others+max(1, maxCrowd-readers)-1)/max(1, maxCrowd-readers))
	p := &refPool{}
	j := 0
	for _, pos := range ps {
		c := label(pos)
		if c < 0 {
			j++
			if (j-1)%step != 0 {
				continue
			}
		}
		p.rows = append(p.rows, x[pos*nf:(pos+1)*nf]...)
		p.class = append(p.class, c)
	}
	return p
}

// crowds reports whether a quarter or more of the k beats nearest the
// beat at pos, in its group, are reader labels of class c.
func (g *crowdGate) crowds(pos, c int) bool {
	p := g.pools[g.group(pos)]
	k := min(g.k, len(p.class))
	if k == 0 {
		return false
	}
	g.best = nearest(g.best[:0], g.x[pos*g.nf:(pos+1)*g.nf], p, g.nf, k)
	votes := 0
	for _, n := range g.best {
		if n.class == c {
			votes++
		}
	}
	return 4*votes >= k
}
