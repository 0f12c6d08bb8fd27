package sim

import (
	"cmp"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Kind is one kind of error left: beats labelled Now that should be Want,
// in the reference rhythm Rhythm ("" outside any rhythm annotation). Now
// is ClassNone for a missed beat, Want ClassNone for a false one.
type Kind struct {
	Now, Want annotate.Class
	Rhythm    string
	N         int // how many
}

// kinds counts the errors left (beats to fix bs, missed beats ms) by kind,
// the commonest first.
func (r *reader) kinds(bs []annotate.Beat, ms []miss) []Kind {
	n := map[Kind]int{}
	for _, b := range bs {
		n[Kind{Now: b.Code.Class(), Want: r.truth[b.Sample], Rhythm: r.rhythmAt(b.Sample)}]++
	}
	for _, m := range ms {
		n[Kind{Now: annotate.ClassNone, Want: m.k, Rhythm: r.rhythmAt(m.at)}]++
	}
	out := make([]Kind, 0, len(n))
	for k, c := range n {
		k.N = c
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b Kind) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Now, b.Now), cmp.Compare(a.Want, b.Want), cmp.Compare(a.Rhythm, b.Rhythm))
	})
	return out
}

// rhythmAt returns the reference rhythm at sample.
func (r *reader) rhythmAt(sample int64) string {
	i, _ := slices.BinarySearchFunc(r.episodes, sample, func(e annotate.Episode, s int64) int { return cmp.Compare(e.Start, s+1) })
	if i == 0 || sample >= r.episodes[i-1].End {
		return ""
	}
	return r.episodes[i-1].Rhythm
}
