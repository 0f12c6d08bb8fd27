package chart

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecgstation/ecgstation/annotate"
)

// spans is a plot.Plotter that shades the x ranges of episodes over the
// plot's whole height, one colour per rhythm.
type spans struct {
	eps   []annotate.Episode
	scale float64 // samples to x units
}

// Plot implements plot.Plotter.
func (s spans) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	for _, e := range s.eps {
		x0, x1 := tx(float64(e.Start)*s.scale), tx(float64(e.End)*s.scale)
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		if x1-x0 < 1 { // short episodes (pauses) stay visible
			x1 = x0 + 1
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x1, Y: c.Max.Y}}
		c.SetColor(rhythmColour(e.Rhythm))
		c.Fill(r.Path())
	}
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.c)
	c.Fill(c.Rectangle.Path())
}

// legendRhythms adds one legend entry per rhythm of eps, in first-seen order.
func legendRhythms(p *plot.Plot, eps []annotate.Episode) {
	var seen []string
	for _, e := range eps {
		if !slices.Contains(seen, e.Rhythm) {
			seen = append(seen, e.Rhythm)
			p.Legend.Add(RhythmName(e.Rhythm), swatch{rhythmColour(e.Rhythm)})
		}
	}
}

// rhythmNames are the words a report uses for rhythm labels.
var rhythmNames = map[string]string{
	"AFIB": "AF", "AFL": "flutter", "B": "bigeminy", "T": "trigeminy", "PAUSE": "pause",
	"SVTA": "SVT", "IVR": "idioventricular", "NOD": "nodal", "BII": "2nd-degree block",
	"SBR": "sinus bradycardia", "VFL": "ventricular flutter", "AB": "atrial bigeminy", "P": "paced",
	"PREX": "pre-excitation", "TACHY": "tachycardia", "BRADY": "bradycardia",
}

// RhythmName returns the report's name of a rhythm label ("AFIB": "AF",
// "B": "bigeminy"); labels it does not know come back as they are.
func RhythmName(r string) string {
	if n, ok := rhythmNames[r]; ok {
		return n
	}
	return r
}
