package main

import (
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/inference/qrs"
)

// Snapping a beat the reader inserts or moves to the R peak: the QRS
// detector runs over snapBefore of signal before the cursor (its warm-up)
// and snapAfter after it, and the detected beat nearest the cursor within
// snapReach wins. Where the detector finds none (noise, a tiny beat), the
// largest deflection from the local median of the first lead within
// snapReach is taken.
const (
	snapBefore = 8.0   // s
	snapAfter  = 2.0   // s
	snapReach  = 0.150 // s
)

// snapToPeak returns the sample of the R peak nearest sample in sig.
func snapToPeak(sig annotate.Signal, sample int64) int64 {
	info := sig.Info()
	fs := info.Fs
	a := max(0, sample-int64(snapBefore*fs))
	b := min(info.NSamples, sample+int64(snapAfter*fs))
	if b <= a || len(info.Leads) == 0 {
		return sample
	}
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, b-a)
	}
	n, err := sig.Read(buf, a)
	if err != nil || n == 0 {
		return sample
	}
	reach := int64(snapReach * fs)
	if s, ok := detectNear(info, buf, n, a, sample, reach); ok {
		return s
	}
	return largestDeflection(buf[0][:n], a, sample, reach)
}

// detectNear runs the QRS detector over buf (starting at sample a) and
// returns the beat nearest sample within reach.
func detectNear(info annotate.RecordInfo, buf [][]int32, n int, a, sample, reach int64) (int64, bool) {
	det, err := qrs.New(info, qrs.Options{})
	if err != nil {
		return 0, false
	}
	var beats []int64
	for _, bt := range det.Push(buf, n) {
		beats = append(beats, a+bt.Sample)
	}
	for _, bt := range det.Flush() {
		beats = append(beats, a+bt.Sample)
	}
	best, found := int64(0), false
	for _, s := range beats {
		if d := absDiff(s, sample); d <= reach && (!found || d < absDiff(best, sample)) {
			best, found = s, true
		}
	}
	return best, found
}

// largestDeflection returns the sample within reach of sample where x
// (starting at sample a) lies farthest from its median over that window.
func largestDeflection(x []int32, a, sample, reach int64) int64 {
	lo, hi := max(0, sample-reach-a), min(int64(len(x)), sample+reach+1-a)
	if hi <= lo {
		return sample
	}
	w := append([]int32(nil), x[lo:hi]...)
	med := stats.Median(w)
	best, bestD := sample, int64(-1)
	for i := lo; i < hi; i++ {
		if d := absDiff(int64(x[i]), int64(med)); d > bestD {
			best, bestD = a+i, d
		}
	}
	return best
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}
