package ui

import (
	"fmt"
	"math"
	"sort"

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

// Strip is the ECG strip: every lead of a record stacked on ECG paper
// (25 mm/s and 10 mm/mV to start with), with beat labels above their beats and
// a time ruler below. It scrolls and zooms from the keyboard and the mouse.
type Strip struct {
	widget.BaseWidget

	// OnViewChanged is called with the visible samples [start, end) after
	// every scroll, zoom or resize.
	OnViewChanged func(start, end int64)
	// OnFirstDraw is called once, when the first frame with a record in it
	// has been drawn.
	OnFirstDraw func()

	src     *trace.Source
	info    annotate.RecordInfo
	beats   []annotate.Beat
	start   float64 // sample at the left edge
	speed   float64 // paper speed, mm/s
	focused bool
}

// NewStrip returns an empty strip; SetRecord gives it a record.
func NewStrip() *Strip {
	s := &Strip{}
	s.ExtendBaseWidget(s)
	return s
}

// SetRecord shows sig from its start at 25 mm/s. pyr is sig's pyramid
// (possibly still being built, or nil); beats are sorted by sample.
func (s *Strip) SetRecord(sig annotate.Signal, pyr *trace.Pyramid, beats []annotate.Beat) {
	s.src = trace.NewSource(sig, pyr)
	s.info = sig.Info()
	s.beats = beats
	s.start, s.speed = 0, trace.PaperSpeed
	s.changed()
}

// SetBeats replaces the beats shown (sorted by sample).
func (s *Strip) SetBeats(beats []annotate.Beat) {
	s.beats = beats
	s.Refresh()
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
	return fmt.Sprintf("%s mm/s · %g mm/mV", txt, trace.PaperGain)
}

// changed clamps the view, redraws and tells OnViewChanged.
func (s *Strip) changed() {
	s.clamp()
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
	i := sort.Search(len(s.beats), func(i int) bool { return float64(s.beats[i].Sample) >= a })
	j := sort.Search(len(s.beats), func(i int) bool { return float64(s.beats[i].Sample) >= b })
	return s.beats[i:j]
}

// CreateRenderer implements fyne.Widget.
func (s *Strip) CreateRenderer() fyne.WidgetRenderer {
	s.ExtendBaseWidget(s)
	return newStripRenderer(s)
}
