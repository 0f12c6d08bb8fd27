package ui

import (
	"fmt"
	"image"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate/dsp"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// The display filters' corners. Each is -3 dB at its corner, zero phase
// (run forward and backward over the samples drawn).
const (
	BaselineHz     = 0.5  // baseline-wander high-pass, Hz
	MuscleHz       = 40.0 // muscle-noise low-pass, Hz
	DefaultMainsHz = 50.0 // mains notch, Hz, until the preferences say 60
	notchQ         = 30   // the notch's centre over its -3 dB width (50 Hz: 1.7 Hz wide)
)

// Filters are the display filters of the strip and the full disclosure:
// what the reader sees, never what the models read or what is exported
// (those read the record's own samples, not the ui).
type Filters struct {
	Baseline bool    // high-pass at BaselineHz: baseline wander
	Mains    bool    // notch at MainsHz: mains interference
	Muscle   bool    // low-pass at MuscleHz: muscle noise
	MainsHz  float64 // 50 or 60
}

// Any reports whether any filter is on.
func (f Filters) Any() bool { return f.Baseline || f.Mains || f.Muscle }

// mains returns the notch frequency: MainsHz when it is 50 or 60, else 50.
func (f Filters) mains() float64 {
	if f.MainsHz == 60 {
		return 60
	}
	return DefaultMainsHz
}

// filterPart is one display filter: its name on the strip, whether it is
// on, the highest frequency it touches (it needs fs above twice that), and
// its section at fs.
type filterPart struct {
	name    string
	on      bool
	needsHz float64
	section func(fs float64) dsp.Biquad
}

func (f Filters) parts() []filterPart {
	m := f.mains()
	return []filterPart{
		{fmt.Sprintf("HP %g Hz", BaselineHz), f.Baseline, BaselineHz,
			func(fs float64) dsp.Biquad { return dsp.ZeroPhaseHighPass(BaselineHz, fs) }},
		{fmt.Sprintf("notch %g Hz", m), f.Mains, m, func(fs float64) dsp.Biquad { return dsp.Notch(m, notchQ, fs) }},
		{fmt.Sprintf("LP %g Hz", MuscleHz), f.Muscle, MuscleHz,
			func(fs float64) dsp.Biquad { return dsp.ZeroPhaseLowPass(MuscleHz, fs) }},
	}
}

// fits reports whether a filter touching hz can run at fs.
func fits(hz, fs float64) bool { return fs > 2*hz }

// filter returns the display filter for a record sampled at fs Hz: the
// cascade of the filters that are on and fit under fs/2; nil when none.
func (f Filters) filter(fs float64) trace.Filter {
	var secs []dsp.Biquad
	for _, p := range f.parts() {
		if p.on && fits(p.needsHz, fs) {
			secs = append(secs, p.section(fs))
		}
	}
	if len(secs) == 0 {
		return nil
	}
	return dsp.NewChain(secs...)
}

// Text describes the filters that are on for a record at fs Hz, e.g.
// "HP 0.5 Hz · notch 50 Hz · LP 40 Hz"; a filter the record's sampling
// rate cannot hold says so ("LP 40 Hz: not at 50 Hz"); "" when none is on.
func (f Filters) Text(fs float64) string {
	var out []string
	for _, p := range f.parts() {
		switch {
		case !p.on:
		case fs > 0 && !fits(p.needsHz, fs):
			out = append(out, fmt.Sprintf("%s: not at %g Hz", p.name, fs))
		default:
			out = append(out, p.name)
		}
	}
	return strings.Join(out, " · ")
}

// Filters returns the strip's display filters.
func (s *Strip) Filters() Filters { return s.filters }

// SetFilters sets the strip's display filters and redraws; they stay set
// for the next record.
func (s *Strip) SetFilters(f Filters) {
	s.filters = f
	if s.src != nil {
		s.src.SetFilter(f.filter(s.info.Fs))
	}
	s.Refresh()
}

// FilterText describes the display filters in the strip's current view:
// Filters.Text, with "(off at this zoom)" when the view is drawn from the
// overview's min/max buckets, which are never filtered.
func (s *Strip) FilterText() string {
	spp := s.samplesPerUnit() / canvasScale(s)
	return filterText(s.filters, s.info.Fs, s.src, spp, "(off at this zoom)")
}

// filterText is f's Text at fs with note added when src draws views of spp
// samples a pixel from the overview's buckets, unfiltered.
func filterText(f Filters, fs float64, src *trace.Source, spp float64, note string) string {
	txt := f.Text(fs)
	if txt == "" || src == nil || src.Filter() == nil || spp <= 0 {
		return txt
	}
	if !src.Filtered(trace.View{SPP: spp, Width: 1}) {
		txt += " " + note
	}
	return txt
}

// SetFilters sets the display filters of the full disclosure's record
// (the record screen sets them after every SetRecord).
func (d *Disclosure) SetFilters(f Filters) {
	d.filters = f
	if d.src != nil {
		d.src.SetFilter(f.filter(d.info.Fs))
		d.Refresh()
	}
}

// FilterText describes the display filters on the full-disclosure page:
// Filters.Text, with "(off at this density)" when its lines are drawn from
// the overview's min/max buckets, which are never filtered (as the strip's
// FilterText says "(off at this zoom)").
func (d *Disclosure) FilterText() string {
	w := float64(d.Size().Width-lineGutter) * canvasScale(d)
	if w <= 0 {
		return d.filters.Text(d.info.Fs)
	}
	return filterText(d.filters, d.info.Fs, d.src, float64(d.lineSamples())/w, "(off at this density)")
}

// canvasScale returns the pixels per unit of o's canvas (1 when it is on
// none).
func canvasScale(o fyne.CanvasObject) float64 {
	if app := fyne.CurrentApp(); app != nil {
		if c := app.Driver().CanvasForObject(o); c != nil && c.Scale() > 0 {
			return float64(c.Scale())
		}
	}
	return 1
}

// nameBoxes returns the pixel boxes of the lead names drawn over the
// lanes, at scale pixels a unit, for the calibration pulses to keep clear.
func (r *stripRenderer) nameBoxes(scale float64) []image.Rectangle {
	out := make([]image.Rectangle, len(r.names))
	for i, t := range r.names {
		p, sz := t.Position(), t.Size()
		out[i] = image.Rect(int(float64(p.X)*scale), int(float64(p.Y)*scale),
			int(math.Ceil(float64(p.X+sz.Width)*scale)), int(math.Ceil(float64(p.Y+sz.Height)*scale)))
	}
	return out
}
