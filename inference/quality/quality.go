// Package quality finds the unreadable stretches of a record, per lead and
// for the record as a whole, and flags the beats inside them.
//
// The record is cut into windows of one second. In each window and lead,
// with x the samples in physical units (mV):
//
//	range = max(x) - min(x)                  (mV)
//	TV    = sum |x[n] - x[n-1]|              (mV, total variation)
//	sat   = share of samples at the ADC's lowest or highest value
//
// The window is "saturation" when sat >= SatShare; "lead off" when its raw
// samples span at most one ADC unit (a disconnected input reads a constant,
// at zero or at a rail); "flat" when range < FlatMV (quiet, but with the
// small noise of a live baseline: a pause or asystole between two QRS
// complexes, which KeepPauses clears, or a lead coming off); and "noise"
// when TV / range > NoiseTV and range >= NoiseRel x the lead's typical
// window range: an ECG goes up and down a few times per beat, so its total
// variation is a small multiple of its range, while muscle noise and
// electrode artefacts oscillate tens of times in the same span; a quiet
// baseline oscillates too, but by far less than a QRS complex, and hides
// nothing. A lone noise window whose TV / range is below NoiseStrong is
// cleared: a low, busy lead sits near NoiseTV now and then.
//
// A readable window is "artefact" (a baseline excursion: electrode motion,
// a knock on the cable) when its baseline, the median of its samples,
//
//	|median - local| > ExcursionMV                (mV)
//
// where local is the median of the window medians of the lead within
// ExcursionSpan windows either side: a slow drift moves local with it, an
// excursion of a few seconds does not. The windows either side of an
// excursion join it while their baseline is off by more than ExcursionEdgeMV
// (its rise and fall). QRS detection loses beats on such a swing, so an RR
// interval through it may hold missed beats: it is not a pause nor a heart
// rate, and it is listed for the reader to check (annotate/stats).
//
// Windows of one lead and reason merge into one stretch; where
// every lead is unreadable the stretch is also reported for the record
// (Lead -1), with reason "unreadable" when a lead is noise or artefact,
// else the leads' reason when they agree, else "flat" when a lead is
// quiet, else "lead off" (no lead has a signal).
package quality

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// The thresholds of the package comment.
const (
	FlatMV   = 0.02
	SatShare = 0.5
	NoiseTV  = 15.0
	NoiseRel = 0.7
	// NoiseStrong is the TV / range from which one window alone is noise.
	NoiseStrong = 16.0
)

// The stretch reasons.
const (
	ReasonLeadOff    = annotate.ReasonLeadOff
	ReasonSaturation = annotate.ReasonSaturation
	ReasonNoise      = "noise"
	ReasonFlat       = "flat"       // quiet but not dead: a pause, or a lead off
	ReasonUnreadable = "unreadable" // every lead, some with noise
	ReasonArtefact   = "artefact"   // a baseline excursion (see the package comment)
)

// Who names this package in noise provenance.
const Who = "quality@1"

// ErrFs is returned for a record without a positive sampling frequency.
var ErrFs = errors.New("quality: sampling frequency must be positive")

// Assess reads sig window by window and returns its unreadable stretches,
// per lead in lead order and then for the whole record, each list in time
// order. Memory is O(fs x leads) for the samples and O(windows x leads)
// for the windows' measures, which are judged once all are read (NoiseRel
// needs each lead's typical range).
func Assess(sig annotate.Signal) ([]annotate.Noise, error) {
	info := sig.Info()
	if !(info.Fs > 0) {
		return nil, fmt.Errorf("assess %s: %w", info.Name, ErrFs)
	}
	ws, err := measure(sig, max(int(math.Round(info.Fs)), 1))
	if err != nil {
		return nil, err
	}
	reasons := judgeAll(ws, info.Leads)
	per := make([][]annotate.Noise, len(info.Leads))
	var all []annotate.Noise
	for k, w := range ws {
		rs := make([]string, 0, len(info.Leads))
		for i, r := range reasons[k] {
			if r != "" {
				per[i] = extend(per[i], w.start, w.end, i, r)
				rs = append(rs, r)
			}
		}
		if len(rs) == len(info.Leads) && len(rs) > 0 {
			all = extend(all, w.start, w.end, -1, recordReason(rs))
		}
	}
	var out []annotate.Noise
	for _, p := range per {
		out = append(out, p...)
	}
	return append(out, all...), nil
}

// judgeAll returns the reason of each window and lead ("" when readable).
// A window of noise stays noise only when its TV / range reaches
// NoiseStrong or a neighbouring window of the lead is noise too: a lone
// second just above NoiseTV is the character of a low, busy lead.
func judgeAll(ws []window, leads []annotate.Lead) [][]string {
	typ := typical(ws, len(leads))
	out := make([][]string, len(ws))
	for k, w := range ws {
		out[k] = make([]string, len(leads))
		for i, l := range leads {
			out[k][i] = w.m[i].judge(l, typ[i])
		}
	}
	for k, w := range ws {
		for i := range leads {
			if out[k][i] == ReasonNoise && w.m[i].tv < NoiseStrong*w.m[i].rng && !noiseAt(out, k-1, i) && !noiseAt(out, k+1, i) {
				out[k][i] = ""
			}
		}
	}
	for i, l := range leads {
		markExcursions(ws, out, i, l)
	}
	return out
}

// noiseAt reports whether window k of lead i is noise, before the lone
// windows are cleared (a cleared window was lone, so its neighbours are
// not changed by it).
func noiseAt(rs [][]string, k, i int) bool {
	return k >= 0 && k < len(rs) && rs[k][i] == ReasonNoise
}

// recordReason is the reason of a window where every lead is unreadable,
// from the leads' reasons rs: ReasonUnreadable when some lead is noise or
// artefact,
// else theirs when they agree, else ReasonFlat when some lead is quiet but
// alive (a pause is possible), else ReasonLeadOff (every lead dead flat
// or saturated: no signal).
func recordReason(rs []string) string {
	switch {
	case slices.Contains(rs, ReasonNoise) || slices.Contains(rs, ReasonArtefact):
		return ReasonUnreadable
	case !slices.ContainsFunc(rs, func(r string) bool { return r != rs[0] }):
		return rs[0]
	case slices.Contains(rs, ReasonFlat):
		return ReasonFlat
	}
	return ReasonLeadOff
}

// window is the measures of one window of every lead.
type window struct {
	start, end int64
	m          []measures
}

// measures is what judge reads of one window of one lead.
type measures struct {
	rng, tv float64 // range and total variation, ADC units
	med     float64 // median sample, ADC units: the window's baseline
	sat     bool    // at least SatShare of the samples at the ADC limits
	dead    bool    // the raw samples span at most one ADC unit
	short   bool    // too few samples to judge
}

// measure reads sig in windows of win samples and returns their measures.
func measure(sig annotate.Signal, win int) ([]window, error) {
	info := sig.Info()
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, win)
	}
	var out []window
	for start := int64(0); ; start += int64(win) {
		n, err := sig.Read(buf, start)
		if errors.Is(err, annotate.ErrOutOfRange) || (err == nil && n == 0) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("assess %s at sample %d: %w", info.Name, start, err)
		}
		w := window{start: start, end: start + int64(n), m: make([]measures, len(info.Leads))}
		for i, l := range info.Leads {
			w.m[i] = measureLead(buf[i][:n], l)
		}
		out = append(out, w)
		if n < win {
			break
		}
	}
	return out, nil
}

func measureLead(x []int32, l annotate.Lead) measures {
	if len(x) < 5 {
		return measures{short: true}
	}
	rng, tv := variation(x)
	lo, hi := slices.Min(x), slices.Max(x)
	return measures{rng: rng, tv: tv, med: median(x), sat: l.ADCRes > 0 && saturated(x, l), dead: int64(hi)-int64(lo) <= 1}
}

// typical returns each lead's median window range: the size of its QRS
// complexes on a record that is mostly readable, of its noise on one that
// is mostly noise.
func typical(ws []window, leads int) []float64 {
	out := make([]float64, leads)
	r := make([]float64, 0, len(ws))
	for i := range out {
		r = r[:0]
		for _, w := range ws {
			if !w.m[i].short {
				r = append(r, w.m[i].rng)
			}
		}
		if len(r) > 0 {
			sort.Float64s(r)
			out[i] = r[len(r)/2]
		}
	}
	return out
}

// judge returns the reason a window of lead l, whose typical window range
// is typ (ADC units), is unreadable, or "". A window that oscillates like
// noise but spans less than NoiseRel of the typical range is a quiet
// baseline (a pause, asystole) with small noise on it, not noise that could
// hide a QRS complex.
func (m measures) judge(l annotate.Lead, typ float64) string {
	if m.short {
		return ""
	}
	if m.sat {
		return ReasonSaturation
	}
	if m.dead {
		return ReasonLeadOff
	}
	switch {
	case m.rng/gainOf(l) < FlatMV:
		return ReasonFlat
	case m.tv/m.rng > NoiseTV && m.rng >= NoiseRel*typ:
		return ReasonNoise
	}
	return ""
}

// variation returns the range and total variation of x after a 4-sample
// moving average, which keeps ADC quantisation steps out of the measure.
func variation(x []int32) (rng, tv float64) {
	if len(x) < 5 {
		return 0, 0
	}
	prev := float64(int64(x[0])+int64(x[1])+int64(x[2])+int64(x[3])) / 4
	lo, hi := prev, prev
	for i := 4; i < len(x); i++ {
		v := prev + float64(int64(x[i])-int64(x[i-4]))/4
		tv += math.Abs(v - prev)
		lo, hi = min(lo, v), max(hi, v)
		prev = v
	}
	return hi - lo, tv
}

// saturated reports whether at least SatShare of x sits at the ADC limits.
func saturated(x []int32, l annotate.Lead) bool {
	half := int64(1) << (l.ADCRes - 1)
	lo, hi := int64(l.ADCZero)-half, int64(l.ADCZero)+half-1
	n := 0
	for _, v := range x {
		if int64(v) <= lo || int64(v) >= hi {
			n++
		}
	}
	return float64(n) >= SatShare*float64(len(x))
}

// extend appends [s, e) to list, merging with the last stretch when it has
// the same reason and touches it.
func extend(list []annotate.Noise, s, e int64, lead int, reason string) []annotate.Noise {
	if k := len(list) - 1; k >= 0 && list[k].End == s && list[k].Reason == reason {
		list[k].End = e
		return list
	}
	return append(list, annotate.Noise{Start: s, End: e, Lead: lead, Reason: reason,
		Prov: annotate.Provenance{Source: annotate.SourceDetector, Who: Who}})
}

// Flag sets annotate.FlagNoisy on every beat inside a stretch of noise
// (any lead, or the whole record) and returns how many it flagged. Beats
// must be in time order; noise may be in any order.
func Flag(beats []annotate.Beat, noise []annotate.Noise) int {
	iv := make([][2]int64, len(noise))
	for i, z := range noise {
		iv[i] = [2]int64{z.Start, z.End}
	}
	sort.Slice(iv, func(i, j int) bool { return iv[i][0] < iv[j][0] })
	n, k := 0, 0
	end := int64(math.MinInt64)
	for i := range beats {
		t := beats[i].Sample
		for k < len(iv) && iv[k][0] <= t {
			end = max(end, iv[k][1])
			k++
		}
		if t < end {
			beats[i].Flags |= annotate.FlagNoisy
			n++
		}
	}
	return n
}

// PauseReach is how close to a flat stretch's edges a QRS complex must lie
// for KeepPauses to take the stretch for a pause: the window of one second
// that holds the QRS is not flat, so the QRS lies within a window of the
// edge, plus a margin.
const PauseReach = 1.5 // seconds

// KeepPauses returns noise without the quiet stretches (ReasonFlat, on one
// lead or every lead) that lie between two QRS complexes of beats (in time
// order), each within PauseReach of the stretch: a quiet baseline between
// two QRS complexes is a pause or asystole, the most urgent finding, not a
// lead off. noise is reused.
func KeepPauses(noise []annotate.Noise, beats []annotate.Beat, fs float64) []annotate.Noise {
	reach := int64(math.Round(PauseReach * fs))
	out := noise[:0]
	for _, z := range noise {
		if z.Reason == ReasonFlat && beatNear(beats, z.Start-reach, z.Start) && beatNear(beats, z.End, z.End+reach) {
			continue
		}
		out = append(out, z)
	}
	return out
}

// beatNear reports whether a beat of beats (in time order) lies in [a, b].
func beatNear(beats []annotate.Beat, a, b int64) bool {
	i := sort.Search(len(beats), func(i int) bool { return beats[i].Sample >= a })
	for ; i < len(beats) && beats[i].Sample <= b; i++ {
		if beats[i].Code.IsBeat() {
			return true
		}
	}
	return false
}
