package export

import (
	"cmp"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// MoveBeats moves each beat (a QRS code) of beats to the nearest of
// positions (ascending samples, such as the app's QRS detector gives)
// within reach samples, the closest pairs first and each position taken by
// one beat at most, so that a training set is cut where the app will see
// the beats. Beats with no position in reach, and other annotations, stay
// where they are. It returns the beats sorted by sample and how many moved.
func MoveBeats(beats []annotate.Beat, positions []int64, reach int64) ([]annotate.Beat, int) {
	out := slices.Clone(beats)
	slices.SortStableFunc(out, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	var idx []int
	var at []int64
	for i, b := range out {
		if b.Code.IsBeat() {
			idx, at = append(idx, i), append(at, b.Sample)
		}
	}
	pairs, _, _ := pairClosest(at, positions, reach)
	moved := 0
	for _, p := range pairs {
		if b := &out[idx[p.A]]; b.Sample != positions[p.B] {
			b.Sample = positions[p.B]
			moved++
		}
	}
	slices.SortStableFunc(out, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	return out, moved
}
