package cluster

import "fmt"

// SplitPremature divides cluster id in two by its members' prematurity
// alone (2-means on min(p_i, 1), from the least and the most premature
// member; a late beat, after a pause, counts as on time):
// the more premature part gets a new ID, returned; the rest keeps id. Both
// are pinned. It is the template screen's answer to a card of one shape
// that holds both on-time beats and premature ones, such as N and S beats
// of a patient whose atrial premature beats look normal: only the RR tells
// them apart. A cluster whose members are all equally premature cannot be
// split.
func (c *Clusterer) SplitPremature(id int) (int, error) {
	if err := c.live(id); err != nil {
		return 0, fmt.Errorf("cluster: split by prematurity: %w", err)
	}
	ms := c.cl[id].members
	lo, hi := c.premRange(ms)
	if len(ms) < 2 || lo == hi {
		return 0, fmt.Errorf("cluster: split %d by prematurity: %w", id, ErrTooSmall)
	}
	var early []int64
	for it := 0; it < splitIters; it++ {
		cut := (lo + hi) / 2
		var sl, sh float64
		var nl, nh int
		early = early[:0]
		for _, i := range ms {
			if p := c.premOnTime(i); p < cut {
				early = append(early, c.samples[i])
				sl, nl = sl+p, nl+1
			} else {
				sh, nh = sh+p, nh+1
			}
		}
		nlo, nhi := sl/float64(max(nl, 1)), sh/float64(max(nh, 1))
		if nlo == lo && nhi == hi {
			break
		}
		lo, hi = nlo, nhi
	}
	c.cl[id].pinned = true
	return c.Move(early, NewCluster)
}

// premRange returns the least and the greatest prematurity among ms.
func (c *Clusterer) premRange(ms []int32) (float64, float64) {
	lo, hi := 0.0, 0.0
	for k, i := range ms {
		p := c.premOnTime(i)
		if k == 0 || p < lo {
			lo = p
		}
		if k == 0 || p > hi {
			hi = p
		}
	}
	return lo, hi
}

// premOnTime is beat i's prematurity, 1 for a late beat.
func (c *Clusterer) premOnTime(i int32) float64 { return min(float64(c.prem[i]), 1) }
