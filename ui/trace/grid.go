package trace

import (
	"fmt"
	"math"
)

// ECG paper: 1 mm is 40 ms at 25 mm/s and 0.1 mV at 10 mm/mV, with a
// major line every 5 mm.
const (
	PaperSpeed = 25.0 // mm/s
	PaperGain  = 10.0 // mm/mV
	MajorEvery = 5    // minor divisions per major division
)

// GridStep is a pair of time-grid intervals in seconds.
type GridStep struct {
	Minor, Major float64
}

// timeSteps are the time grids from paper (40 ms / 200 ms) to a day.
var timeSteps = []GridStep{
	{0.04, 0.2}, {0.2, 1}, {1, 5}, {5, 30}, {10, 60}, {60, 300},
	{300, 1800}, {600, 3600}, {3600, 6 * 3600}, {6 * 3600, 24 * 3600},
}

// TimeStep returns the finest time grid whose minor lines are at least
// minGap pixels apart at pxPerSec pixels per second: ECG paper at reading
// zoom, coarser (1 s, 5 s, 1 min, ...) as the view zooms out.
func TimeStep(pxPerSec, minGap float64) GridStep {
	for _, s := range timeSteps {
		if s.Minor*pxPerSec >= minGap {
			return s
		}
	}
	return timeSteps[len(timeSteps)-1]
}

// GridLine is one grid line at pixel position Pos.
type GridLine struct {
	Pos   float64
	Major bool
}

// TimeLines returns the vertical grid lines of view v at step s: a line at
// every multiple of s.Minor seconds, Major at multiples of s.Major.
func TimeLines(dst []GridLine, v View, fs float64, s GridStep) []GridLine {
	dst = dst[:0]
	minor := s.Minor * fs // samples
	ratio := int64(math.Round(s.Major / s.Minor))
	first := int64(math.Ceil(v.Start / minor))
	for k := first; ; k++ {
		x := v.X(float64(k) * minor)
		if x >= float64(v.Width) {
			return dst
		}
		dst = append(dst, GridLine{Pos: x, Major: k%ratio == 0})
	}
}

// AmpLines returns horizontal grid lines every pxPerMM pixels from row
// top to row bottom, with a major line every MajorEvery lines and at
// row anchor (so the major lines sit on each lead's centre line).
func AmpLines(dst []GridLine, top, bottom, anchor, pxPerMM float64) []GridLine {
	dst = dst[:0]
	if pxPerMM <= 0 {
		return dst
	}
	first := int64(math.Ceil((top - anchor) / pxPerMM))
	for k := first; ; k++ {
		y := anchor + float64(k)*pxPerMM
		if y >= bottom {
			return dst
		}
		dst = append(dst, GridLine{Pos: y, Major: k%MajorEvery == 0})
	}
}

// Tick is a time-ruler tick: where it goes and its h:mm:ss label (empty
// for an unlabelled tick).
type Tick struct {
	X     float64
	Label string
}

// rulerSteps are the labelled ruler intervals in seconds.
var rulerSteps = []float64{0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600}

// RulerTicks returns labelled ticks for view v, at the finest interval
// that leaves at least minGap pixels between labels.
func RulerTicks(v View, fs, minGap float64) []Tick {
	pxPerSec := fs / v.SPP
	step := rulerSteps[len(rulerSteps)-1]
	for _, s := range rulerSteps {
		if s*pxPerSec >= minGap {
			step = s
			break
		}
	}
	var ticks []Tick
	first := math.Ceil(v.Start / fs / step)
	for k := first; ; k++ {
		sec := k * step
		x := v.X(sec * fs)
		if x >= float64(v.Width) {
			return ticks
		}
		ticks = append(ticks, Tick{X: x, Label: Clock(sec, step < 1)})
	}
}

// Clock formats seconds from the start of the record as h:mm:ss, with
// tenths when tenths is set.
func Clock(sec float64, tenths bool) string {
	neg := ""
	if sec < 0 {
		neg, sec = "-", -sec
	}
	if tenths {
		ds := int64(math.Round(sec * 10))
		return fmt.Sprintf("%s%d:%02d:%02d.%d", neg, ds/36000, ds/600%60, ds/10%60, ds%10)
	}
	s := int64(math.Round(sec))
	return fmt.Sprintf("%s%d:%02d:%02d", neg, s/3600, s/60%60, s%60)
}
