package export

import (
	"cmp"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// MoveBeats moves each beat (a QRS code) of beats to the position
// (ascending samples, such as the app's QRS detector gives) that
// annotate.MatchTimes pairs it with within reach samples: its closest
// position, each position taken by one beat at most, as EC57 matches beats,
// so that a training set is cut where the app will see the beats. Beats
// with no position in reach, and other annotations, stay where they are.
// It returns the beats sorted by sample and how many moved.
func MoveBeats(beats []annotate.Beat, positions []int64, reach int64) ([]annotate.Beat, int) {
	var qrs []int // indices of the QRS beats, by sample
	for i, b := range beats {
		if b.Code.IsBeat() {
			qrs = append(qrs, i)
		}
	}
	slices.SortStableFunc(qrs, func(i, j int) int { return cmp.Compare(beats[i].Sample, beats[j].Sample) })
	at := make([]int64, len(qrs))
	for k, i := range qrs {
		at[k] = beats[i].Sample
	}
	out := slices.Clone(beats)
	moved := 0
	for _, m := range annotate.MatchTimes(at, positions, annotate.MatchOptions{Window: reach, End: annotate.MaxMatchTime - 1}) {
		if m.Ref < 0 || m.Test < 0 {
			continue
		}
		if b := &out[qrs[m.Ref]]; b.Sample != positions[m.Test] {
			b.Sample = positions[m.Test]
			moved++
		}
	}
	slices.SortStableFunc(out, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	return out, moved
}
