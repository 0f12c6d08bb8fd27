package adapt

import (
	"cmp"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Questions returns up to n beats (indices into in.Beats) worth showing the
// reader next, none of them a reader label yet. res is the last Adapt
// result on in (the zero Result before any).
//
// Until the adapter has learned (res.Confidence nil): first, for each
// non-N class the population model predicted and the reader has neither
// labelled nor corrected, its most confident beat (so a class the model
// gets wrong everywhere is asked about at once); then farthest-point seeds:
// the beat farthest from every reader label in the embedding (in the
// window without one), which covers the record's morphologies. Once it has
// learned: the adaptable beats it is least sure of (uncertainty sampling).
// Deterministic: ties go to the earlier beat.
func Questions(in Input, res Result, n int) []int {
	if n <= 0 || in.check() != nil {
		return nil
	}
	if res.Confidence != nil {
		return leastSure(in, res.Confidence, n)
	}
	rows, teach := beatRows(in.Beats)
	t := newTeacher(&in, rows, teach)
	asked := map[int]bool{}
	var out []int
	for _, c := range t.keptList() {
		if i := mostConfident(in, rows, t, c); i >= 0 && len(out) < n {
			out, asked[i] = append(out, i), true
		}
	}
	return append(out, farthest(in, rows, asked, n-len(out))...)
}

// leastSure returns the n adaptable beats of lowest confidence.
func leastSure(in Input, conf []float32, n int) []int {
	var cand []int
	for i, c := range conf {
		if c > 0 && annotate.Adaptable(in.Beats[i]) {
			cand = append(cand, i)
		}
	}
	slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(conf[a], conf[b]) })
	return cand[:min(n, len(cand))]
}

// mostConfident returns the beat the population model gives class c with
// the highest probability, or -1.
func mostConfident(in Input, rows []int, t *teacher, c annotate.Class) int {
	col := slices.Index(in.Classes, c)
	best := -1
	for k, i := range rows {
		if t.pop[k] != c || col < 0 {
			continue
		}
		if p := in.Probs[i*len(in.Classes)+col]; best < 0 || p > in.Probs[best*len(in.Classes)+col] {
			best = i
		}
	}
	return best
}

// farthest returns n farthest-point seeds among the beats that are not
// reader labels nor in asked: each the beat whose squared distance to the
// nearest reader label or earlier seed is largest (the first, with no
// reader label, the beat nearest the mean).
func farthest(in Input, rows []int, asked map[int]bool, n int) []int {
	sp := space{vec: in.Emb, d: in.EmbDim}
	if sp.d == 0 {
		sp = space{vec: in.Windows, d: in.WinLen}
	}
	if sp.d == 0 || n <= 0 || len(rows) == 0 {
		return nil
	}
	near := make([]float64, len(rows))
	for k := range near {
		near[k] = math.Inf(1)
	}
	for k, i := range rows {
		if annotate.Teaches(in.Beats[i]) || asked[i] {
			sp.closer(near, rows, sp.row(i))
			near[k] = -1
		}
	}
	var out []int
	if slices.Max(near) == math.Inf(1) { // nothing labelled: start from the typical beat
		toMean := make([]float64, len(rows))
		for k := range toMean {
			toMean[k] = math.Inf(1)
		}
		sp.closer(toMean, rows, sp.mean(rows))
		k := slices.Index(toMean, slices.Min(toMean))
		out = append(out, rows[k])
		sp.closer(near, rows, sp.row(rows[k]))
		near[k] = -1
	}
	for len(out) < n {
		k := argmax(near)
		if near[k] < 0 {
			break
		}
		out = append(out, rows[k])
		sp.closer(near, rows, sp.row(rows[k]))
		near[k] = -1
	}
	return out
}

// space is the vectors distances are measured in: d values per beat.
type space struct {
	vec []float32
	d   int
}

func (sp space) row(i int) []float32 { return sp.vec[i*sp.d : (i+1)*sp.d] }

// closer lowers near[k] to the squared distance from beat rows[k] to v,
// leaving negative entries (taken) alone.
func (sp space) closer(near []float64, rows []int, v []float32) {
	for k, i := range rows {
		if near[k] < 0 {
			continue
		}
		s := 0.0
		for x, a := range sp.row(i) {
			e := float64(a - v[x])
			s += e * e
		}
		near[k] = math.Min(near[k], s)
	}
}

// mean returns the mean vector of the beats at rows.
func (sp space) mean(rows []int) []float32 {
	m := make([]float64, sp.d)
	for _, i := range rows {
		for x, v := range sp.row(i) {
			m[x] += float64(v)
		}
	}
	out := make([]float32, sp.d)
	for x := range m {
		out[x] = float32(m[x] / float64(len(rows)))
	}
	return out
}

// argmax returns the index of the largest value (the first of equals), or
// -1 for none.
func argmax(v []float64) int {
	best := -1
	for k, x := range v {
		if best < 0 || x > v[best] {
			best = k
		}
	}
	return best
}
