// Package check finds inconsistencies in a record's labels, the slips a
// reader should look at before signing off: each Finding names its rule,
// says what is wrong in words, and carries the sample to jump to and the
// span to show.
//
//	fs, _ := check.Run(check.Input{Input: stats.FromLabelSet(info, ls), Status: ls.Status}, check.DefaultOptions())
//	for _, f := range fs {
//		fmt.Println(stats.Clock(info.Start, info.Fs, f.Sample), f.Rule, f.Message)
//	}
//
// The rules (Rules lists them with their titles):
//
//	vt-few-v          a VT episode with fewer than 3 V beats
//	vt-slow           a VT episode whose mean rate is under 100 bpm (idioventricular?)
//	pause-unmarked    an RR interval of the pause threshold or more with no PAUSE episode over it
//	pause-no-pause    a PAUSE episode with no RR interval of the pause threshold inside
//	s-in-af           S beats inside atrial fibrillation or flutter (no P waves there)
//	beat-in-noise     beats inside an unreadable noise stretch
//	signed-unreviewed a signed-off label set with unreviewed model beats or episodes
//	beats-too-close   two beats closer than the refractory period (200 ms): a double detection?
//	af-short          an AFIB episode shorter than 30 s
//	episode-overlap   two episodes of the same rhythm that overlap
//
// Summarize groups the findings by rule, most urgent first (Priority says
// which order and why), so that one kind with many findings does not bury
// the rest.
//
// Noise stretches count when they cover the whole record (Lead -1) or the
// lead a beat is annotated on.
package check

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Rule names a consistency rule.
type Rule string

// The rules.
const (
	VTFewV           Rule = "vt-few-v"
	VTSlow           Rule = "vt-slow"
	PauseUnmarked    Rule = "pause-unmarked"
	PauseNoPause     Rule = "pause-no-pause"
	SInAF            Rule = "s-in-af"
	BeatInNoise      Rule = "beat-in-noise"
	SignedUnreviewed Rule = "signed-unreviewed"
	BeatsTooClose    Rule = "beats-too-close"
	AFShort          Rule = "af-short"
	EpisodeOverlap   Rule = "episode-overlap"
)

// RuleInfo describes a rule for a list or a settings screen.
type RuleInfo struct {
	Rule  Rule
	Title string
}

// Rules lists every rule in the order Run reports them.
var Rules = []RuleInfo{
	{VTFewV, "VT episode with fewer than 3 V beats"},
	{VTSlow, "VT episode slower than 100 bpm"},
	{PauseUnmarked, "long RR interval without a pause episode"},
	{PauseNoPause, "pause episode without a long RR interval"},
	{SInAF, "S beats inside AF or flutter"},
	{BeatInNoise, "beats inside a noise stretch"},
	{SignedUnreviewed, "signed off with unreviewed labels"},
	{BeatsTooClose, "beats closer than the refractory period"},
	{AFShort, "AF episode shorter than 30 s"},
	{EpisodeOverlap, "overlapping episodes of one rhythm"},
}

// Finding is one inconsistency.
type Finding struct {
	Rule       Rule
	Sample     int64 // where to jump: the beat or the start of the span
	Start, End int64 // the span to show, [Start, End) samples
	Count      int   // beats (or labels) concerned
	Message    string
}

// Input is a label set to check: its live labels and its status.
type Input struct {
	stats.Input
	Status annotate.Status
}

// Options set the thresholds of the rules.
type Options struct {
	PauseThreshold time.Duration // RR that is a pause (2 s, as stats)
	MinVTBeats     int           // fewest V beats in a VT episode (3)
	MinVTRate      float64       // slowest VT, bpm (100)
	Refractory     time.Duration // least RR between two beats (200 ms)
	MinAF          time.Duration // shortest AFIB episode (30 s)
}

// DefaultOptions returns the thresholds the package comment states.
func DefaultOptions() Options {
	return Options{PauseThreshold: stats.DefaultPauseThreshold, MinVTBeats: 3, MinVTRate: 100,
		Refractory: 200 * time.Millisecond, MinAF: 30 * time.Second}
}

// ErrOptions is returned for thresholds that are not positive.
var ErrOptions = errors.New("check: thresholds must be positive")

// Run applies every rule to in and returns the findings sorted by Sample
// (rule order among findings at one sample).
func Run(in Input, opt Options) ([]Finding, error) {
	if opt.PauseThreshold <= 0 || opt.MinVTBeats <= 0 || !(opt.MinVTRate > 0) || opt.Refractory <= 0 || opt.MinAF <= 0 {
		return nil, fmt.Errorf("%w: %+v", ErrOptions, opt)
	}
	if _, err := stats.Compute(in.Input, stats.DefaultOptions()); err != nil {
		return nil, fmt.Errorf("check %s: %w", in.Info.Name, err)
	}
	c := &checker{in: in, opt: opt, beats: stats.QRS(in.Beats), rrs: stats.Intervals(in.Input)}
	for _, rule := range []func(){c.vt, c.pauses, c.sInAF, c.noise, c.signedOff, c.tooClose, c.afShort, c.overlap} {
		rule()
	}
	order := map[Rule]int{}
	for i, r := range Rules {
		order[r.Rule] = i
	}
	slices.SortStableFunc(c.out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Sample, b.Sample), cmp.Compare(order[a.Rule], order[b.Rule]))
	})
	return c.out, nil
}

// checker holds what the rules share.
type checker struct {
	in    Input
	opt   Options
	beats []annotate.Beat
	rrs   []stats.RR
	out   []Finding
}

func (c *checker) add(r Rule, at, start, end int64, n int, format string, args ...any) {
	c.out = append(c.out, Finding{Rule: r, Sample: at, Start: start, End: end, Count: n, Message: fmt.Sprintf(format, args...)})
}

// secs formats a sample count as seconds.
func (c *checker) secs(n int64) string {
	return fmt.Sprintf("%.1f s", float64(n)/c.in.Info.Fs)
}

// beatsIn returns the beats with start <= Sample < end.
func (c *checker) beatsIn(start, end int64) []annotate.Beat { return beatsIn(c.beats, start, end) }

// beatsIn returns the beats of beats (sorted by Sample) with start <=
// Sample < end.
func beatsIn(beats []annotate.Beat, start, end int64) []annotate.Beat {
	f := func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) }
	lo, _ := slices.BinarySearchFunc(beats, start, f)
	hi, _ := slices.BinarySearchFunc(beats, end, f)
	if hi < lo {
		hi = lo
	}
	return beats[lo:hi]
}
