package compare

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
)

// pair is one scored pair of a record, with whether its reader beat is
// the reader's own.
type pair struct {
	ref   BeatRef
	owned bool
}

type pairKey struct {
	ref, test int64
	refO      bool
	testO     bool
}

// compareRecord runs eval.Compare on r and returns its result and every
// scored pair (see the package comment for how the agreeing pairs are
// found).
func compareRecord(r *Record, opt Options) (*eval.Result, []pair, error) {
	o, err := recordOptions(r, opt)
	if err != nil {
		return nil, nil, err
	}
	ref := eval.FromBeats(r.Reader)
	res, err := eval.Compare(r.Name, ref, eval.FromBeats(r.Model), o)
	if err != nil {
		return nil, nil, fmt.Errorf("compare %s: %w", r.Name, err)
	}
	seen := map[pairKey]bool{}
	var keys []pairKey
	for _, code := range []annotate.Code{annotate.Normal, annotate.PVC} {
		rel, err := eval.Compare(r.Name, ref, relabel(r.Model, code), o)
		if err != nil {
			return nil, nil, fmt.Errorf("compare %s: %w", r.Name, err)
		}
		for _, p := range rel.Discrepancies {
			k := pairKey{p.Ref, p.Test, p.RefLabel >= eval.LabelO, p.TestLabel >= eval.LabelO}
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.SortFunc(keys, func(a, b pairKey) int { return cmp.Or(cmp.Compare(a.ref, b.ref), cmp.Compare(a.test, b.test)) })
	pairs := r.refs(keys)
	if err := checkPairs(r.Name, pairs, &res.Matrix); err != nil {
		return nil, nil, err
	}
	return res, pairs, nil
}

// relabel returns beats as annotations with every beat code set to c.
func relabel(beats []annotate.Beat, c annotate.Code) []eval.Annotation {
	out := eval.FromBeats(beats)
	for i := range out {
		if out[i].Code.IsBeat() {
			out[i].Code = c
		}
	}
	return out
}

// refs turns pair keys into gallery beats with their labels.
func (r *Record) refs(keys []pairKey) []pair {
	out := make([]pair, 0, len(keys))
	for _, k := range keys {
		b := BeatRef{Record: r.ID, Name: r.Name, Sample: k.ref, ModelSample: k.test}
		owned := true
		if !k.refO {
			rb := find(r.Reader, k.ref)
			b.Reader, owned = rb.Code, annotate.ReaderOwned(rb.Prov, rb.Review)
		} else {
			b.Sample = k.test
		}
		if !k.testO {
			mb := find(r.Model, k.test)
			b.Model, b.Confidence = mb.Code, mb.Prov.Confidence
		} else {
			b.ModelSample = b.Sample
		}
		out = append(out, pair{b, owned})
	}
	return out
}

// find returns the beat (QRS code first) at sample t of sorted beats.
func find(beats []annotate.Beat, t int64) annotate.Beat {
	i, _ := slices.BinarySearchFunc(beats, t, func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) })
	for ; i < len(beats) && beats[i].Sample == t; i++ {
		if beats[i].Code.IsBeat() {
			return beats[i]
		}
	}
	return annotate.Beat{Sample: t}
}

// checkPairs checks that the pairs give eval's matrix, cell by cell
// (O and X columns and rows merged).
func checkPairs(name string, pairs []pair, m *eval.Matrix) error {
	var got, want [eval.LabelO + 1][eval.LabelO + 1]int64
	lab := func(c annotate.Code) eval.Label {
		if k := c.Class(); k != annotate.ClassNone {
			return eval.Label(k - 1)
		}
		return eval.LabelO
	}
	for _, p := range pairs {
		got[lab(p.ref.Reader)][lab(p.ref.Model)]++
	}
	for i := eval.LabelN; i <= eval.LabelX; i++ {
		for j := eval.LabelN; j <= eval.LabelX; j++ {
			want[min(i, eval.LabelO)][min(j, eval.LabelO)] += m[i][j]
		}
	}
	if got != want {
		return fmt.Errorf("%w: record %s: pairs %v, matrix %v", ErrPairs, name, got, want)
	}
	return nil
}
