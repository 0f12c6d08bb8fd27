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
	type pair struct {
		beat int
		pos  int
		dist int64
	}
	var pairs []pair
	for i, b := range beats {
		if !b.Code.IsBeat() {
			continue
		}
		j, _ := slices.BinarySearch(positions, b.Sample)
		for _, k := range []int{j - 1, j} {
			if k >= 0 && k < len(positions) {
				if d := max(positions[k]-b.Sample, b.Sample-positions[k]); d <= reach {
					pairs = append(pairs, pair{i, k, d})
				}
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(a.dist, b.dist) })
	out := slices.Clone(beats)
	beatDone, posTaken := make([]bool, len(beats)), make([]bool, len(positions))
	moved := 0
	for _, p := range pairs {
		if beatDone[p.beat] || posTaken[p.pos] {
			continue
		}
		beatDone[p.beat], posTaken[p.pos] = true, true
		if out[p.beat].Sample != positions[p.pos] {
			out[p.beat].Sample = positions[p.pos]
			moved++
		}
	}
	slices.SortStableFunc(out, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	return out, moved
}
