package chart

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Data is what a plot of one record is drawn from: the reader's labels,
// and for Bland-Altman the beats of a model or the detector.
type Data struct {
	Reader   stats.Input
	Test     stats.Input // the other beats (Bland-Altman only)
	TestName string      // "model", "detector"
}

// Kinds lists the plot kinds Make knows, with what they show.
var Kinds = []struct{ Name, Title string }{
	{"hr", "heart rate per minute with the episodes"},
	{"rr", "RR tachogram"},
	{"poincare", "Poincaré plot"},
	{"af", "AF burden per hour"},
	{"ectopy", "V and S beats per hour"},
	{"bland-altman", "per-minute heart rate of the model vs the reader"},
}

// Make draws the plot kind of d.
func Make(kind string, d Data) (*plot.Plot, error) {
	switch kind {
	case "hr":
		return HRTrend(d.Reader)
	case "rr":
		return Tachogram(d.Reader)
	case "poincare":
		return Poincare(d.Reader)
	case "af":
		return AFBurden(d.Reader)
	case "ectopy":
		return Ectopy(d.Reader)
	case "bland-altman":
		name := d.TestName
		if name == "" {
			name = "model"
		}
		p, _, err := BlandAltman(d.Reader, d.Test, name)
		return p, err
	}
	return nil, fmt.Errorf("%w %q", ErrKind, kind)
}
