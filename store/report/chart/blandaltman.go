package chart

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Agreement is the Bland-Altman agreement of per-minute heart rate:
// over the N minutes where both have a value, the differences
// d = test - reference (bpm) have mean Bias and standard deviation SD,
// and the 95% limits of agreement are Bias ± 1.96 SD.
type Agreement struct {
	N            int
	Bias, SD     float64
	Lower, Upper float64
	Mean, Diff   []float64 // per minute: (test+ref)/2 and test-ref
}

// HRAgreement compares the per-minute heart rate of test (model or
// detector beats) with that of ref (the reader's beats) on one record.
func HRAgreement(ref, test stats.Input) Agreement {
	end := max(ref.Info.NSamples, test.Info.NSamples)
	a := stats.Trend(stats.Intervals(ref), ref.Info.Fs, end, time.Minute)
	b := stats.Trend(stats.Intervals(test), ref.Info.Fs, end, time.Minute)
	var g Agreement
	for i := range min(len(a), len(b)) {
		if finite(a[i].BPM) && finite(b[i].BPM) {
			g.Mean = append(g.Mean, (a[i].BPM+b[i].BPM)/2)
			g.Diff = append(g.Diff, b[i].BPM-a[i].BPM)
		}
	}
	g.N = len(g.Diff)
	g.Bias, g.SD = math.NaN(), math.NaN()
	if g.N > 0 {
		g.Bias = 0
		for _, d := range g.Diff {
			g.Bias += d
		}
		g.Bias /= float64(g.N)
	}
	if g.N > 1 {
		g.SD = math.Sqrt(variance(g.Diff))
	}
	g.Lower, g.Upper = g.Bias-1.96*g.SD, g.Bias+1.96*g.SD
	return g
}

// BlandAltman plots the per-minute heart rate of test against ref, with
// the bias and the limits of agreement; testName says whose beats test
// holds ("model", "detector").
func BlandAltman(ref, test stats.Input, testName string) (*plot.Plot, Agreement, error) {
	g := HRAgreement(ref, test)
	if g.N < 2 {
		return nil, g, fmt.Errorf("%w: %d minutes with a heart rate from both", ErrNoData, g.N)
	}
	p := NewPlot(fmt.Sprintf("Bland-Altman, HR per minute, %s vs reader\nbias %+.2f bpm (solid), 95%% limits %+.2f to %+.2f (dashed), %d min",
		testName, g.Bias, g.Lower, g.Upper, g.N),
		"mean of the two (bpm)", fmt.Sprintf("%s - reader (bpm)", testName))
	p.Title.TextStyle.Font.Size = vg.Points(9)
	xy := make(plotter.XYs, g.N)
	for i := range xy {
		xy[i] = plotter.XY{X: g.Mean[i], Y: g.Diff[i]}
	}
	s, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, g, fmt.Errorf("chart: bland-altman: %w", err)
	}
	s.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(1.6), Color: colTrace}
	p.Add(s)
	for _, h := range []struct {
		y    float64
		dash bool
	}{{g.Bias, false}, {g.Upper, true}, {g.Lower, true}} {
		y := h.y
		f := plotter.NewFunction(func(float64) float64 { return y })
		f.LineStyle.Color, f.LineStyle.Width = colV, vg.Points(1)
		if h.dash {
			f.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(f)
	}
	span := math.Max(math.Abs(g.Upper), math.Abs(g.Lower))
	for _, d := range g.Diff {
		span = math.Max(span, math.Abs(d))
	}
	p.Y.Min, p.Y.Max = -1.15*span-0.5, 1.15*span+0.5
	return p, g, nil
}
