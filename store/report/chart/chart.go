// Package chart draws the plots of ECG Station's record reports with
// gonum.org/v1/plot: the heart-rate trend with the episodes marked, the RR
// tachogram, the Poincaré plot, AF burden and ectopy per hour, and the
// Bland-Altman plot of per-minute heart rate of a model (or the detector)
// against the reader. Each function returns a *plot.Plot; Render writes it
// as PNG, SVG or PDF bytes and Image draws it into an image.Image of a given
// size in pixels, for the UI.
//
//	p, err := chart.HRTrend(in)               // in: stats.Input of a label set
//	png, err := chart.Render(p, 900, 400, "png")
//
// Figures follow package annotate/stats: heart rate per minute is the mean
// over the valid RR intervals ending in the minute, hours are counted from
// the record's first sample.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Errors of the plots.
var (
	ErrFormat = errors.New("chart: unknown format (want png, svg or pdf)")
	ErrSize   = errors.New("chart: size must be 16 to 8192 pixels a side")
	ErrNoData = errors.New("chart: nothing to plot")
	ErrKind   = errors.New("chart: unknown plot kind")
)

// DPI is the resolution of PNG output: a w x h pixel image is a plot of
// w/DPI by h/DPI inches, so fonts keep their size in points.
const DPI = 96

// Render draws p at w x h pixels (SVG and PDF: the same size in points at
// DPI) in format "png", "svg" or "pdf".
func Render(p *plot.Plot, w, h int, format string) ([]byte, error) {
	if w < 16 || h < 16 || w > 8192 || h > 8192 {
		return nil, fmt.Errorf("%w: %d x %d", ErrSize, w, h)
	}
	lw, lh := px(w), px(h)
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(lw, lh), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(lw, lh)
	case "pdf":
		c = vgpdf.New(lw, lh)
	default:
		return nil, fmt.Errorf("%w: %q", ErrFormat, format)
	}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: render %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// Image draws p into a w x h pixel image.
func Image(p *plot.Plot, w, h int) (image.Image, error) {
	if w < 16 || h < 16 || w > 8192 || h > 8192 {
		return nil, fmt.Errorf("%w: %d x %d", ErrSize, w, h)
	}
	c := vgimg.NewWith(vgimg.UseWH(px(w), px(h)), vgimg.UseDPI(DPI))
	p.Draw(draw.New(c))
	return c.Image(), nil
}

func px(n int) vg.Length { return vg.Length(n) * vg.Inch / DPI }

// timeAxis returns the factor from samples to the x unit of a time axis
// and its label: minutes for records up to 2 hours, else hours.
func timeAxis(in stats.Input) (float64, string) {
	d := stats.Seconds(in.Info.NSamples, in.Info.Fs)
	if d <= 2*time.Hour {
		return 1 / (60 * in.Info.Fs), "time from start (min)"
	}
	return 1 / (3600 * in.Info.Fs), "time from start (h)"
}

// NewPlot returns a plot with a title and axis labels in the report style
// (the archive's plots use it too).
func NewPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text, p.Y.Label.Text = x, y
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(8)
	return p
}

// Colours of the plots.
var (
	colTrace = color.RGBA{0x1f, 0x4e, 0x99, 0xff}
	colV     = color.RGBA{0xd6, 0x27, 0x28, 0xff}
	colS     = color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	colGrey  = color.RGBA{0x70, 0x70, 0x70, 0xff}
)

// rhythmColour gives each rhythm its (translucent) colour.
func rhythmColour(r string) color.Color {
	switch r {
	case "AFIB":
		return color.NRGBA{0xff, 0x8c, 0x00, 0x50}
	case "AFL":
		return color.NRGBA{0xe6, 0xc2, 0x00, 0x50}
	case "VT", "VFL", "VF":
		return color.NRGBA{0xd6, 0x27, 0x28, 0x60}
	case "B", "T":
		return color.NRGBA{0x94, 0x67, 0xbd, 0x50}
	case "PAUSE":
		return color.NRGBA{0x17, 0x6f, 0xd0, 0x70}
	case "SVTA":
		return color.NRGBA{0x2c, 0xa0, 0x2c, 0x50}
	}
	return color.NRGBA{0x80, 0x80, 0x80, 0x40}
}

// finite reports whether v is a number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// PNG draws p at a physical size (w x h) and resolution (dots per inch),
// for documents that place it at that size: fonts keep their size in points.
func PNG(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	if w <= 0 || h <= 0 || dpi < 24 || dpi > 1200 || w.Dots(float64(dpi)) > 8192 || h.Dots(float64(dpi)) > 8192 {
		return nil, fmt.Errorf("%w: %v x %v at %d dpi", ErrSize, w, h, dpi)
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: render png: %w", err)
	}
	return buf.Bytes(), nil
}
