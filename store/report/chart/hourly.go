package chart

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// hours returns the hourly bins of in and their axis labels ("0", "1"...,
// hours from the start; a last partial hour too).
func hours(in stats.Input) ([]stats.HourBin, []string) {
	bins := stats.Hourly(in, time.Hour)
	names := make([]string, len(bins))
	for i := range bins {
		names[i] = fmt.Sprint(i)
	}
	return bins, names
}

// AFBurden plots the percentage of each hour spent in AFIB.
func AFBurden(in stats.Input) (*plot.Plot, error) {
	bins, names := hours(in)
	if len(bins) == 0 {
		return nil, fmt.Errorf("%w: record %s has no length", ErrNoData, in.Info.Name)
	}
	v := make(plotter.Values, len(bins))
	for i, b := range bins {
		v[i] = 100 * b.AF
	}
	p := NewPlot("AF burden per hour", "hour from start", "time in AF (%)")
	bc, err := plotter.NewBarChart(v, barWidth(len(bins), 1))
	if err != nil {
		return nil, fmt.Errorf("chart: af burden: %w", err)
	}
	bc.Color, bc.LineStyle.Width = color.RGBA{0xff, 0x8c, 0x00, 0xff}, 0
	p.Add(bc)
	p.NominalX(names...)
	p.Y.Min, p.Y.Max = 0, 100
	return p, nil
}

// Ectopy plots the V and S beats of each hour as grouped bars.
func Ectopy(in stats.Input) (*plot.Plot, error) {
	bins, names := hours(in)
	if len(bins) == 0 {
		return nil, fmt.Errorf("%w: record %s has no length", ErrNoData, in.Info.Name)
	}
	vs, ss := make(plotter.Values, len(bins)), make(plotter.Values, len(bins))
	for i, b := range bins {
		vs[i], ss[i] = float64(b.V), float64(b.S)
	}
	p := NewPlot("Ectopic beats per hour", "hour from start", "beats")
	w := barWidth(len(bins), 2)
	for _, s := range []struct {
		v   plotter.Values
		c   color.Color
		off vg.Length
		n   string
	}{{vs, colV, -w / 2, "V"}, {ss, colS, w / 2, "S"}} {
		bc, err := plotter.NewBarChart(s.v, w)
		if err != nil {
			return nil, fmt.Errorf("chart: ectopy: %w", err)
		}
		bc.Color, bc.LineStyle.Width, bc.Offset = s.c, 0, s.off
		p.Add(bc)
		p.Legend.Add(fmt.Sprintf("%s (%d)", s.n, int(sum(s.v))), bc)
	}
	p.NominalX(names...)
	p.Y.Min = 0
	p.Y.Tick.Marker = intTicks{}
	p.Y.Max *= 1.2 // room for the legend
	return p, nil
}

// barWidth returns a bar width that fits n groups of k bars in a plot a
// few inches wide.
func barWidth(n, k int) vg.Length {
	w := 5 * vg.Inch / vg.Length(max(n, 1)*k) * 0.8
	return min(w, vg.Points(24))
}

func sum(v plotter.Values) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// intTicks labels a count axis with whole numbers.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = fmt.Sprintf("%.0f", ts[i].Value)
		}
	}
	return ts
}
