package review

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Outcome is one beat of a reviewed record: what the model said and what
// the beat truly is.
type Outcome struct {
	Pred  annotate.Class // the model's class
	Conf  float32        // the model's probability of Pred
	Truth annotate.Class // the reviewed class (ClassNone: not a beat at all)
}

// Curve is the auto-accept curve of one predicted class: the held-out
// beats the model gave that class, by confidence, highest first.
type Curve struct {
	Conf  []float32 // confidences, decreasing
	Wrong []int     // Wrong[i]: beats among the first i+1 whose truth differs
}

// Calibration holds one Curve per predicted class.
type Calibration struct {
	Curves [annotate.ClassQ + 1]Curve
}

// Calibrate builds the curves from held-out reviewed beats.
func Calibrate(outcomes []Outcome) Calibration {
	var c Calibration
	for _, k := range annotate.Classes {
		var os []Outcome
		for _, o := range outcomes {
			if o.Pred == k {
				os = append(os, o)
			}
		}
		slices.SortStableFunc(os, func(a, b Outcome) int { return cmp.Compare(b.Conf, a.Conf) })
		cu := Curve{Conf: make([]float32, len(os)), Wrong: make([]int, len(os))}
		wrong := 0
		for i, o := range os {
			if o.Truth != o.Pred {
				wrong++
			}
			cu.Conf[i], cu.Wrong[i] = o.Conf, wrong
		}
		c.Curves[k] = cu
	}
	return c
}

// At returns how many held-out beats of predicted class k have confidence
// >= t, and how many of those are wrong.
func (c *Calibration) At(k annotate.Class, t float32) (accepted, wrong int) {
	cu := c.Curves[k]
	n, _ := slices.BinarySearchFunc(cu.Conf, t, func(x, t float32) int {
		if x >= t {
			return -1
		}
		return 1
	})
	if n == 0 {
		return 0, 0
	}
	return n, cu.Wrong[n-1]
}

// ErrorRate returns the fraction of wrong beats among the held-out beats
// of class k with confidence >= t, and false when there are none.
func (c *Calibration) ErrorRate(k annotate.Class, t float32) (float64, bool) {
	n, w := c.At(k, t)
	if n == 0 {
		return 0, false
	}
	return float64(w) / float64(n), true
}

// Threshold returns the lowest confidence threshold for class k at which
// the accepted held-out beats are wrong at most maxErr of the time (a
// fraction), counting only thresholds with at least minBeats accepted beats.
// It returns 2 (nothing is ever accepted) when no threshold qualifies.
func (c *Calibration) Threshold(k annotate.Class, maxErr float64, minBeats int) float32 {
	cu := c.Curves[k]
	best := float32(2)
	for i := range cu.Conf {
		if i+1 < len(cu.Conf) && cu.Conf[i+1] == cu.Conf[i] {
			continue // a threshold takes all beats of equal confidence
		}
		if i+1 >= minBeats && float64(cu.Wrong[i]) <= maxErr*float64(i+1) {
			best = cu.Conf[i]
		}
	}
	return best
}

// Thresholds are per-class auto-accept confidences; a class at 0 accepts
// every beat of that class and a class above 1 none.
type Thresholds [annotate.ClassQ + 1]float32

// Accepts reports whether a beat the model calls k with probability p is
// auto-accepted.
func (t *Thresholds) Accepts(k annotate.Class, p float32) bool {
	return k != annotate.ClassNone && p >= t[k]
}

// Thresholds returns, per class, Threshold(k, maxErr, minBeats).
func (c *Calibration) Thresholds(maxErr float64, minBeats int) Thresholds {
	var t Thresholds
	t[annotate.ClassNone] = 2
	for _, k := range annotate.Classes {
		t[k] = c.Threshold(k, maxErr, minBeats)
	}
	return t
}

// Estimate is what auto-accept does to one class of a record.
type Estimate struct {
	Class     annotate.Class
	Threshold float32
	Beats     int     // beats the model gave this class
	Accepted  int     // of which auto-accepted (confidence >= Threshold)
	ErrRate   float64 // held-out error rate at Threshold (0 when nothing was accepted there)
	Errors    float64 // expected wrong labels left among the accepted: Accepted × ErrRate
}

// String formats the estimate as one line of a report.
func (e Estimate) String() string {
	return fmt.Sprintf("%s: threshold %.3f, %d of %d beats auto-accepted, held-out error %.2f%%, about %.1f errors left",
		e.Class, e.Threshold, e.Accepted, e.Beats, 100*e.ErrRate, e.Errors)
}

// Estimate applies th to the model beats of a record (Prov.Confidence is
// the probability of the beat's class) and returns one Estimate per class.
func (c *Calibration) Estimate(model []annotate.Beat, th Thresholds) []Estimate {
	var out []Estimate
	for _, k := range annotate.Classes {
		e := Estimate{Class: k, Threshold: th[k]}
		for _, b := range model {
			if b.Code.Class() != k {
				continue
			}
			e.Beats++
			if th.Accepts(k, b.Prov.Confidence) {
				e.Accepted++
			}
		}
		e.ErrRate, _ = c.ErrorRate(k, th[k])
		e.Errors = float64(e.Accepted) * e.ErrRate
		out = append(out, e)
	}
	return out
}
