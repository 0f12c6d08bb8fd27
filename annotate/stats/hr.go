package stats

import (
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// RR is one RR interval, from beat Prev to beat Sample.
type RR struct {
	Prev, Sample     int64          // the beats that start and end the interval, samples
	Sec              float64        // length, seconds
	PrevClass, Class annotate.Class // classes of the two beats
	Valid            bool           // no unreadable stretch overlaps it
}

// Intervals returns the RR intervals of the QRS beats of in, in order.
func Intervals(in Input) []RR {
	beats := QRS(in.Beats)
	if len(beats) < 2 {
		return nil
	}
	bad := unreadable(in.Noise)
	out := make([]RR, len(beats)-1)
	k := 0
	for i := 1; i < len(beats); i++ {
		a, b := beats[i-1], beats[i]
		for k < len(bad) && bad[k].End <= a.Sample {
			k++
		}
		valid := k >= len(bad) || bad[k].Start >= b.Sample
		out[i-1] = RR{Prev: a.Sample, Sample: b.Sample, Sec: float64(b.Sample-a.Sample) / in.Info.Fs,
			PrevClass: a.Code.Class(), Class: b.Code.Class(), Valid: valid}
	}
	return out
}

// unreadable returns the union of the whole-record noise stretches, sorted.
func unreadable(noise []annotate.Noise) []annotate.Span {
	var s []annotate.Span
	for _, n := range noise {
		if n.Lead < 0 && n.End > n.Start {
			s = append(s, annotate.Span{Start: n.Start, End: n.End})
		}
	}
	return annotate.Union(s)
}

// HRPoint is a heart rate at a beat.
type HRPoint struct {
	BPM    float64 // beats per minute
	Sample int64   // the last beat of the averaging window
}

// HR sums up the heart rate of a record. With no valid RR interval
// (Intervals 0) every figure is NaN; with fewer than HRBeats consecutive
// valid intervals Min and Max are NaN.
type HR struct {
	Min, Max  HRPoint
	Mean      float64
	Intervals int // valid RR intervals counted in Mean
}

// HeartRate returns the heart rate figures of the intervals: minimum and
// maximum over means of k consecutive valid intervals, and the mean.
func HeartRate(rrs []RR, k int) HR {
	h := HR{Min: HRPoint{BPM: math.NaN()}, Max: HRPoint{BPM: math.NaN()}, Mean: math.NaN()}
	total, run, sum := 0.0, 0, 0.0
	for i, r := range rrs {
		if !r.Valid {
			run, sum = 0, 0
			continue
		}
		total += r.Sec
		h.Intervals++
		run, sum = run+1, sum+r.Sec
		if run > k {
			run, sum = run-1, sum-rrs[i-k].Sec
		}
		if run == k && sum > 0 {
			bpm := 60 * float64(k) / sum
			if math.IsNaN(h.Min.BPM) || bpm < h.Min.BPM {
				h.Min = HRPoint{bpm, r.Sample}
			}
			if math.IsNaN(h.Max.BPM) || bpm > h.Max.BPM {
				h.Max = HRPoint{bpm, r.Sample}
			}
		}
	}
	if h.Intervals > 0 && total > 0 {
		h.Mean = 60 * float64(h.Intervals) / total
	}
	return h
}

// HRBin is the heart rate over [Start, End) samples: the mean over the
// valid RR intervals that end inside it (N of them), NaN when N is 0.
type HRBin struct {
	Start, End int64
	BPM        float64
	N          int
}

// Trend returns the heart rate per period (a minute for the trend and
// Bland-Altman plots) from sample 0 to end, of the intervals rrs at fs.
func Trend(rrs []RR, fs float64, end int64, period time.Duration) []HRBin {
	step := int64(math.Round(period.Seconds() * fs))
	if step <= 0 || end <= 0 {
		return nil
	}
	bins := make([]HRBin, (end+step-1)/step)
	sums := make([]float64, len(bins))
	for i := range bins {
		bins[i] = HRBin{Start: int64(i) * step, End: min(end, int64(i+1)*step), BPM: math.NaN()}
	}
	for _, r := range rrs {
		if i := r.Sample / step; r.Valid && r.Sample >= 0 && i < int64(len(bins)) {
			bins[i].N++
			sums[i] += r.Sec
		}
	}
	for i := range bins {
		if bins[i].N > 0 && sums[i] > 0 {
			bins[i].BPM = 60 * float64(bins[i].N) / sums[i]
		}
	}
	return bins
}
