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
	Valid            bool           // no noise stretch of any lead touches [Prev, Sample]
	NoSignal         bool           // a record-wide stretch without signal touches it (Noise.NoSignal)
}

// Intervals returns the RR intervals of the QRS beats of in, in order.
func Intervals(in Input) []RR { return intervals(in.Beats, in.Info.Fs, in.Noise) }

// intervals returns the RR intervals of the QRS beats of beats at fs; an
// interval is valid when no noise stretch overlaps [first beat, second beat].
func intervals(all []annotate.Beat, fs float64, noise []annotate.Noise) []RR {
	beats := QRS(all)
	if len(beats) < 2 {
		return nil
	}
	bad := noisy(noise)
	out := make([]RR, len(beats)-1)
	k := 0
	for i := 1; i < len(beats); i++ {
		a, b := beats[i-1], beats[i]
		for k < len(bad) && bad[k].End <= a.Sample {
			k++
		}
		valid := k >= len(bad) || bad[k].Start > b.Sample
		out[i-1] = RR{Prev: a.Sample, Sample: b.Sample, Sec: float64(b.Sample-a.Sample) / fs,
			PrevClass: a.Code.Class(), Class: b.Code.Class(), Valid: valid,
			NoSignal: !valid && noSignalIn(noise, a.Sample, b.Sample)}
	}
	return out
}

// noisy returns the union of the noise stretches of every lead, sorted.
func noisy(noise []annotate.Noise) []annotate.Span {
	var s []annotate.Span
	for _, n := range noise {
		if n.End > n.Start {
			s = append(s, annotate.Span{Start: n.Start, End: n.End})
		}
	}
	return annotate.Union(s)
}

// noSignalIn reports whether a record-wide stretch without signal touches
// [a, b] (checked only for the few intervals that noise touches at all).
func noSignalIn(noise []annotate.Noise, a, b int64) bool {
	for _, n := range noise {
		if n.NoSignal() && n.Start <= b && a < n.End {
			return true
		}
	}
	return false
}

// HRPoint is a heart rate at a beat.
type HRPoint struct {
	BPM    float64 // beats per minute
	Sample int64   // the last beat of the averaging window
	N      int     // RR intervals in the window
}

// HR sums up the heart rate of a record. With no valid RR interval
// (Intervals 0) every figure is NaN.
type HR struct {
	Min, Max  HRPoint
	Mean      float64
	Intervals int // valid RR intervals counted in Mean
}

// HeartRate returns the heart rate figures of the intervals: minimum and
// maximum as RateExtremes defines them, and the mean.
func HeartRate(rrs []RR, k int) HR {
	h := HR{Mean: math.NaN()}
	h.Min, h.Max = RateExtremes(rrs, k)
	total := 0.0
	for _, r := range rrs {
		if r.Valid {
			total += r.Sec
			h.Intervals++
		}
	}
	if h.Intervals > 0 && total > 0 {
		h.Mean = 60 * float64(h.Intervals) / total
	}
	return h
}

// RateExtremes returns the slowest and the fastest heart rate of rrs, the
// one definition of minimum and maximum heart rate the report uses: the
// slowest and fastest mean over at least k consecutive valid RR intervals,
// 60*n/sum [beats/min], at the last beat of the window. Windows of k to
// 2k-1 intervals suffice: a longer stretch splits into such windows, so its
// mean lies between theirs. When rrs holds no k consecutive valid intervals
// the window is its longest run of valid intervals. Both are NaN without a
// valid interval.
func RateExtremes(rrs []RR, k int) (slow, fast HRPoint) {
	return extremes(rrs, min(k, longestValidRun(rrs)), false)
}

// MinShortRun is the fewest valid intervals a run shorter than k that a
// mark cuts must hold to be a window of an episode (EpisodeRates): one or
// two intervals between marks are most often a double detection at a noise
// edge (0.2 s, "300 bpm"), no heart rate. A short episode no mark touches
// (a 3-beat VT run, a pause) keeps its rate.
const MinShortRun = 3

// EpisodeRates returns an episode's slowest and fastest heart rate from its
// RR intervals rrs: RateExtremes' windows, and as a window of its own every
// run of fewer than k valid intervals that is all of rrs (a short episode)
// or, cut by a mark, holds at least MinShortRun. Every interval EpisodeMean
// counts is then in some window, so the slowest <= EpisodeMean <= the
// fastest, always. Both are NaN without such a run.
func EpisodeRates(rrs []RR, k int) (slow, fast HRPoint) {
	return extremes(rrs, k, true)
}

// EpisodeMean returns an episode's mean heart rate, 60*n/sum, over the n
// valid intervals of rrs that EpisodeRates' windows hold: runs of k or
// more, and the short runs it takes. NaN without any.
func EpisodeMean(rrs []RR, k int) (bpm float64, n int) {
	sum := 0.0
	eachRun(rrs, func(run []RR) {
		if k >= 1 && (len(run) >= k || shortWindow(run, rrs)) {
			for _, r := range run {
				sum += r.Sec
			}
			n += len(run)
		}
	})
	if n == 0 || sum <= 0 {
		return math.NaN(), n
	}
	return 60 * float64(n) / sum, n
}

// extremes returns the slowest and fastest window mean of rrs: windows of
// k to 2k-1 consecutive valid intervals, and, with short, each whole run
// shorter than k that shortWindow takes.
func extremes(rrs []RR, k int, short bool) (slow, fast HRPoint) {
	slow, fast = HRPoint{BPM: math.NaN()}, HRPoint{BPM: math.NaN()}
	take := func(n int, sum float64, at int64) {
		if sum <= 0 {
			return
		}
		bpm := 60 * float64(n) / sum
		if math.IsNaN(slow.BPM) || bpm < slow.BPM {
			slow = HRPoint{bpm, at, n}
		}
		if math.IsNaN(fast.BPM) || bpm > fast.BPM {
			fast = HRPoint{bpm, at, n}
		}
	}
	if k < 1 {
		return slow, fast
	}
	eachRun(rrs, func(run []RR) { runWindows(run, k, short && shortWindow(run, rrs), take) })
	return slow, fast
}

// eachRun hands f every maximal run of consecutive valid intervals of rrs.
func eachRun(rrs []RR, f func(run []RR)) {
	for a := 0; a < len(rrs); {
		b := a
		for b < len(rrs) && rrs[b].Valid {
			b++
		}
		if b > a {
			f(rrs[a:b])
		}
		a = b + 1
	}
}

// shortWindow reports whether run, a run of valid intervals of rrs shorter
// than k, is an episode window: all of rrs, or MinShortRun long.
func shortWindow(run, rrs []RR) bool {
	return len(run) == len(rrs) || len(run) >= MinShortRun
}

// runWindows hands take the windows of one run of valid intervals (and,
// with short, the run itself when shorter than k).
func runWindows(run []RR, k int, short bool, take func(n int, sum float64, at int64)) {
	if len(run) < k {
		if short {
			sum := 0.0
			for _, r := range run {
				sum += r.Sec
			}
			take(len(run), sum, run[len(run)-1].Sample)
		}
		return
	}
	for end := k - 1; end < len(run); end++ {
		sum := 0.0
		for n := 1; n <= min(2*k-1, end+1); n++ {
			sum += run[end-n+1].Sec
			if n >= k {
				take(n, sum, run[end].Sample)
			}
		}
	}
}

// longestValidRun returns the most consecutive valid intervals of rrs.
func longestValidRun(rrs []RR) int {
	best, run := 0, 0
	for _, r := range rrs {
		if run = run + 1; !r.Valid {
			run = 0
		}
		best = max(best, run)
	}
	return best
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
