package stats

import (
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// HourBin holds the hourly figures of [Start, End) samples.
type HourBin struct {
	Start, End int64
	AF         float64 // fraction of the bin inside AFIB episodes, 0..1
	V, S       int     // V and S beats
	Beats      int     // QRS beats
}

// Hourly returns the figures of every period (an hour for the report's
// plots) from sample 0 to the record's end.
func Hourly(in Input, period time.Duration) []HourBin {
	fs := in.Info.Fs
	step := int64(period.Seconds() * fs)
	end := in.end()
	if step <= 0 || end <= 0 || !(fs > 0) {
		return nil
	}
	bins := make([]HourBin, (end+step-1)/step)
	for i := range bins {
		bins[i] = HourBin{Start: int64(i) * step, End: min(end, int64(i+1)*step)}
	}
	for _, b := range in.Beats {
		i := b.Sample / step
		if !b.Code.IsBeat() || b.Sample < 0 || i >= int64(len(bins)) {
			continue
		}
		bins[i].Beats++
		switch b.Code.Class() {
		case annotate.ClassV:
			bins[i].V++
		case annotate.ClassS:
			bins[i].S++
		}
	}
	var af []annotate.Span
	for _, e := range in.Episodes {
		if e.Rhythm == AFRhythm {
			af = append(af, annotate.Span{Start: e.Start, End: e.End})
		}
	}
	for _, x := range annotate.Union(af) {
		for i := max(0, x.Start/step); i < int64(len(bins)) && bins[i].Start < x.End; i++ {
			lo, hi := max(x.Start, bins[i].Start), min(x.End, bins[i].End)
			if hi > lo {
				bins[i].AF += float64(hi-lo) / float64(bins[i].End-bins[i].Start)
			}
		}
	}
	return bins
}
