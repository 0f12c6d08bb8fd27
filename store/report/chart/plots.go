package chart

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// HRTrend plots the heart rate per minute over the record, with the
// episodes (other than normal sinus rhythm) shaded by rhythm.
func HRTrend(in stats.Input) (*plot.Plot, error) {
	scale, xl := timeAxis(in)
	bins := stats.Trend(stats.Intervals(in), in.Info.Fs, in.Info.NSamples, time.Minute)
	p := NewPlot("Heart rate per minute", xl, "heart rate (bpm)")
	var eps []annotate.Episode
	for _, e := range in.Episodes {
		if e.Rhythm != stats.NormalRhythm {
			eps = append(eps, e)
		}
	}
	p.Add(spans{eps: eps, scale: scale})
	legendRhythms(p, eps)
	n := 0
	for _, seg := range segments(bins, scale) {
		l, err := plotter.NewLine(seg)
		if err != nil {
			return nil, fmt.Errorf("chart: hr trend: %w", err)
		}
		l.LineStyle.Color, l.LineStyle.Width = colTrace, vg.Points(1.2)
		p.Add(l)
		n += len(seg)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: no minute with a heart rate in %s", ErrNoData, in.Info.Name)
	}
	p.X.Min, p.X.Max = 0, float64(in.Info.NSamples)*scale
	p.Y.Max += 0.25 * (p.Y.Max - p.Y.Min) // room for the legend
	p.Y.Tick.Marker = intTicks{}
	return p, nil
}

// segments splits the per-minute heart rate at minutes without a value;
// each point sits at the middle of its minute.
func segments(bins []stats.HRBin, scale float64) []plotter.XYs {
	var out []plotter.XYs
	var cur plotter.XYs
	for _, b := range bins {
		if !finite(b.BPM) {
			if len(cur) > 0 {
				out, cur = append(out, cur), nil
			}
			continue
		}
		cur = append(cur, plotter.XY{X: float64(b.Start+b.End) / 2 * scale, Y: b.BPM})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// Tachogram plots every valid RR interval (ms) against time, intervals
// ending in a V or S beat in their own colours.
func Tachogram(in stats.Input) (*plot.Plot, error) {
	scale, xl := timeAxis(in)
	var pts [3]plotter.XYs // N and others, S, V
	for _, r := range stats.Intervals(in) {
		if r.Valid {
			k := group(r.Class)
			pts[k] = append(pts[k], plotter.XY{X: float64(r.Sample) * scale, Y: r.Sec * 1000})
		}
	}
	p := NewPlot("RR tachogram", xl, "RR interval (ms)")
	if err := addDots(p, pts, [3]string{"N and other", "ending in S", "ending in V"}); err != nil {
		return nil, fmt.Errorf("chart: tachogram of %s: %w", in.Info.Name, err)
	}
	p.X.Min, p.X.Max = 0, float64(in.Info.NSamples)*scale
	return p, nil
}

// group returns the series of a beat class: 0 N and others, 1 S, 2 V.
func group(k annotate.Class) int {
	switch k {
	case annotate.ClassS:
		return 1
	case annotate.ClassV:
		return 2
	}
	return 0
}

// addDots adds the three series as small dots with a legend.
func addDots(p *plot.Plot, pts [3]plotter.XYs, names [3]string) error {
	cols := [3]color.Color{colTrace, colS, colV}
	n := 0
	for k, xy := range pts {
		if len(xy) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Shape: draw.BoxGlyph{}, Radius: vg.Points(0.9)}
		s.GlyphStyle.Color = cols[k]
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("%s (%d)", names[k], len(xy)), s)
		n += len(xy)
	}
	if n == 0 {
		return ErrNoData
	}
	return nil
}

// Poincare plots each valid RR interval against the next (ms), with SD1
// and SD2 (ms) of the N-N pairs in the title:
//
//	SD1 = sqrt(var(RR[n+1] - RR[n]) / 2),  SD2 = sqrt(2 var(RR) - SD1²)
func Poincare(in stats.Input) (*plot.Plot, error) {
	rrs := stats.Intervals(in)
	var pts [3]plotter.XYs
	var nn [][2]float64
	for i := 1; i < len(rrs); i++ {
		a, b := rrs[i-1], rrs[i]
		if !a.Valid || !b.Valid {
			continue
		}
		k := max(group(a.Class), group(b.Class), group(a.PrevClass))
		pts[k] = append(pts[k], plotter.XY{X: a.Sec * 1000, Y: b.Sec * 1000})
		if k == 0 {
			nn = append(nn, [2]float64{a.Sec * 1000, b.Sec * 1000})
		}
	}
	sd1, sd2 := sd12(nn)
	p := NewPlot(fmt.Sprintf("Poincaré plot (N-N pairs: SD1 %.0f ms, SD2 %.0f ms)", sd1, sd2), "RR(n) (ms)", "RR(n+1) (ms)")
	if err := addDots(p, pts, [3]string{"N-N", "with S", "with V"}); err != nil {
		return nil, fmt.Errorf("chart: poincaré of %s: %w", in.Info.Name, err)
	}
	identity := plotter.NewFunction(func(x float64) float64 { return x })
	identity.LineStyle.Color, identity.LineStyle.Dashes = colGrey, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(identity)
	return p, nil
}

// sd12 returns the Poincaré descriptors of pairs (RR[n], RR[n+1]).
func sd12(pairs [][2]float64) (float64, float64) {
	if len(pairs) < 2 {
		return math.NaN(), math.NaN()
	}
	var d, all []float64
	for _, p := range pairs {
		d = append(d, p[1]-p[0])
		all = append(all, p[0], p[1])
	}
	v1 := variance(d) / 2
	v2 := 2*variance(all) - v1
	return math.Sqrt(v1), math.Sqrt(math.Max(v2, 0))
}

func variance(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}
