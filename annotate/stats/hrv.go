package stats

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// HRVSegment is the length of the segments of SDANN and SDNN index, in
// seconds (5 minutes, as the 1996 ESC/NASPE Task Force defines them).
const HRVSegment = 300.0

// HRV holds the time-domain heart rate variability measures of the 1996
// ESC/NASPE Task Force over the NN intervals of a record (see NNIntervals).
// A figure is NaN when there is too little to compute it from: SDNN needs 2
// NN intervals, RMSSD and pNN50 one successive difference, SDNN index one
// segment and SDANN two. Standard deviations are population ones (divide
// by n).
type HRV struct {
	SDNN      float64 // SD of all NN intervals, ms
	SDANN     float64 // SD of the means of NN intervals in each 5-minute segment, ms
	SDNNIndex float64 // mean of the SDs of NN intervals in each 5-minute segment, ms
	RMSSD     float64 // root mean square of successive NN differences, ms
	PNN50     float64 // percentage of successive NN differences over 50 ms
	NN        int     // NN intervals
	Diffs     int     // successive NN differences: the denominator of PNN50
	Over50    int     // of those, differences over 50 ms
	Segments  int     // 5-minute segments with 2 or more NN intervals
}

// NN is one NN interval: End is its second beat, in samples.
type NN struct {
	End      int64
	Ms       float64
	Adjacent bool // the previous interval is NN too and ends at this one's first beat
}

// NNIntervals returns the NN intervals of beats at fs: the valid RR
// intervals (see Intervals: no noise stretch of any lead touches them)
// whose two beats are both normal (class N).
func NNIntervals(beats []annotate.Beat, fs float64, noise []annotate.Noise) []NN {
	var out []NN
	prevNN := false
	for _, r := range intervals(beats, fs, noise) {
		ok := r.Valid && r.Sec > 0 && r.PrevClass == annotate.ClassN && r.Class == annotate.ClassN
		if ok {
			out = append(out, NN{End: r.Sample, Ms: r.Sec * 1000, Adjacent: prevNN})
		}
		prevNN = ok
	}
	return out
}

// ComputeHRV returns the time-domain HRV of beats at fs, leaving out the
// intervals noise touches. Segments are 5-minute blocks from sample 0; an
// NN interval belongs to the block of its second beat.
func ComputeHRV(beats []annotate.Beat, fs float64, noise []annotate.Noise) HRV {
	nn := NNIntervals(beats, fs, noise)
	h := HRV{NN: len(nn), SDNN: math.NaN(), RMSSD: math.NaN(), PNN50: math.NaN()}
	all := make([]float64, len(nn))
	sq := 0.0
	for i, x := range nn {
		all[i] = x.Ms
		if x.Adjacent {
			d := x.Ms - nn[i-1].Ms
			h.Diffs++
			sq += d * d
			if math.Abs(d) > 50 {
				h.Over50++
			}
		}
	}
	if len(all) >= 2 {
		h.SDNN = sd(all)
	}
	if h.Diffs > 0 {
		h.RMSSD = math.Sqrt(sq / float64(h.Diffs))
		h.PNN50 = 100 * float64(h.Over50) / float64(h.Diffs)
	}
	h.SDANN, h.SDNNIndex, h.Segments = segmentHRV(nn, fs)
	return h
}

// segmentHRV returns SDANN and SDNN index over the 5-minute segments with 2
// or more NN intervals, and the number of those segments.
func segmentHRV(nn []NN, fs float64) (sdann, index float64, n int) {
	step := int64(math.Round(HRVSegment * fs))
	var means, sds []float64
	for i := 0; i < len(nn); {
		j := i
		for j < len(nn) && nn[j].End/step == nn[i].End/step {
			j++
		}
		if j-i >= 2 {
			seg := make([]float64, 0, j-i)
			for _, x := range nn[i:j] {
				seg = append(seg, x.Ms)
			}
			means, sds = append(means, mean(seg)), append(sds, sd(seg))
		}
		i = j
	}
	sdann, index = math.NaN(), math.NaN()
	if len(means) >= 2 {
		sdann = sd(means)
	}
	if len(sds) >= 1 {
		index = mean(sds)
	}
	return sdann, index, len(means)
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// sd is the population standard deviation of x (numpy.std's default).
func sd(x []float64) float64 {
	m, s := mean(x), 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}
