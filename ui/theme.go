package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// The strip's colour names. A theme may define them; the built-in palette
// below answers for themes that do not (Theme returns them for both
// variants, so dark mode works).
const (
	ColorNameECGPaper     fyne.ThemeColorName = "ecgPaper"
	ColorNameECGGrid      fyne.ThemeColorName = "ecgGrid"
	ColorNameECGGridMajor fyne.ThemeColorName = "ecgGridMajor"
	ColorNameECGTrace     fyne.ThemeColorName = "ecgTrace"
	ColorNameECGText      fyne.ThemeColorName = "ecgText"
	ColorNameECGWindow    fyne.ThemeColorName = "ecgWindow"
	ColorNameECGSelection fyne.ThemeColorName = "ecgSelection"
	ColorNameECGCursor    fyne.ThemeColorName = "ecgCursor"
	ColorNameECGNoise     fyne.ThemeColorName = "ecgNoise"
	ColorNameECGCaliper   fyne.ThemeColorName = "ecgCaliper" // the caliper's legs, bar, readout and march-out
	ColorNameReviewed     fyne.ThemeColorName = "ecgReviewed"
	ColorNameAdapted      fyne.ThemeColorName = "ecgAdapted" // the per-record adapter's labels: their diamond marker
	ColorNameRhythmAF     fyne.ThemeColorName = "rhythmAF"
	ColorNameRhythmVT     fyne.ThemeColorName = "rhythmVT"
	ColorNameRhythmSV     fyne.ThemeColorName = "rhythmSV"
	ColorNameRhythmPause  fyne.ThemeColorName = "rhythmPause"
	ColorNameRhythmOther  fyne.ThemeColorName = "rhythmOther"
	ColorNameBeatN        fyne.ThemeColorName = "beatN"
	ColorNameBeatS        fyne.ThemeColorName = "beatS"
	ColorNameBeatV        fyne.ThemeColorName = "beatV"
	ColorNameBeatF        fyne.ThemeColorName = "beatF"
	ColorNameBeatQ        fyne.ThemeColorName = "beatQ"
	ColorNameBeatOther    fyne.ThemeColorName = "beatOther"
)

// palette holds the light and dark values of the strip's colours: pink ECG
// paper with a near-black trace in light mode, a dark-green monitor look
// in dark mode.
var palette = map[fyne.ThemeColorName][2]color.NRGBA{
	ColorNameECGPaper:     {{255, 250, 248, 255}, {16, 20, 22, 255}},
	ColorNameECGGrid:      {{246, 210, 210, 255}, {30, 44, 40, 255}},
	ColorNameECGGridMajor: {{232, 152, 152, 255}, {48, 80, 70, 255}},
	ColorNameECGTrace:     {{20, 20, 32, 255}, {120, 240, 160, 255}},
	ColorNameECGText:      {{90, 60, 60, 255}, {170, 200, 190, 255}},
	ColorNameECGWindow:    {{40, 110, 220, 70}, {90, 170, 255, 80}},
	ColorNameECGSelection: {{40, 110, 220, 28}, {90, 170, 255, 44}},
	ColorNameECGCursor:    {{20, 90, 210, 255}, {120, 190, 255, 255}},
	ColorNameECGNoise:     {{120, 120, 120, 60}, {170, 170, 170, 90}},
	ColorNameECGCaliper:   {{0, 125, 85, 255}, {250, 130, 230, 255}},
	ColorNameReviewed:     {{40, 150, 70, 255}, {90, 210, 120, 255}},
	ColorNameAdapted:      {{215, 120, 0, 255}, {255, 170, 60, 255}},
	ColorNameRhythmAF:     {{150, 60, 190, 255}, {200, 140, 250, 255}},
	ColorNameRhythmVT:     {{200, 30, 40, 255}, {255, 100, 100, 255}},
	ColorNameRhythmSV:     {{30, 110, 210, 255}, {100, 170, 255, 255}},
	ColorNameRhythmPause:  {{210, 130, 0, 255}, {250, 190, 60, 255}},
	ColorNameRhythmOther:  {{0, 130, 130, 255}, {80, 210, 210, 255}},
	ColorNameBeatN:        {{60, 60, 70, 255}, {200, 210, 205, 255}},
	ColorNameBeatS:        {{25, 110, 220, 255}, {90, 170, 255, 255}},
	ColorNameBeatV:        {{210, 30, 40, 255}, {255, 90, 90, 255}},
	ColorNameBeatF:        {{140, 40, 170, 255}, {210, 130, 240, 255}},
	ColorNameBeatQ:        {{160, 100, 0, 255}, {250, 200, 60, 255}},
	ColorNameBeatOther:    {{0, 130, 130, 255}, {80, 210, 210, 255}},
}

// Theme is the default Fyne theme plus the strip's colours.
type Theme struct{ fyne.Theme }

var _ fyne.Theme = (*Theme)(nil)

// NewTheme returns ECG Station's theme, following the user's light or dark
// preference.
func NewTheme() *Theme { return &Theme{Theme: theme.DefaultTheme()} }

// Color returns the strip's colours by name and defers to the default theme
// for the rest.
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := paletteColor(n, v); ok {
		return c
	}
	return t.Theme.Color(n, v)
}

func paletteColor(n fyne.ThemeColorName, v fyne.ThemeVariant) (color.NRGBA, bool) {
	p, ok := palette[n]
	if !ok {
		return color.NRGBA{}, false
	}
	if v == theme.VariantDark {
		return p[1], true
	}
	return p[0], true
}

// stripColor returns colour n from th, or from the built-in palette when
// th does not define it (the default theme answers unknown names with
// transparent).
func stripColor(th fyne.Theme, n fyne.ThemeColorName, v fyne.ThemeVariant) color.RGBA {
	if c := th.Color(n, v); c != nil {
		if _, _, _, a := c.RGBA(); a != 0 {
			return toRGBA(c)
		}
	}
	c, _ := paletteColor(n, v)
	return toRGBA(c)
}

func toRGBA(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// beatColorName returns the colour name of a beat's class.
func beatColorName(c annotate.Code) fyne.ThemeColorName {
	switch c.Class() {
	case annotate.ClassN:
		return ColorNameBeatN
	case annotate.ClassS:
		return ColorNameBeatS
	case annotate.ClassV:
		return ColorNameBeatV
	case annotate.ClassF:
		return ColorNameBeatF
	case annotate.ClassQ:
		return ColorNameBeatQ
	}
	return ColorNameBeatOther
}

// classRank orders classes by how much a reader needs to see them when
// several beats share one pixel column (V first).
func classRank(c annotate.Code) int {
	return [...]int{annotate.ClassNone: 1, annotate.ClassN: 0, annotate.ClassQ: 2,
		annotate.ClassF: 3, annotate.ClassS: 4, annotate.ClassV: 5}[c.Class()]
}

// rhythmColorName returns the colour name of a rhythm label: atrial
// fibrillation and flutter, ventricular rhythms, supraventricular ones,
// pauses, and the rest.
func rhythmColorName(rhythm string) fyne.ThemeColorName {
	switch rhythm {
	case "AFIB", "AFL", "AF":
		return ColorNameRhythmAF
	case "VT", "VFL", "VF", "IVR", "B", "T", "VTRUN":
		return ColorNameRhythmVT
	case "SVTA", "SVT", "AB", "NOD", "PREX", "SBR", "BII", "ST":
		return ColorNameRhythmSV
	case "PAUSE":
		return ColorNameRhythmPause
	}
	return ColorNameRhythmOther
}
