package ui

import (
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Strip geometry, in Fyne units unless said otherwise.
const (
	// unitsPerMM is one millimetre at Fyne's baseline of 120 dpi: the
	// driver scales units to pixels by the screen's real dpi, so paper
	// drawn at this size is true to scale on a correctly set-up screen.
	unitsPerMM = 120 / 25.4
	labelBand  = 24  // height of the beat-label band above the leads
	rulerBand  = 18  // height of the time ruler below the leads
	maxSpeed   = 200 // fastest paper speed, mm/s
	maxLabels  = 400 // beat labels drawn as text at most
	labelGap   = 9   // average units between labels below which only non-N beats get one
)

var (
	_ fyne.Focusable = (*Strip)(nil)
	_ fyne.Draggable = (*Strip)(nil)
	_ fyne.Tappable  = (*Strip)(nil)
)

// Strip is the ECG strip: every lead of a record stacked on ECG paper, or
// the standard twelve in the 12-lead layout (strip_twelve.go),
// (25 mm/s and 10 mm/mV to start with), with a marker and a label on every
// beat (colour: class; style: who set it), the RR intervals in ms at reading
// zoom, noise stretches shaded, the selection and the cursor, and a time
// ruler below. It scrolls and zooms from the keyboard and the mouse; the
// record screen adds the editing keys through the On* hooks.
type Strip struct {
	widget.BaseWidget

	// OnViewChanged is called with the visible samples [start, end) after
	// every scroll, zoom or resize.
	OnViewChanged func(start, end int64)
	// OnFirstDraw is called once, when the first frame with a record in it
	// has been drawn.
	OnFirstDraw func()
	// OnDrawn, when set, is called after every frame with a record in it,
	// with the time the frame took to draw.
	OnDrawn func(draw time.Duration)
	// Keys, when set, sees every key, rune and shortcut first; what it
	// handles (returns true for) the strip does not.
	Keys KeyHandler
	// OnTap is called with the sample under a click and whether Shift
	// was held; nil: a click only takes the focus.
	OnTap func(sample int64, shift bool)
	// OnMoveBeat is called when a beat's marker (in the label band) is
	// dragged from sample from to sample to.
	OnMoveBeat func(from, to int64)

	src     *trace.Source
	info    annotate.RecordInfo
	beats   BeatSource
	noise   func() []annotate.NoiseEntry
	start   float64 // sample at the left edge
	speed   float64 // paper speed, mm/s
	gain    float64 // paper gain, mm/mV
	focused bool
	shift   bool // a Shift key is down

	selA, selB int64 // selected samples [selA, selB]; selA > selB: none
	cursor     int64 // the cursor sample; -1: none
	drag       *beatDrag
	cal        caliperState // the caliper (strip_calipers.go)

	filters   Filters            // display filters (strip_filters.go)
	leads     []int              // the leads shown, top to bottom (SetLeads)
	twelveOff bool               // the 12-lead layout is switched off (strip_twelve.go)
	lay       trace.LayoutChoice // how the leads are drawn now (relayout)
}

// NewStrip returns an empty strip; SetRecord gives it a record.
func NewStrip() *Strip {
	s := &Strip{gain: trace.PaperGain, selA: 1, selB: 0, cursor: -1}
	s.ExtendBaseWidget(s)
	return s
}

// SetRecord shows sig from its start at 25 mm/s. pyr is sig's pyramid
// (possibly still being built, or nil); beats gives the beats to draw (nil:
// none).
func (s *Strip) SetRecord(sig annotate.Signal, pyr *trace.Pyramid, beats BeatSource) {
	s.src = trace.NewSource(sig, pyr)
	s.info = sig.Info()
	s.src.SetFilter(s.filters.filter(s.info.Fs))
	s.leads = annotate.DefaultShownLeads(s.info.Leads)
	s.beats = beats
	s.start, s.speed = 0, trace.PaperSpeed
	s.selA, s.selB, s.cursor = 1, 0, -1
	s.cal = caliperState{}
	s.changed()
}

// SetBeats replaces where the beats shown come from.
func (s *Strip) SetBeats(beats BeatSource) {
	s.beats = beats
	s.Refresh()
}

// SetNoise sets where the noise stretches to shade come from.
func (s *Strip) SetNoise(noise func() []annotate.NoiseEntry) { s.noise = noise }

// SetSelection selects the samples [a, b] (a beat when a == b) and puts
// the cursor at c (-1: none). a > b clears the selection.
func (s *Strip) SetSelection(a, b, c int64) {
	s.selA, s.selB, s.cursor = a, b, c
	s.Refresh()
}

// Selection returns the selected samples [a, b] (ok false when none) and
// the cursor (-1 when none).
func (s *Strip) Selection() (a, b int64, ok bool, cursor int64) {
	return s.selA, s.selB, s.selA <= s.selB, s.cursor
}

// Gain returns the paper gain in mm/mV.
func (s *Strip) Gain() float64 { return s.gain }

// SetGain sets the paper gain in mm/mV (5, 10 or 20 on ECG paper).
func (s *Strip) SetGain(g float64) {
	if g > 0 {
		s.gain = g
		s.changed()
	}
}

// EnsureVisible scrolls the least needed to show sample with a margin of
// a tenth of the span.
func (s *Strip) EnsureVisible(sample int64) {
	span := s.span()
	x := float64(sample)
	switch {
	case x < s.start+span/10:
		s.ScrollTo(x - span/10)
	case x > s.start+span*9/10:
		s.ScrollTo(x - span*9/10)
	}
}

// Speed returns the paper speed in mm/s.
func (s *Strip) Speed() float64 {
	if s.speed <= 0 {
		return trace.PaperSpeed
	}
	return s.speed
}

// fitSpeed returns the paper speed at which the whole record just fits.
func (s *Strip) fitSpeed() float64 {
	w := float64(s.Size().Width)
	if w <= 0 || s.info.NSamples <= 0 || s.info.Fs <= 0 {
		return trace.PaperSpeed
	}
	return w * s.info.Fs / (float64(s.info.NSamples) * unitsPerMM)
}

// samplesPerUnit returns how many samples one Fyne unit spans.
func (s *Strip) samplesPerUnit() float64 {
	if s.info.Fs <= 0 {
		return 1
	}
	return s.info.Fs / (s.Speed() * unitsPerMM)
}

// span returns the number of samples across the strip.
func (s *Strip) span() float64 { return float64(s.Size().Width) * s.samplesPerUnit() }

// View returns the visible samples [start, end), clipped to the record.
func (s *Strip) View() (start, end int64) {
	a := int64(math.Floor(s.start))
	b := int64(math.Ceil(s.start + s.span()))
	return max(a, 0), min(b, s.info.NSamples)
}

// ScrollTo puts sample at the left edge (clamped so the strip stays on
// the record).
func (s *Strip) ScrollTo(sample float64) {
	s.start = sample
	s.changed()
}

// CenterOn puts sample in the middle of the strip.
func (s *Strip) CenterOn(sample float64) { s.ScrollTo(sample - s.span()/2) }

// ScrollBy moves the view by frac of the visible span (negative: back).
func (s *Strip) ScrollBy(frac float64) { s.ScrollTo(s.start + frac*s.span()) }

// SetSpeed sets the paper speed in mm/s, keeping the sample at x units
// from the left edge in place. The speed is kept between the one at which
// the whole record fits and maxSpeed.
func (s *Strip) SetSpeed(speed float64, x float32) {
	speed = min(max(speed, s.fitSpeed()), maxSpeed)
	anchor := s.start + float64(x)*s.samplesPerUnit()
	s.speed = speed
	s.start = anchor - float64(x)*s.samplesPerUnit()
	s.changed()
}

// zoomStep returns the next speed in the series 25 * 2^k mm/s above
// (dir > 0) or below (dir < 0) the current one.
func (s *Strip) zoomStep(dir int) float64 {
	k := math.Log2(s.Speed() / trace.PaperSpeed)
	if dir > 0 {
		k = math.Floor(k+1e-9) + 1
	} else {
		k = math.Ceil(k-1e-9) - 1
	}
	return trace.PaperSpeed * math.Pow(2, k)
}

// ZoomIn doubles the paper speed (to the next power of two times 25 mm/s)
// about the centre.
func (s *Strip) ZoomIn() { s.SetSpeed(s.zoomStep(1), s.Size().Width/2) }

// ZoomOut halves the paper speed about the centre, down to the whole record.
func (s *Strip) ZoomOut() { s.SetSpeed(s.zoomStep(-1), s.Size().Width/2) }

// SpeedText describes the paper speed and gain, e.g. "25 mm/s · 10 mm/mV".
func (s *Strip) SpeedText() string {
	sp := s.Speed()
	txt := fmt.Sprintf("%.2g", sp)
	if sp >= 1 {
		txt = fmt.Sprintf("%g", math.Round(sp*100)/100)
	}
	return fmt.Sprintf("%s mm/s · %g mm/mV", txt, s.gain)
}

// changed clamps the view, lays the leads out, redraws and tells
// OnViewChanged.
func (s *Strip) changed() {
	s.clamp()
	s.relayout()
	s.Refresh()
	if s.OnViewChanged != nil && s.src != nil {
		s.OnViewChanged(s.View())
	}
}

func (s *Strip) clamp() {
	last := float64(s.info.NSamples) - s.span()
	s.start = max(0, min(s.start, last))
}

// Resize keeps the view on the record when the strip changes size.
func (s *Strip) Resize(size fyne.Size) {
	if size == s.Size() {
		return
	}
	s.BaseWidget.Resize(size)
	s.changed()
}

// visibleBeats returns the beats in samples [a, b).
func (s *Strip) visibleBeats(a, b float64) []annotate.Beat {
	if s.beats == nil {
		return nil
	}
	return s.beats.BeatsIn(int64(math.Ceil(a)), int64(math.Ceil(b)))
}

// sampleAt returns the sample under x units from the left edge.
func (s *Strip) sampleAt(x float32) int64 {
	v := int64(math.Round(s.start + float64(x)*s.samplesPerUnit()))
	return max(0, min(v, s.info.NSamples-1))
}

// xOf returns the position of sample in units from the left edge.
func (s *Strip) xOf(sample int64) float32 {
	return float32((float64(sample) - s.start) / s.samplesPerUnit())
}

// CreateRenderer implements fyne.Widget.
func (s *Strip) CreateRenderer() fyne.WidgetRenderer {
	s.ExtendBaseWidget(s)
	return newStripRenderer(s)
}
