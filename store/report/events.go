package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

// Event is a key event of a record: what the report shows a strip of.
type Event struct {
	Title string
	At    int64 // the sample the strip is centred on
}

// episodeRank orders the episodes whose strips matter most.
var episodeRank = map[string]int{"VT": 0, "VFL": 0, "AFIB": 1, "AFL": 2, "PAUSE": 3, "SVTA": 4, "B": 5, "T": 6}

// KeyEvents returns the key events of a summary, most important first:
// the fastest and slowest heart rate, the longest pause, the longest RR
// interval in noise or artefact (for the reader to check), the longest V
// and S runs (the cleanest of equals), then the episodes (VT, AF, flutter,
// pauses, SVT, bigeminy, others; of each rhythm the cleanest first), an
// event whose strip (window samples long) would mostly repeat an earlier
// one folded into it (dedup). An episode's strip is its cleanest stretch
// (cleanestAt).
func KeyEvents(s *stats.Summary, window int64) []Event {
	var evs []Event
	add := func(title string, at int64) { evs = append(evs, Event{title, at}) }
	if !isNaN(s.HR.Max.BPM) {
		add(fmt.Sprintf("Maximum heart rate, %.0f bpm (mean of %d RR intervals)", s.HR.Max.BPM, s.HR.Max.N), s.HR.Max.Sample)
		add(fmt.Sprintf("Minimum heart rate, %.0f bpm (mean of %d RR intervals)", s.HR.Min.BPM, s.HR.Min.N), s.HR.Min.Sample)
	}
	if p := s.LongestPause; p.Sec > 0 {
		add(fmt.Sprintf("Longest RR interval, %.2f s%s", p.Sec, markedNote(p)), (p.Prev+p.Sample)/2)
	}
	if p, ok := longest(s.LongRRToCheck); ok {
		add(fmt.Sprintf("Long RR interval in noise or artefact, %.2f s: check", p.Sec), (p.Prev+p.Sample)/2)
	}
	for _, e := range []stats.Ectopy{s.V, s.S} {
		if e.Runs > 0 {
			add(fmt.Sprintf("Longest %s run, %d beats", e.Class, e.LongestRun), cleanestRun(e, window, s.Noise))
		}
	}
	for _, o := range cleanestEpisodes(s.Episodes, window, s.Noise) {
		add(fmt.Sprintf("%s episode, %s", chart.RhythmName(o.e.Rhythm), stats.Elapsed(o.e.Duration(s.Fs))), o.at)
	}
	return dedup(evs, window)
}

// occurrence is an episode and where its strip goes.
type occurrence struct {
	e     stats.EpisodeSummary
	at    int64 // the strip's centre (cleanestAt)
	noise int64 // noise samples in that strip
}

// cleanestEpisodes orders the episodes by rank (episodeRank), and the
// episodes of one rank by the noise in their cleanest strip, least first,
// then by time: a rhythm's strips show its cleanest occurrences, not its
// first ones.
func cleanestEpisodes(eps []stats.EpisodeSummary, window int64, noise []annotate.Span) []occurrence {
	out := make([]occurrence, len(eps))
	for i, e := range eps {
		at := cleanestAt(e, window, noise)
		out[i] = occurrence{e, at, noiseIn(noise, at-window/2, at+window/2)}
	}
	slices.SortStableFunc(out, func(a, b occurrence) int {
		return cmp.Or(cmp.Compare(rank(a.e.Rhythm), rank(b.e.Rhythm)), cmp.Compare(a.noise, b.noise))
	})
	return out
}

// cleanestRun returns where to centre the strip of a class's longest run:
// on the run of that length that noise touches least (the first of equals).
func cleanestRun(e stats.Ectopy, window int64, noise []annotate.Span) int64 {
	best, least := e.LongestRunAt, int64(-1)
	for _, r := range e.Stretches {
		if r.Beats != e.LongestRun {
			continue
		}
		at := (r.First + r.Last) / 2
		if n := noiseIn(noise, at-window/2, at+window/2); least < 0 || n < least {
			best, least = at, n
		}
	}
	return best
}

func isNaN(v float64) bool { return v != v }

// longest returns the longest of rrs, false when there is none.
func longest(rrs []stats.RR) (stats.RR, bool) {
	if len(rrs) == 0 {
		return stats.RR{}, false
	}
	return slices.MaxFunc(rrs, func(a, b stats.RR) int { return cmp.Compare(a.Sec, b.Sec) }), true
}

func rank(r string) int {
	if k, ok := episodeRank[r]; ok {
		return k
	}
	return len(episodeRank)
}

// startOf centres a strip so that it shows the episode's onset (a short
// episode whole).
func startOf(e stats.EpisodeSummary, window int64) int64 {
	if e.End-e.Start <= window*8/10 {
		return (e.Start + e.End) / 2
	}
	return e.Start + window/4
}

// cleanestAt returns where to centre an episode's strip so that no noise
// touches it: the onset (startOf) when it is clean, else the first strip
// inside the episode, a quarter window apart, that noise touches least.
func cleanestAt(e stats.EpisodeSummary, window int64, noise []annotate.Span) int64 {
	best := startOf(e, window)
	least := noiseIn(noise, best-window/2, best+window/2)
	for at := e.Start + window/2; least > 0 && at+window/2 <= e.End; at += max(1, window/4) {
		if n := noiseIn(noise, at-window/2, at+window/2); n < least {
			best, least = at, n
		}
	}
	return best
}

// noiseIn returns how many samples of [a, b) the sorted spans cover.
func noiseIn(noise []annotate.Span, a, b int64) int64 {
	var n int64
	for _, x := range noise {
		n += max(0, min(b, x.End)-max(a, x.Start))
	}
	return n
}

// dedup folds each event within half a window of an earlier one into that
// one: one strip shows both, and its title names both.
func dedup(evs []Event, window int64) []Event {
	var out []Event
	for _, e := range evs {
		k := slices.IndexFunc(out, func(o Event) bool { return abs(o.At-e.At) < window/2 })
		if k < 0 {
			out = append(out, e)
			continue
		}
		out[k].Title += "; " + e.Title
	}
	return out
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// markedNote is " (in artefact: check)" for an RR interval a mark touches.
func markedNote(r stats.RR) string {
	if r.Valid {
		return ""
	}
	return " (in artefact: check)"
}
