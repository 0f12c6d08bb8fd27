package eval

import (
	"github.com/ecgstation/ecgstation/annotate"
)

// EpisodeResult is the episode-by-episode comparison of one rhythm.
type EpisodeResult struct {
	Rhythm string
	// Episode sensitivity: reference episodes overlapped by a test episode
	// (TPs) or not (FN); positive predictivity: test episodes overlapped by
	// a reference episode (TPp) or not (FP).
	TPs, FN, TPp, FP int64
	// Durations in samples: total reference and test duration and the parts
	// of each that the other annotator also called this rhythm.
	RefDur, RefOverlap, TestDur, TestOverlap int64
	// Period is the scored time (o.End - o.Start; 0 when the comparison
	// had no end) and Excluded the reference time of rhythms left out of
	// the +P side (AFL for AFIB), both in samples, for DurationSp.
	Period, Excluded int64
	// NoneTime is the scored time of the records whose reference has none
	// of this rhythm, and NoneCalled the time the test called it there.
	NoneTime, NoneCalled int64
}

// Add adds the counts of e to r.
func (r *EpisodeResult) Add(e EpisodeResult) {
	r.TPs += e.TPs
	r.FN += e.FN
	r.TPp += e.TPp
	r.FP += e.FP
	r.RefDur += e.RefDur
	r.RefOverlap += e.RefOverlap
	r.TestDur += e.TestDur
	r.TestOverlap += e.TestOverlap
	r.Period += e.Period
	r.Excluded += e.Excluded
	r.NoneTime += e.NoneTime
	r.NoneCalled += e.NoneCalled
}

// EpisodeSe returns the episode sensitivity in percent.
func (r EpisodeResult) EpisodeSe() (float64, bool) { return pct(r.TPs, r.TPs+r.FN) }

// EpisodePP returns the episode positive predictivity in percent.
func (r EpisodeResult) EpisodePP() (float64, bool) { return pct(r.TPp, r.TPp+r.FP) }

// DurationSe returns the duration sensitivity in percent.
func (r EpisodeResult) DurationSe() (float64, bool) { return pct(r.RefOverlap, r.RefDur) }

// DurationPP returns the duration positive predictivity in percent.
func (r EpisodeResult) DurationPP() (float64, bool) { return pct(r.TestOverlap, r.TestDur) }

// DurationSp returns the duration specificity in percent: of the scored
// time the reference gives to neither this rhythm nor an excluded one, the
// part the test did not call this rhythm. Unknown without a Period.
func (r EpisodeResult) DurationSp() (float64, bool) {
	neg := r.Period - r.RefDur - r.Excluded
	return pct(neg-(r.TestDur-r.TestOverlap), neg)
}

// NoneCalledPct returns the share of the scored time of records without
// this rhythm in their reference that the test called this rhythm, percent.
func (r EpisodeResult) NoneCalledPct() (float64, bool) { return pct(r.NoneCalled, r.NoneTime) }

// CompareEpisodes compares the episodes of one rhythm as epicmp does, within
// [o.Start, o.End) (o.End <= 0: no end). For AFIB, reference atrial flutter
// (AFL) is excluded from the +P side, as EC57 prescribes.
func CompareEpisodes(ref, test []annotate.Episode, rhythm string, o Options) EpisodeResult {
	r := EpisodeResult{Rhythm: rhythm}
	rs, ts := clip(ref, rhythm, o), clip(test, rhythm, o)
	var excl []annotate.Episode
	if rhythm == "AFIB" {
		excl = clip(ref, "AFL", o)
	}
	for _, e := range rs {
		ov := overlap(e, ts)
		r.RefDur += e.End - e.Start
		r.RefOverlap += ov
		if ov > 0 {
			r.TPs++
		} else {
			r.FN++
		}
	}
	for _, e := range excl {
		r.Excluded += e.End - e.Start
	}
	for _, e := range ts {
		dur := e.End - e.Start - overlap(e, excl)
		if dur <= 0 {
			continue
		}
		ov := overlap(e, rs)
		r.TestDur += dur
		r.TestOverlap += ov
		if ov > 0 {
			r.TPp++
		} else {
			r.FP++
		}
	}
	if o.End > 0 {
		r.Period = o.End - o.Start
		if len(rs) == 0 {
			r.NoneTime = r.Period
			for _, e := range ts {
				r.NoneCalled += e.End - e.Start
			}
		}
	}
	return r
}

// clip returns the episodes of rhythm cut to the test period.
func clip(eps []annotate.Episode, rhythm string, o Options) []annotate.Episode {
	var out []annotate.Episode
	for _, e := range eps {
		if e.Rhythm != rhythm {
			continue
		}
		e.Start = max(e.Start, o.Start)
		if o.End > 0 {
			e.End = min(e.End, o.End)
		}
		if e.End > e.Start {
			out = append(out, e)
		}
	}
	return out
}

// overlap returns how many samples of e the episodes of others cover.
func overlap(e annotate.Episode, others []annotate.Episode) int64 {
	var s int64
	for _, x := range others {
		if lo, hi := max(e.Start, x.Start), min(e.End, x.End); hi > lo {
			s += hi - lo
		}
	}
	return s
}
