package model

import (
	"math"
	"slices"
	"sort"
)

// RRLocalSpan is the number of RR intervals on each side of a beat that
// rr_local averages: the intervals ending at beats i-RRLocalSpan+1 ... i+RRLocalSpan.
const RRLocalSpan = 10

// RRLongSpan is how far, in seconds, on each side of a beat rr_long looks:
// the mean RR of the beats within RRLongSpan before and after it (5 minutes
// in all), the patient's baseline rhythm that prematurity is measured against.
const RRLongSpan = 150.0

// rrBeat holds the RR facts of one beat, in seconds, and where they come
// from: beat i of peaks at fs, whose local span is intervals lo ... hi.
type rrBeat struct {
	prev, next, local, long float64

	peaks  []int64
	fs     float64
	lo, hi int
}

// rrFuncs are the RR features a model may name in ecgstation.rr_features.
// docs/model-contract.md defines each one; keep the two in step.
var rrFuncs = map[string]func(rrBeat) float64{
	"rr_prev":       func(b rrBeat) float64 { return b.prev },
	"rr_next":       func(b rrBeat) float64 { return b.next },
	"rr_local":      func(b rrBeat) float64 { return b.local },
	"rr_prev_ratio": func(b rrBeat) float64 { return ratio(b.prev, b.local) },
	"rr_next_ratio": func(b rrBeat) float64 { return ratio(b.next, b.local) },
	"rr_next_prev":  func(b rrBeat) float64 { return ratio(b.next, b.prev) },

	"rr_long":             func(b rrBeat) float64 { return b.long },
	"rr_prev_long_ratio":  func(b rrBeat) float64 { return ratio(b.prev, b.long) },
	"rr_next_long_ratio":  func(b rrBeat) float64 { return ratio(b.next, b.long) },
	"rr_local_long_ratio": func(b rrBeat) float64 { return ratio(b.local, b.long) },

	"rr_local_irr": rrIrregularity,
}

func ratio(a, b float64) float64 {
	if b <= 0 {
		return 1
	}
	return a / b
}

// RRFeatureNames returns the RR feature names a model may use, sorted.
func RRFeatureNames() []string {
	names := make([]string, 0, len(rrFuncs))
	for n := range rrFuncs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// rrAt returns the RR facts of beat i of peaks (R peak positions in samples
// at fs, ascending). A missing neighbour (first or last beat) takes the
// local mean; with a single beat every interval is 0.
func rrAt(peaks []int64, fs float64, i int) rrBeat {
	b := rrLocalAt(peaks, fs, i)
	b.long = rrLong(peaks, fs, i, b.local)
	return b
}

// RRLocal returns rr_local and rr_local_irr of beat i of peaks (R peaks in
// samples at fs, ascending), in seconds and as a fraction, as a model's
// RR features compute them; rules applied after the beat model use it to
// read the rhythm the model read.
func RRLocal(peaks []int64, fs float64, i int) (local, irr float64) {
	b := rrLocalAt(peaks, fs, i)
	return b.local, rrIrregularity(b)
}

// rrLocalAt is rrAt without rr_long.
func rrLocalAt(peaks []int64, fs float64, i int) rrBeat {
	n := len(peaks)
	lo, hi := max(1, i-RRLocalSpan+1), min(n-1, i+RRLocalSpan)
	b := rrBeat{peaks: peaks, fs: fs, lo: lo, hi: hi}
	if hi >= lo {
		b.local = float64(peaks[hi]-peaks[lo-1]) / float64(hi-lo+1) / fs
	}
	b.prev, b.next = b.local, b.local
	if i > 0 {
		b.prev = float64(peaks[i]-peaks[i-1]) / fs
	}
	if i < n-1 {
		b.next = float64(peaks[i+1]-peaks[i]) / fs
	}
	return b
}

// rrLong is the mean RR interval between the first and the last of peaks
// within RRLongSpan seconds of peaks[i] (both ends included), or local when
// that span holds a single beat.
func rrLong(peaks []int64, fs float64, i int, local float64) float64 {
	span := int64(math.Floor(RRLongSpan * fs))
	lo := sort.Search(i, func(k int) bool { return peaks[k] >= peaks[i]-span })
	hi := i + sort.Search(len(peaks)-i, func(k int) bool { return peaks[i+k] > peaks[i]+span }) - 1
	if hi <= lo {
		return local
	}
	return float64(peaks[hi]-peaks[lo]) / float64(hi-lo) / fs
}

// rrFeatures writes the named features of beat i into dst.
func rrFeatures(dst []float32, fns []func(rrBeat) float64, peaks []int64, fs float64, i int) {
	b := rrAt(peaks, fs, i)
	for k, f := range fns {
		dst[k] = float32(f(b))
	}
}

// rrFuncsFor returns the feature functions for names, which ParseMeta has
// already checked.
func rrFuncsFor(names []string) []func(rrBeat) float64 {
	fns := make([]func(rrBeat) float64, len(names))
	for i, n := range names {
		fns[i] = rrFuncs[n]
	}
	return fns
}

// rrIrregularity is rr_local_irr: the median absolute change between
// successive RR intervals of the local span, over rr_local. It is high in
// atrial fibrillation and low in sinus rhythm, even with a few premature
// beats; 0 with fewer than two intervals.
func rrIrregularity(b rrBeat) float64 {
	if b.hi-b.lo < 1 || b.local <= 0 {
		return 0
	}
	var buf [2 * RRLocalSpan]float64 // hi-lo < 2*RRLocalSpan
	d := buf[:0]
	for k := b.lo + 1; k <= b.hi; k++ {
		cur := float64(b.peaks[k]-b.peaks[k-1]) / b.fs
		prev := float64(b.peaks[k-1]-b.peaks[k-2]) / b.fs
		d = append(d, math.Abs(cur-prev))
	}
	slices.Sort(d)
	n := len(d)
	m := d[n/2]
	if n%2 == 0 {
		m = (d[n/2-1] + d[n/2]) / 2
	}
	return m / b.local
}
