package quality

import (
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// The baseline excursion thresholds of the package comment.
const (
	ExcursionMV     = 2.0 // baseline off its local level by more than this is artefact (mV)
	ExcursionEdgeMV = 0.5 // a neighbour of an excursion off by more than this joins it (mV)
	ExcursionSpan   = 15  // windows either side whose medians make the local level
)

// markExcursions sets ReasonArtefact on the readable windows of lead i
// (reasons rs, window by window) whose baseline is off its local level
// (see the package comment), and on their neighbours off by more than
// ExcursionEdgeMV, outwards while they are.
func markExcursions(ws []window, rs [][]string, i int, l annotate.Lead) {
	off := baselineOffsets(ws, i, gainOf(l))
	for k := range ws {
		if rs[k][i] != "" || off[k] <= ExcursionMV {
			continue
		}
		rs[k][i] = ReasonArtefact
		for _, step := range []int{-1, 1} {
			for j := k + step; j >= 0 && j < len(ws) && rs[j][i] == "" && off[j] > ExcursionEdgeMV; j += step {
				rs[j][i] = ReasonArtefact
			}
		}
	}
}

// baselineOffsets returns, for each window, how far the median of lead i
// sits from the median of the window medians within ExcursionSpan windows
// either side, in mV (0 for a window too short to judge).
func baselineOffsets(ws []window, i int, gain float64) []float64 {
	off := make([]float64, len(ws))
	near := make([]float64, 0, 2*ExcursionSpan+1)
	for k, w := range ws {
		if w.m[i].short {
			continue
		}
		near = near[:0]
		for _, v := range ws[max(0, k-ExcursionSpan):min(len(ws), k+ExcursionSpan+1)] {
			if !v.m[i].short {
				near = append(near, v.m[i].med)
			}
		}
		slices.Sort(near)
		off[k] = math.Abs(w.m[i].med-near[len(near)/2]) / gain
	}
	return off
}

// gainOf returns a lead's gain in ADC units per mV, 200 when unknown.
func gainOf(l annotate.Lead) float64 {
	if g := math.Abs(l.Gain); g > 0 {
		return g
	}
	return 200
}

// median returns the median of every fourth sample of x: the baseline of
// a window of one second, at a quarter of the cost of sorting it all.
func median(x []int32) float64 {
	s := make([]int32, 0, (len(x)+3)/4)
	for k := 0; k < len(x); k += 4 {
		s = append(s, x[k])
	}
	slices.Sort(s)
	return float64(s[len(s)/2])
}
