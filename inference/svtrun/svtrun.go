package svtrun

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// The rule's parameters. They were chosen on the held-out fold
// probabilities of MIT-BIH DS1 and svdb (never on DS2): every setting of a
// 3×2×2 grid around them (FastRatio 0.65-0.75, MaxIrregularity 0.03-0.06,
// Onset 0.7-0.8, onset against the one interval before) gave a mean S/V F1
// of 65.0-66.1 against 61.1 without the rule; the onset against the median
// of OnsetSpan intervals gives 65.4 there, and no false S in 119 and 862.
const (
	// RefSpan is how far, in seconds, on each side of a beat ref looks.
	RefSpan = 600.0
	// RefRank is the rank of ref among the window's intervals, as a
	// fraction: a long interval, the patient's slow rhythm, which a few
	// minutes of tachycardia do not move.
	RefRank = 0.9
	// FastRatio is how much shorter than ref rr_prev must be for a fast beat.
	FastRatio = 0.7
	// MaxIrregularity is the largest rr_local_irr of a fast beat: SVT is
	// regular, atrial fibrillation is not.
	MaxIrregularity = 0.03
	// Onset is the largest ratio of a stretch's first interval to the
	// median of the OnsetSpan intervals before it: the abrupt onset of
	// paroxysmal SVT. The median, not the one interval before, so that the
	// pause after an ectopic beat is not an onset: sinus tachycardia
	// resuming after a PVC's compensatory pause does not qualify.
	Onset = 0.8
	// OnsetSpan is how many intervals before a stretch its onset is
	// measured against (fewer near the start of the beats given, where the
	// first beat's rr_prev is its rr_local, as in the fold study).
	OnsetSpan = 8
	// MinBeats is the fewest fast beats of a qualifying stretch.
	MinBeats = 3
)

// Who is the tag a relabelled beat's provenance adds to the model's ID
// ("model@version+svt-run"), so the reader and an export see that this
// rule, not the model, called the beat S.
const Who = "svt-run"

// Tag returns the provenance name of a beat the rule relabelled, from the
// name of the model that labelled it: "model@version+svt-run".
func Tag(model string) string { return model + "+" + Who }

// Tagged reports whether p is the provenance of a beat the rule relabelled.
func Tagged(p annotate.Provenance) bool {
	return p.Source == annotate.SourceModel && strings.HasSuffix(p.Who, "+"+Who)
}

// Relabel returns, in ascending order, the indexes of marks (in sample
// order) that the rule turns from N into S: the model's N beats of
// qualifying stretches. Marks that are not beats take no part. fs is the
// sampling rate in Hz. A stretch that overlaps a stretch of noise (on any
// lead) does not qualify: double detections in noise look like an abrupt,
// fast rhythm. With marks out of sample order, or a sampling rate that is
// not positive and finite, nothing is relabelled: the rule only adds S
// beats, so doing nothing is the safe way to fail (the pipeline's marks
// are always in order).
func Relabel(marks []rhythm.Mark, fs float64, noise []annotate.Noise) []int {
	ordered := slices.IsSortedFunc(marks, func(a, b rhythm.Mark) int { return cmp.Compare(a.Sample, b.Sample) })
	if !ordered || !(fs > 0) || math.IsInf(fs, 0) {
		return nil
	}
	peaks := make([]int64, 0, len(marks))
	at := make([]int, 0, len(marks)) // at[k]: index in marks of peak k
	for i, m := range marks {
		if m.Code.IsBeat() {
			peaks = append(peaks, m.Sample)
			at = append(at, i)
		}
	}
	var out []int
	for _, s := range stretches(peaks, fs) {
		if inNoise(noise, peaks[s[0]-1], peaks[s[1]-1]) {
			continue
		}
		for k := s[0]; k < s[1]; k++ {
			if marks[at[k]].Code == annotate.ClassN.Code() {
				out = append(out, at[k])
			}
		}
	}
	return out
}

// stretches returns the qualifying stretches of peaks as [i, j) pairs.
func stretches(peaks []int64, fs float64) [][2]int {
	n := len(peaks)
	ref := refs(peaks, int64(min(math.Floor(RefSpan*fs), 1<<62)))
	prev := make([]float64, n)
	fast := make([]bool, n)
	for i := range n {
		if i == 0 {
			prev[i], _ = model.RRLocal(peaks, fs, 0)
		} else {
			prev[i] = float64(peaks[i]-peaks[i-1]) / fs
		}
		if ref[i] > 0 && prev[i]/(float64(ref[i])/fs) < FastRatio {
			_, irr := model.RRLocal(peaks, fs, i)
			fast[i] = irr < MaxIrregularity
		}
	}
	var out [][2]int
	for i := 0; i < n; {
		if !fast[i] {
			i++
			continue
		}
		j := i
		for j < n && fast[j] {
			j++
		}
		if j-i >= MinBeats && i > 0 && prev[i] <= Onset*median(prev[max(0, i-OnsetSpan):i]) {
			out = append(out, [2]int{i, j})
		}
		i = j
	}
	return out
}

// median is the median of v (the mean of the two middle values of an even
// count), v not empty.
func median(v []float64) float64 {
	w := slices.Sorted(slices.Values(v))
	n := len(w)
	if n%2 == 1 {
		return w[n/2]
	}
	return (w[n/2-1] + w[n/2]) / 2
}

// inNoise reports whether [start, end] (samples, both included) overlaps a
// noise stretch.
func inNoise(noise []annotate.Noise, start, end int64) bool {
	for _, n := range noise {
		if n.Start <= end && start < n.End {
			return true
		}
	}
	return false
}
