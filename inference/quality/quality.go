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
// The window is "lead off" when range < FlatMV (a flat or disconnected
// lead), "saturation" when sat >= SatShare, and "noise" when
// TV / range > NoiseTV: an ECG goes up and down a few times per beat, so its
// total variation is a small multiple of its range, while muscle noise and
// electrode artefacts oscillate tens of times in the same span. Windows of
// one lead and reason merge into one stretch; where every lead is
// unreadable the stretch is also reported for the record (Lead -1).
package quality

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// The thresholds of the package comment.
const (
	FlatMV   = 0.02
	SatShare = 0.5
	NoiseTV  = 15.0
)

// The stretch reasons.
const (
	ReasonLeadOff    = "lead off"
	ReasonSaturation = "saturation"
	ReasonNoise      = "noise"
)

// Who names this package in noise provenance.
const Who = "quality@1"

// ErrFs is returned for a record without a positive sampling frequency.
var ErrFs = errors.New("quality: sampling frequency must be positive")

// Assess reads sig window by window and returns its unreadable stretches,
// per lead in lead order and then for the whole record, each list in time
// order. Memory is O(fs x leads).
func Assess(sig annotate.Signal) ([]annotate.Noise, error) {
	info := sig.Info()
	if !(info.Fs > 0) {
		return nil, fmt.Errorf("assess %s: %w", info.Name, ErrFs)
	}
	win := max(int(math.Round(info.Fs)), 1)
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, win)
	}
	per := make([][]annotate.Noise, len(info.Leads))
	var all []annotate.Noise
	for start := int64(0); ; start += int64(win) {
		n, err := sig.Read(buf, start)
		if errors.Is(err, annotate.ErrOutOfRange) || (err == nil && n == 0) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("assess %s at sample %d: %w", info.Name, start, err)
		}
		bad := 0
		for i, l := range info.Leads {
			if r := judge(buf[i][:n], l); r != "" {
				per[i] = extend(per[i], start, start+int64(n), i, r)
				bad++
			}
		}
		if bad == len(info.Leads) && bad > 0 {
			all = extend(all, start, start+int64(n), -1, "unreadable")
		}
		if n < win {
			break
		}
	}
	var out []annotate.Noise
	for _, p := range per {
		out = append(out, p...)
	}
	return append(out, all...), nil
}

// judge returns the reason a window of one lead is unreadable, or "".
func judge(x []int32, l annotate.Lead) string {
	if len(x) < 2 {
		return ""
	}
	if l.ADCRes > 0 && saturated(x, l) {
		return ReasonSaturation
	}
	gain := math.Abs(l.Gain)
	if gain == 0 {
		gain = 200
	}
	rng, tv := variation(x)
	switch {
	case rng/gain < FlatMV:
		return ReasonLeadOff
	case tv/rng > NoiseTV:
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
