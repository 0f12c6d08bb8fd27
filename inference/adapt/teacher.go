package adapt

import (
	"maps"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// teacher is what the reader's labels say: the classes to predict, the
// code that stands for each, and the population classes to keep.
type teacher struct {
	teach   []int            // positions in rows of the reader labels
	pop     []annotate.Class // population class of every row
	classes []annotate.Class // the classes the reader labelled, in class order
	index   map[annotate.Class]int
	code    map[annotate.Class]annotate.Code // the reader's most frequent code of each class
	kept    map[annotate.Class]bool
}

func newTeacher(in *Input, rows, teach []int) *teacher {
	t := &teacher{teach: teach, pop: make([]annotate.Class, len(rows)), index: map[annotate.Class]int{},
		code: map[annotate.Class]annotate.Code{}, kept: map[annotate.Class]bool{}}
	for k, i := range rows {
		t.pop[k] = popClass(in, i)
	}
	counts := map[annotate.Code]int{}
	examined := map[annotate.Class]bool{}
	for _, k := range teach {
		c := in.Beats[rows[k]].Code
		counts[c]++
		examined[c.Class()], examined[t.pop[k]] = true, true
	}
	for _, c := range slices.Sorted(maps.Keys(counts)) { // by code: ties go to the lower code
		if k := c.Class(); counts[c] > counts[t.code[k]] {
			t.code[k] = c
		}
	}
	t.classes = slices.Sorted(maps.Keys(t.code))
	for j, c := range t.classes {
		t.index[c] = j
	}
	_, readerN := t.code[annotate.ClassN]
	for _, c := range t.pop {
		switch {
		case c == annotate.ClassN && !readerN: // without an N label the adapter cannot call a beat N
			t.kept[c] = true
		case c != annotate.ClassN && c != annotate.ClassNone && !examined[c]:
			t.kept[c] = true
		}
	}
	return t
}

// popClass returns the population model's class of beat i: the most
// probable of its probabilities, or without them the class of a model
// label (ClassNone for any other label).
func popClass(in *Input, i int) annotate.Class {
	k := len(in.Classes)
	if k == 0 {
		if b := in.Beats[i]; b.Prov.Source == annotate.SourceModel {
			return b.Code.Class()
		}
		return annotate.ClassNone
	}
	p := in.Probs[i*k : (i+1)*k]
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	return in.Classes[best]
}

// keptList returns the kept classes in class order.
func (t *teacher) keptList() []annotate.Class { return slices.Sorted(maps.Keys(t.kept)) }

// labels turns the predictions into the labels Adapt proposes.
func (t *teacher) labels(in *Input, rows []int, pred []prediction, minConf float64) []annotate.Beat {
	who := annotate.AdaptedWho(Name, len(t.teach))
	var out []annotate.Beat
	for _, p := range pred {
		b := in.Beats[rows[p.pos]]
		if t.kept[t.pop[p.pos]] {
			continue // the reader never spoke about this class: the population label stays
		}
		if !p.overrules(minConf) && t.classes[p.class] != t.pop[p.pos] {
			continue // not sure enough, or without local evidence, to overrule the population model
		}
		c := t.code[t.classes[p.class]]
		if c == b.Code && b.Prov.Source != annotate.SourceAdapted {
			continue
		}
		b.Code = c
		b.Prov = annotate.Provenance{Source: annotate.SourceAdapted, Who: who, Confidence: float32(p.conf)}
		out = append(out, b)
	}
	return out
}
