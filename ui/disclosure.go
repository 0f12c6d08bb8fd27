package ui

import (
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Full disclosure geometry, in units.
const (
	lineHeight    = 44   // height of one line when the page fits lines to the window
	lineGutter    = 58   // left column with each line's start time
	discMaxLabel  = 3000 // beat labels drawn as text at most per page
	discLabelGap  = 9    // least distance between two labels written on a line; a closer one is left to its mark
	discLabelBand = 12   // band above the trace for the beat labels, on lines of labelLineMin or more
	labelLineMin  = 30   // lines lower than this have no label band: beats are marks only
)

// Full disclosure densities: the seconds a line can show and the lines a
// page can hold (FitLines: as many lineHeight lines as fit the window).
const (
	FitLines           = 0
	DefaultLineSeconds = 60.0
	DefaultPageLines   = FitLines
)

var (
	// LineSecondsChoices are the seconds per line the reader picks from.
	LineSecondsChoices = []float64{30, 60, 120}
	// PageLinesChoices are the lines per page the reader picks from.
	PageLinesChoices = []int{FitLines, 15, 30, 60}
)

var (
	_ fyne.Focusable    = (*Disclosure)(nil)
	_ fyne.Tappable     = (*Disclosure)(nil)
	_ fyne.Shortcutable = (*Disclosure)(nil)
	_ desktop.Mouseable = (*Disclosure)(nil)
)

// Disclosure is the full-disclosure page: the first lead of the record,
// 30, 60 or 120 s a line (a minute by default) and 15, 30, 60 lines a page
// or as many as fit, with every beat marked in its class colour and the
// non-N labels written, so a reader scans an hour in a few pages. Page Up and Page Down turn the pages; a click opens the strip
// there, a Ctrl+click picks the beat there (OnPick).
type Disclosure struct {
	widget.BaseWidget

	// Keys, when set, sees every key first (as for the strip).
	Keys KeyHandler
	// OnOpen is called with the sample clicked.
	OnOpen func(sample int64)
	// Highlight, when set, returns the selection to mark on the page.
	Highlight func() (a, b int64, ok bool, cursor int64)
	// OnPick is called with the sample Ctrl+clicked (instead of OnOpen).
	OnPick func(sample int64)
	// OnPickTo is called with the sample Shift+clicked: pick the beats
	// from the last picked one to there.
	OnPickTo func(sample int64)
	// Picked, when set, returns the picked beats to mark on the page.
	Picked func() []int64

	src     *trace.Source
	filters Filters // the display filters (strip_filters.go)
	info    annotate.RecordInfo
	beats   BeatSource
	noise   func() []annotate.NoiseEntry
	start   int64 // first sample of the page (a multiple of a line)
	gain    float64
	secs    float64 // seconds a line
	lines   int     // lines a page; FitLines: as many as fit
	focused bool
	ctrl    bool // Ctrl was held at the last mouse press
	shift   bool // Shift was held at the last mouse press
	lead    int  // the lead drawn (SetLead)
}

// NewDisclosure returns an empty full-disclosure page.
func NewDisclosure() *Disclosure {
	d := &Disclosure{gain: trace.PaperGain, secs: DefaultLineSeconds, lines: DefaultPageLines}
	d.ExtendBaseWidget(d)
	return d
}

// SetRecord shows sig from its start with beats (nil: none).
func (d *Disclosure) SetRecord(sig annotate.Signal, pyr *trace.Pyramid, beats BeatSource) {
	d.src, d.info, d.beats, d.start = trace.NewSource(sig, pyr), sig.Info(), beats, 0
	d.lead = firstShown(d.info.Leads)
	d.Refresh()
}

// SetNoise sets where the noise stretches to shade come from.
func (d *Disclosure) SetNoise(noise func() []annotate.NoiseEntry) { d.noise = noise }

// SetGain sets the gain in mm/mV (relative: 10 fits about 3 mV a line).
func (d *Disclosure) SetGain(g float64) {
	if g > 0 {
		d.gain = g
		d.Refresh()
	}
}

// SetDensity sets the seconds a line and the lines a page (FitLines: as
// many as fit the window), keeping the line that holds the page's first
// sample on top. Values outside LineSecondsChoices and PageLinesChoices are
// ignored.
func (d *Disclosure) SetDensity(secs float64, lines int) {
	if !slices.Contains(LineSecondsChoices, secs) || !slices.Contains(PageLinesChoices, lines) {
		return
	}
	top := d.start
	d.secs, d.lines = secs, lines
	d.ShowSample(top)
}

// Density returns the seconds a line and the lines a page (FitLines: as
// many as fit).
func (d *Disclosure) Density() (secs float64, lines int) { return d.secs, d.lines }

// lineSamples returns the samples per line.
func (d *Disclosure) lineSamples() int64 { return int64(math.Round(d.secs * d.info.Fs)) }

// Lines returns the number of lines on a page.
func (d *Disclosure) Lines() int {
	if d.lines > 0 {
		return d.lines
	}
	return max(1, int(d.Size().Height/lineHeight))
}

// lineH returns the height of one line, units: lineHeight when the page
// fits lines to the window, else the height shared by the page's lines.
func (d *Disclosure) lineH() float32 {
	if d.lines > 0 {
		return max(1, d.Size().Height/float32(d.lines))
	}
	return lineHeight
}

// Pages returns the page shown (from 1: the page of the grid most of its
// lines belong to) and the number of pages the record fills at this
// density.
func (d *Disclosure) Pages() (page, pages int) {
	ls := d.lineSamples()
	if ls <= 0 || d.info.NSamples <= 0 {
		return 0, 0
	}
	perPage := int64(d.Lines())
	lines := (d.info.NSamples + ls - 1) / ls
	pages = int((lines + perPage - 1) / perPage)
	// A page may start on any line (a jump shows the line of the sample
	// first): its number is the page most of its lines belong to.
	return min(pages, int((d.start/ls+perPage/2)/perPage)+1), pages
}

// Page returns the samples [start, end) the page shows.
func (d *Disclosure) Page() (int64, int64) {
	return d.start, min(d.start+int64(d.Lines())*d.lineSamples(), d.info.NSamples)
}

// ShowSample turns to the page whose first line holds sample.
func (d *Disclosure) ShowSample(sample int64) {
	if n := d.lineSamples(); n > 0 {
		d.start = max(0, sample/n*n)
	}
	d.clamp()
	d.Refresh()
}

// PageBy turns dir pages on (negative: back).
func (d *Disclosure) PageBy(dir int) {
	d.start += int64(dir) * int64(d.Lines()) * d.lineSamples()
	d.clamp()
	d.Refresh()
}

// clamp keeps the page on the record.
func (d *Disclosure) clamp() {
	n := d.lineSamples()
	if n <= 0 {
		d.start = 0
		return
	}
	lastLine := max(0, (d.info.NSamples-1)/n)
	d.start = max(0, min(d.start, lastLine*n))
}

// FocusGained implements fyne.Focusable.
func (d *Disclosure) FocusGained() { d.focused = true }

// FocusLost implements fyne.Focusable.
func (d *Disclosure) FocusLost() { d.focused = false }

// TypedKey offers the key to Keys, else turns pages and lines.
func (d *Disclosure) TypedKey(e *fyne.KeyEvent) {
	if d.src == nil || (d.Keys != nil && d.Keys.Key(e.Name, false)) {
		return
	}
	switch e.Name {
	case fyne.KeyPageDown:
		d.PageBy(1)
	case fyne.KeyPageUp:
		d.PageBy(-1)
	case fyne.KeyDown:
		d.start += d.lineSamples()
	case fyne.KeyUp:
		d.start -= d.lineSamples()
	}
	d.clamp()
	d.Refresh()
}

// TypedRune offers the rune to Keys.
func (d *Disclosure) TypedRune(r rune) {
	if d.src != nil && d.Keys != nil {
		d.Keys.Rune(r)
	}
}

// TypedShortcut offers the shortcut to Keys.
func (d *Disclosure) TypedShortcut(sc fyne.Shortcut) {
	if d.src != nil && d.Keys != nil {
		d.Keys.Shortcut(sc)
	}
}

// Tapped opens the strip at the sample clicked; with Ctrl held it picks
// the beat there instead (OnPick), with Shift held the beats up to there
// (OnPickTo).
func (d *Disclosure) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(d); c != nil {
		c.Focus(d)
	}
	ctrl, shift := d.ctrl, d.shift
	d.ctrl, d.shift = false, false
	s, ok := d.sampleAt(e.Position)
	switch {
	case ok && shift && d.OnPickTo != nil:
		d.OnPickTo(s)
	case ok && ctrl && d.OnPick != nil:
		d.OnPick(s)
	case ok && d.OnOpen != nil:
		d.OnOpen(s)
	}
}

// MouseDown notes whether Ctrl or Shift is held, for Tapped.
func (d *Disclosure) MouseDown(e *desktop.MouseEvent) {
	d.ctrl = e.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
	d.shift = e.Modifier&fyne.KeyModifierShift != 0
}

// MouseUp implements desktop.Mouseable.
func (d *Disclosure) MouseUp(*desktop.MouseEvent) {}

// sampleAt returns the sample under pos.
func (d *Disclosure) sampleAt(pos fyne.Position) (int64, bool) {
	w := d.Size().Width - lineGutter
	if d.src == nil || w <= 0 || pos.X < lineGutter {
		return 0, false
	}
	line := int64(pos.Y / d.lineH())
	if line < 0 || line >= int64(d.Lines()) {
		return 0, false
	}
	s := d.start + line*d.lineSamples() + int64(float64(pos.X-lineGutter)/float64(w)*float64(d.lineSamples()))
	return s, s < d.info.NSamples
}

// CreateRenderer implements fyne.Widget.
func (d *Disclosure) CreateRenderer() fyne.WidgetRenderer {
	d.ExtendBaseWidget(d)
	r := &disclosureRenderer{d: d}
	r.raster = canvas.NewRaster(r.draw)
	r.raster.ScaleMode = canvas.ImageScalePixels // drawn at pixel size, as the strip
	return r
}
