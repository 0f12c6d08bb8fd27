package adapt

import (
	"context"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// prediction is the adapter's class (an index into teacher.classes) and its
// probability for the beat at position pos of rows, with its probability
// of every class (nil with one class: conf is then that class's). vetoed
// says the nearest reader labels do not back a change of the population
// class (Options.Neighbours).
type prediction struct {
	pos, class int
	conf       float64
	probs      []float64
	vetoed     bool
}

// overrules reports whether p may change the population class: the
// adapter is sure enough (minConf) and no local evidence speaks against
// it.
func (p prediction) overrules(minConf float64) bool { return p.conf >= minConf && !p.vetoed }

// probOf returns the adapter's probability of class c (an index into
// teacher.classes).
func (p prediction) probOf(c int) float64 {
	switch {
	case p.probs != nil:
		return p.probs[c]
	case c == p.class:
		return p.conf
	}
	return 0
}

// fit trains on the reader labels and predicts every adaptable beat. With
// one class the reader labelled there is nothing to tell apart: every
// beat gets it, with the rule-of-succession confidence (n+1)/(n+2).
func (t *teacher) fit(ctx context.Context, in *Input, rows []int, opt Options) ([]prediction, error) {
	var todo []int
	for k, i := range rows {
		if annotate.Adaptable(in.Beats[i]) {
			todo = append(todo, k)
		}
	}
	pred := make([]prediction, len(todo))
	if len(t.classes) == 1 {
		n := float64(len(t.teach))
		for j, k := range todo {
			pred[j] = prediction{pos: k, conf: (n + 1) / (n + 2)}
		}
		return pred, nil
	}
	x := features(in, rows)
	d := t.trainingSet(in, rows, x, featureCount(in), opt.MaxTrain)
	m, err := fitLogReg(ctx, d, len(t.classes), 1/(opt.C*float64(len(d.y))), opt.MaxIter)
	if err != nil {
		return nil, err
	}
	gate := t.newNeighbourGate(x, d.feats, opt.Neighbours, func(pos int) int { return groupOf(in, rows[pos]) },
		func(pos int) int { return t.index[in.Beats[rows[pos]].Code.Class()] })
	groups := t.groupVotes(in, rows)
	teaches := make(map[int]bool, len(t.teach))
	for _, k := range t.teach {
		teaches[k] = true
	}
	crowd := newCrowdGate(x, d.feats, opt.Crowd, len(rows), func(pos int) int { return groupOf(in, rows[pos]) },
		func(pos int) int {
			if !teaches[pos] {
				return -1
			}
			return t.index[in.Beats[rows[pos]].Code.Class()]
		})
	p := make([]float64, len(t.classes))
	for j, k := range todo {
		m.predict(p, x[k*d.feats:(k+1)*d.feats])
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		pred[j] = prediction{pos: k, class: best, conf: p[best], probs: slices.Clone(p)}
		if pred[j].overrules(opt.MinConfidence) && t.changes(k, best) {
			pred[j].vetoed = vetoes(groups, gate, groupOf(in, rows[k]), k, best) || (crowd != nil && !crowd.crowds(k, best))
		}
	}
	return pred, nil
}

// vetoes reports whether the local evidence speaks against giving the beat
// at position pos, in look-alike group g (-1: none), class c: its group
// holds no reader label of c, or the gate's nearest reader labels do not
// back c.
func vetoes(groups groupVotes, gate *neighbourGate, g, pos, c int) bool {
	if g >= 0 && !groups.backs(g, c) {
		return true
	}
	return gate != nil && !gate.agrees(pos, g, c)
}

// groupOf returns beat i's look-alike group, -1 for none.
func groupOf(in *Input, i int) int {
	if in.Group == nil {
		return -1
	}
	return in.Group[i]
}

// changes reports whether giving the beat at position pos class c (an
// index into t.classes) changes its population class, in a class the
// adapter may relabel.
func (t *teacher) changes(pos, c int) bool {
	return !t.kept[t.pop[pos]] && t.classes[c] != t.pop[pos]
}

// trainingSet returns the rows of the reader labels, at most maxTrain
// spread evenly over the classes (each class's beats evenly spaced), with
// balanced class weights n/(C·n_c) so a rare class counts as much as N.
func (t *teacher) trainingSet(in *Input, rows []int, x []float64, nf, maxTrain int) fitData {
	byClass := make([][]int, len(t.classes))
	for _, k := range t.teach {
		c := t.index[in.Beats[rows[k]].Code.Class()]
		byClass[c] = append(byClass[c], k)
	}
	per := max(1, maxTrain/len(t.classes))
	d := fitData{feats: nf}
	for c, ks := range byClass {
		step := max(1, (len(ks)+per-1)/per)
		for j := 0; j < len(ks); j += step {
			d.x = append(d.x, x[ks[j]*nf:(ks[j]+1)*nf]...)
			d.y = append(d.y, c)
		}
	}
	counts := make([]float64, len(t.classes))
	for _, c := range d.y {
		counts[c]++
	}
	for _, c := range d.y {
		d.weight = append(d.weight, float64(len(d.y))/(float64(len(t.classes))*counts[c]))
	}
	return d
}
