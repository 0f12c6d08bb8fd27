package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Summary holds the figures of a Holter report.
type Summary struct {
	Record   string
	Fs       float64
	Start    time.Time     // wall-clock time of sample 0, zero when unknown
	Duration time.Duration // record length
	Beats    int           // QRS beats
	ByClass  [annotate.ClassQ + 1]int
	HR       HR
	HRV      HRV // time-domain heart rate variability over NN intervals
	V, S     Ectopy
	AF       Burden
	// LongestPause is the longest RR interval, marked or not (Sec 0
	// without any); a mark touches it when !LongestPause.Valid, and the
	// report then says so for the reader to check. A noise rule never
	// hides a pause.
	LongestPause RR
	// Pauses counts the RR intervals of PauseThreshold or more, marked or
	// not, and PausesMarked those of them a noise, artefact or no-signal
	// mark touches (to check: beats may be lost there).
	Pauses, PausesMarked int
	// LongRRToCheck lists, in time order, the RR intervals a noise,
	// artefact or no-signal mark touches that are PauseThreshold or longer,
	// and the longest marked interval when it is longer than every clean
	// one: each may be a pause or beats lost in the artefact, so none is a
	// heart rate, and the report lists every one, with a strip, for the
	// reader to check.
	LongRRToCheck []RR
	Episodes      []EpisodeSummary
	// Noise is the union of the noise stretches of every lead, sorted.
	Noise   []annotate.Span
	Options Options
}

// Burden is the time a record spends in a rhythm.
type Burden struct {
	Duration time.Duration
	Fraction float64 // of the record duration, 0..1
}

// EpisodeSummary is one line of the episode list.
type EpisodeSummary struct {
	annotate.Episode
	Beats int // QRS beats inside [Start, End)
	// MeanHR is EpisodeMean of the RR intervals ending in (Start, End], and
	// MinHR and MaxHR the slowest and fastest of them as EpisodeRates
	// defines them (MinHR <= MeanHR <= MaxHR); all three NaN without a run
	// of valid intervals long enough, RateNote then saying why.
	MeanHR, MinHR, MaxHR float64
	RateNote             string // why the rates are NaN; "" when they are not
}

// Duration returns the episode's length at fs.
func (e EpisodeSummary) Duration(fs float64) time.Duration { return Seconds(e.End-e.Start, fs) }

// Compute returns the Holter summary of in.
func Compute(in Input, opt Options) (*Summary, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	beats := QRS(in.Beats)
	rrs := Intervals(in)
	end := in.end()
	s := &Summary{Record: in.Info.Name, Fs: in.Info.Fs, Start: in.Info.Start, Duration: Seconds(end, in.Info.Fs),
		Beats: len(beats), HR: HeartRate(rrs, opt.HRBeats), Options: opt,
		V:  CountEctopy(beats, annotate.ClassV, opt.BigeminyBeats),
		S:  CountEctopy(beats, annotate.ClassS, opt.BigeminyBeats),
		AF: burden(in.Episodes, AFRhythm, end, in.Info.Fs)}
	for _, b := range beats {
		s.ByClass[b.Code.Class()]++
	}
	s.HRV = ComputeHRV(beats, in.Info.Fs, in.Noise)
	s.Noise = noisy(in.Noise)
	s.LongestPause, s.Pauses, s.PausesMarked, s.LongRRToCheck = pauses(rrs, opt.PauseThreshold.Seconds())
	s.Episodes = episodeList(in.Episodes, beats, rrs, opt.HRBeats)
	return s, nil
}

// pauses returns the longest interval, marked or not, the number of
// intervals at least thr seconds long and how many of those a mark touches,
// and the intervals to check (Summary.LongRRToCheck).
func pauses(rrs []RR, thr float64) (longest RR, n, marked int, check []RR) {
	var clean, worst RR // the longest interval no mark touches, and a mark does
	for _, r := range rrs {
		switch {
		case r.Valid && r.Sec > clean.Sec:
			clean = r
		case !r.Valid && r.Sec > worst.Sec:
			worst = r
		}
		if r.Sec >= thr {
			n++
		}
		if !r.Valid && r.Sec >= thr {
			marked++
			check = append(check, r)
		}
	}
	longest = clean
	if worst.Sec > clean.Sec {
		longest = worst
	}
	if worst.Sec > clean.Sec && worst.Sec < thr {
		i, _ := slices.BinarySearchFunc(check, worst.Sample, func(r RR, t int64) int { return cmp.Compare(r.Sample, t) })
		check = slices.Insert(check, i, worst)
	}
	return longest, n, marked, check
}

// AFBurden returns the time in AFIB episodes (their union) over the
// record, as Compute sums it up in Summary.AF, without the other figures.
func AFBurden(in Input) Burden { return burden(in.Episodes, AFRhythm, in.end(), in.Info.Fs) }

// burden returns the time spent in rhythm within [0, end).
func burden(eps []annotate.Episode, rhythm string, end int64, fs float64) Burden {
	var s []annotate.Span
	for _, e := range eps {
		if e.Rhythm == rhythm {
			s = append(s, annotate.Span{Start: max(0, e.Start), End: min(end, e.End)})
		}
	}
	var n int64
	for _, x := range annotate.Union(s) {
		n += max(0, x.End-x.Start)
	}
	b := Burden{Duration: Seconds(n, fs)}
	if end > 0 {
		b.Fraction = float64(n) / float64(end)
	}
	return b
}

// episodeList returns the episodes other than normal sinus rhythm, by
// start, with their beat counts and heart rates.
func episodeList(eps []annotate.Episode, beats []annotate.Beat, rrs []RR, k int) []EpisodeSummary {
	var out []EpisodeSummary
	for _, e := range eps {
		if e.Rhythm == NormalRhythm {
			continue
		}
		es := EpisodeSummary{Episode: e}
		lo, _ := slices.BinarySearchFunc(beats, e.Start, func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) })
		hi, _ := slices.BinarySearchFunc(beats, e.End, func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) })
		es.Beats = hi - lo
		es.MinHR, es.MeanHR, es.MaxHR, es.RateNote = rateIn(rrs, e.Start, e.End, k)
		out = append(out, es)
	}
	slices.SortStableFunc(out, func(a, b EpisodeSummary) int { return cmp.Compare(a.Start, b.Start) })
	return out
}

// Why an episode has no heart rate (EpisodeSummary.RateNote).
const (
	NoteNoValidRR = "no clean RR interval"
	NoteShortRuns = "fewer than 3 clean RR intervals in a row between marks (1 or 2 there may be a double detection)"
)

// rateIn returns the slowest, mean and fastest heart rate (EpisodeRates,
// EpisodeMean) of the intervals ending in (start, end], and why they are
// NaN: a pause episode, from the R peak before the pause to the one after
// it, holds its pause.
func rateIn(rrs []RR, start, end int64, k int) (slowest, mean, fastest float64, note string) {
	i, _ := slices.BinarySearchFunc(rrs, start+1, func(r RR, t int64) int { return cmp.Compare(r.Sample, t) })
	j, _ := slices.BinarySearchFunc(rrs, end+1, func(r RR, t int64) int { return cmp.Compare(r.Sample, t) })
	in := rrs[i:max(i, j)]
	slow, fast := EpisodeRates(in, k)
	mean, _ = EpisodeMean(in, k)
	if math.IsNaN(mean) {
		note = NoteNoValidRR
		if slices.ContainsFunc(in, func(r RR) bool { return r.Valid }) {
			note = NoteShortRuns
		}
	}
	return slow.BPM, mean, fast.BPM, note
}

// Clock returns the time of sample t as the report shows it: the wall-clock
// time "15:04:05" when the record's start is known, else the elapsed time
// "h:mm:ss" (with days "2d 03:04:05" past 24 hours).
func Clock(start time.Time, fs float64, t int64) string {
	d := Seconds(t, fs)
	if !start.IsZero() {
		return start.Add(d).Format("15:04:05")
	}
	return Elapsed(d)
}

// Elapsed formats a duration as "h:mm:ss", or "Nd hh:mm:ss" past a day.
func Elapsed(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 86400 {
		return fmt.Sprintf("%dd %02d:%02d:%02d", s/86400, s%86400/3600, s%3600/60, s%60)
	}
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s%3600/60, s%60)
}
