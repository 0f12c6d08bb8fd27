package export

import "math/rand/v2"

// Balancing picks which candidate beats of the training split stay. Each
// limited group (a class over all training records for "undersample", a
// class within one record for "cap") keeps exactly need of its left
// candidates by selection sampling (Knuth's Algorithm S): walking the
// candidates in export order, each is kept with probability need/left.
// Every subset of that size is equally likely, nothing is held in memory,
// and the choice depends only on the seed and the label sets.

// quota is one limited group's state during pass 2.
type quota struct{ need, left int64 }

// selector decides, beat by beat, which candidates of the train split stay.
type selector struct {
	rng    *rand.Rand
	global map[int]*quota    // undersample: per class
	local  map[[2]int]*quota // cap: per (record index, class)
}

// newSelector sets the quotas from the pass-1 counts.
func newSelector(plans []*recPlan, b Balance, seed uint64) *selector {
	s := &selector{rng: rand.New(rand.NewPCG(seed, 0x6563677374617469)),
		global: map[int]*quota{}, local: map[[2]int]*quota{}}
	switch b.Kind {
	case "undersample":
		s.undersample(plans, b.Ratio)
	case "cap":
		for _, p := range plans {
			for c, n := range p.cand {
				if p.split == 0 && n > int64(b.Cap) {
					s.local[[2]int{p.idx, c}] = &quota{need: int64(b.Cap), left: n}
				}
			}
		}
	}
	return s
}

// undersample limits the majority class of the train split to ratio times
// the next largest class.
func (s *selector) undersample(plans []*recPlan, ratio float64) {
	var counts []int64
	for _, p := range plans {
		if p.split != 0 {
			continue
		}
		for c, n := range p.cand {
			for len(counts) <= c {
				counts = append(counts, 0)
			}
			counts[c] += n
		}
	}
	major, second := -1, int64(0)
	for c, n := range counts {
		if major < 0 || n > counts[major] {
			major = c
		}
	}
	for c, n := range counts {
		if c != major && n > second {
			second = n
		}
	}
	if major < 0 || second == 0 {
		return
	}
	if limit := int64(ratio * float64(second)); counts[major] > limit {
		s.global[major] = &quota{need: limit, left: counts[major]}
	}
}

// total returns how many beats will be kept out of the candidates.
func (s *selector) total(plans []*recPlan) int64 {
	var n int64
	for _, p := range plans {
		for _, c := range p.cand {
			n += c
		}
	}
	for _, q := range s.global {
		n -= q.left - q.need
	}
	for _, q := range s.local {
		n -= q.left - q.need
	}
	return n
}

// keep decides for the next candidate of class cls in record p.
func (s *selector) keep(p *recPlan, cls int) bool {
	if p.split != 0 {
		return true
	}
	q := s.local[[2]int{p.idx, cls}]
	if q == nil {
		q = s.global[cls]
	}
	if q == nil {
		return true
	}
	k := q.left > 0 && s.rng.Uint64N(uint64(q.left)) < uint64(q.need)
	q.left--
	if k {
		q.need--
	}
	return k
}
