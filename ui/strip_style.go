package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
)

// provKind is how a beat label is drawn, by who set it and whether a
// reader has looked at it.
type provKind uint8

const (
	provModel     provKind = iota // a model's (or detector's) unreviewed suggestion: italic, faded
	provReference                 // imported reference label, unreviewed: regular
	provReader                    // set or changed by a reader: bold
	provConfirmed                 // a reader looked and agreed: regular with a check mark
	provAdapted                   // the per-record adapter's unreviewed label: italic, not faded, with a diamond
)

// modelFade is how far an unreviewed suggestion's colour is faded towards
// the paper (0: not at all, 1: invisible).
const modelFade = 0.45

// provenanceOf sorts a beat into the five drawing styles.
func provenanceOf(b annotate.Beat) provKind {
	switch {
	case b.Review == annotate.Unreviewed && b.Prov.Source == annotate.SourceAdapted:
		return provAdapted
	case b.Review == annotate.Confirmed:
		return provConfirmed
	case b.Review == annotate.Changed || b.Prov.Source == annotate.SourceReader:
		return provReader
	case b.Prov.Source == annotate.SourceReference:
		return provReference
	}
	return provModel
}

// labelStyle is the text style of a beat label by provenance: a reader's
// label bold, a model's or the adapter's unreviewed label italic, the rest
// regular.
func labelStyle(b annotate.Beat) fyne.TextStyle {
	switch provenanceOf(b) {
	case provReader:
		return fyne.TextStyle{Bold: true}
	case provModel, provAdapted:
		return fyne.TextStyle{Italic: true}
	}
	return fyne.TextStyle{}
}

// labelColor is a label's class colour c, faded towards the paper for an
// unreviewed model suggestion (an adapted label keeps its full colour: the
// patient's own model, taught by the reader), but never below
// minLabelContrast against the grid it may sit on: italic says
// "suggestion", the colour must stay readable.
func labelColor(b annotate.Beat, c, paper, grid color.RGBA) color.RGBA {
	if provenanceOf(b) != provModel {
		return c
	}
	for f := modelFade; f > 0; f -= 0.01 {
		if m := mix(c, paper, f); contrast(m, grid) >= minLabelContrast {
			return m
		}
	}
	return c
}

// minLabelContrast is the WCAG contrast ratio a faded label keeps against
// the grid (3:1, the level for large text and graphics).
const minLabelContrast = 3.0

// contrast is the WCAG contrast ratio of a and b (1 to 21).
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// luminance is the WCAG relative luminance of c.
func luminance(c color.RGBA) float64 {
	lin := func(x uint8) float64 {
		v := float64(x) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// mix returns a + (b - a) * f, channel by channel, opaque.
func mix(a, b color.RGBA, f float64) color.RGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}
