package ui

import (
	"fmt"
	"image"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Caliper is a time-and-amplitude ruler on the strip, as in a Holter suite:
// two legs at samples A (the first, where it was placed) and B (the
// second, the one the arrow keys move), read on lead Lead. It is display
// only: placing, moving or removing it never changes a label.
type Caliper struct {
	A, B int64
	Lead int
}

// CaliperReading is what a caliper measures, from the samples themselves:
//
//	Ms      = |B − A| · 1000 / fs                       [ms]
//	BPM     = 60000 / Ms (the rate when A and B are consecutive R peaks)
//	MVA/MVB = (d − baseline) / gain / unitsPerMV        [mV], d the ADC value at A or B
//	DeltaMV = MVB − MVA                                  (the second leg against the first)
//
// with the lead's own gain, baseline and units, so they do not depend on
// the paper's mm/s and mm/mV.
type CaliperReading struct {
	Caliper
	LeadName string
	Ms       float64 // the interval, ms
	BPM      float64 // 60000 / Ms; 0 when the legs coincide
	MVA, MVB float64 // the lead's value at A and at B, mV; NaN for a missing sample
	DeltaMV  float64 // MVB − MVA, mV; NaN when either is missing
	dA, dB   int32   // the ADC values at A and B
}

// Text is the reading as the strip writes it, e.g.
// "412 ms · 146 bpm · Δ +0.850 mV (MLII)".
func (c CaliperReading) Text() string {
	rate := "– bpm"
	if c.BPM > 0 {
		rate = fmt.Sprintf("%.0f bpm", c.BPM)
	}
	amp := "Δ – mV"
	if !math.IsNaN(c.DeltaMV) {
		amp = fmt.Sprintf("Δ %+.3f mV", c.DeltaMV)
	}
	return fmt.Sprintf("%.0f ms · %s · %s (%s)", c.Ms, rate, amp, c.LeadName)
}

// caliperState is the strip's caliper: whether it shows, its legs, the
// march-out, and the leg a drag holds (0: none, 1: A, 2: B).
type caliperState struct {
	Caliper
	on, march bool
	grab      int
}

// SetCaliper shows caliper c (legs clamped to the record, the lead to its
// leads). It never changes a label.
func (s *Strip) SetCaliper(c Caliper) {
	last := max(s.info.NSamples-1, 0)
	c.A, c.B = max(0, min(c.A, last)), max(0, min(c.B, last))
	if !slices.Contains(s.leads, c.Lead) && len(s.leads) > 0 {
		c.Lead = s.leads[0] // a lead not shown: the top lane's
	}
	c.Lead = max(0, min(c.Lead, len(s.info.Leads)-1))
	s.cal.Caliper, s.cal.on = c, true
	s.Refresh()
}

// Caliper returns the caliper shown, and false when there is none.
func (s *Strip) Caliper() (Caliper, bool) { return s.cal.Caliper, s.cal.on }

// ClearCaliper removes the caliper and its march-out.
func (s *Strip) ClearCaliper() {
	s.cal = caliperState{}
	s.Refresh()
}

// ToggleCaliper removes the caliper shown, or places one with both legs
// at the cursor (at the middle of the view when there is no cursor in
// sight), on the first lead. While a caliper shows, drags on the strip
// measure instead of panning, and the arrow keys move its second leg.
func (s *Strip) ToggleCaliper() {
	if s.cal.on {
		s.ClearCaliper()
		return
	}
	at := s.cursor
	if a, b := s.View(); at < a || at >= b {
		at = (a + b) / 2
	}
	s.SetCaliper(Caliper{A: at, B: at, Lead: s.defaultCaliperLead()})
}

// MarchOut reports whether the caliper's interval is repeated across the
// strip.
func (s *Strip) MarchOut() bool { return s.cal.on && s.cal.march }

// ToggleMarchOut repeats the caliper's interval across the strip (ticks at
// A + k·(B − A) for every whole k), or stops; it reports whether the
// march-out now shows (never without a caliper).
func (s *Strip) ToggleMarchOut() bool {
	s.cal.march = s.cal.on && !s.cal.march
	s.Refresh()
	return s.cal.march
}

// ReadCaliper measures the caliper shown on the record's samples (false
// when there is none, or no record).
func (s *Strip) ReadCaliper() (CaliperReading, bool) {
	if !s.cal.on || s.src == nil || s.info.Fs <= 0 || len(s.info.Leads) == 0 {
		return CaliperReading{}, false
	}
	c := s.cal.Caliper
	l := s.info.Leads[c.Lead]
	rd := CaliperReading{Caliper: c, LeadName: l.Name, Ms: float64(absI(c.B-c.A)) * 1000 / s.info.Fs}
	if rd.Ms > 0 {
		rd.BPM = 60000 / rd.Ms
	}
	sig := s.src.Signal()
	rd.dA, rd.MVA = legValue(sig, s.info, c.Lead, c.A)
	rd.dB, rd.MVB = legValue(sig, s.info, c.Lead, c.B)
	rd.DeltaMV = rd.MVB - rd.MVA
	return rd, true
}

// legValue returns lead's ADC value at sample and its value in mV (NaN for
// a missing sample or a read error).
func legValue(sig annotate.Signal, info annotate.RecordInfo, lead int, sample int64) (int32, float64) {
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, 1)
	}
	if n, err := annotate.ReadMarked(sig, buf, sample); err != nil || n < 1 {
		return 0, math.NaN()
	}
	d := buf[lead][0]
	return d, info.Value(lead, d) / trace.UnitsPerMV(info.Leads[lead].Units)
}

// caliperKey handles the keys of a caliper shown: the arrows move its
// second leg (a millimetre of paper; with Shift, one sample), Up and Down
// choose the lead read, Esc removes it (when Keys is set, Esc is left to
// it: the record screen cancels a pending chord first).
func (s *Strip) caliperKey(name fyne.KeyName) bool {
	if !s.cal.on {
		return false
	}
	switch name {
	case fyne.KeyEscape:
		if s.Keys != nil {
			return false
		}
		s.ClearCaliper()
	case fyne.KeyLeft, fyne.KeyRight:
		step := s.caliperStep(s.shift || shiftHeld())
		if name == fyne.KeyLeft {
			step = -step
		}
		c := s.cal.Caliper
		c.B += step
		s.SetCaliper(c)
		s.EnsureVisible(s.cal.B)
	case fyne.KeyUp, fyne.KeyDown:
		c, order := s.cal.Caliper, s.lay.Leads // top to bottom; the 12-lead layout's I, II, III, aVR...
		lane := max(0, slices.Index(order, c.Lead)) + map[fyne.KeyName]int{fyne.KeyUp: -1, fyne.KeyDown: 1}[name]
		if lane >= 0 && lane < len(order) {
			c.Lead = order[lane]
		}
		s.SetCaliper(c)
	default:
		return false
	}
	return true
}

// caliperStep is how far, in samples, an arrow moves a leg: one sample
// when fine, else a millimetre of paper at the current speed (40 ms at
// 25 mm/s), at least one sample.
func (s *Strip) caliperStep(fine bool) int64 {
	if fine || s.info.Fs <= 0 {
		return 1
	}
	return max(1, int64(math.Round(s.info.Fs/s.Speed())))
}

// caliperDrag measures with the mouse: while a caliper shows (or with Ctrl
// held), a drag that starts on a leg moves that leg, any other drag lays a
// new caliper from where it started (on the lead under it) to the
// pointer. It reports whether the drag was the caliper's.
func (s *Strip) caliperDrag(e *fyne.DragEvent) bool {
	if s.cal.grab == 0 {
		if !s.cal.on && !ctrlHeld() {
			return false
		}
		p0 := e.Position.Subtract(e.Dragged)
		s.cal.grab = s.legNear(p0.X)
		if s.cal.grab == 0 {
			a := s.sampleAt(p0.X)
			s.SetCaliper(Caliper{A: a, B: a, Lead: s.leadAt(p0)})
			s.cal.grab = 2
		}
	}
	c := s.cal.Caliper
	if s.cal.grab == 1 {
		c.A = s.sampleAt(e.Position.X)
	} else {
		c.B = s.sampleAt(e.Position.X)
	}
	s.SetCaliper(c)
	return true
}

// legNear returns the leg of the caliper shown within grabWidth of x (1:
// A, 2: B), or 0.
func (s *Strip) legNear(x float32) int {
	if !s.cal.on {
		return 0
	}
	dA, dB := abs32(s.xOf(s.cal.A)-x), abs32(s.xOf(s.cal.B)-x)
	switch {
	case dB <= grabWidth && dB <= dA:
		return 2
	case dA <= grabWidth:
		return 1
	}
	return 0
}

// leadAt returns the record's lead drawn at p (units), in its lane or its
// cell of the 12-lead layout; a point above or below the leads counts as
// on the nearest row.
func (s *Strip) leadAt(p fyne.Position) int {
	cells := s.cells(s.Size())
	if len(cells) == 0 {
		return 0
	}
	top, bottom := cells[0].Rect.Min.Y, cells[len(cells)-1].Rect.Max.Y-1
	pt := image.Pt(int(p.X), max(top, min(int(p.Y), bottom)))
	if i := trace.CellAt(cells, pt); i >= 0 {
		return cells[i].Lead
	}
	return cells[0].Lead
}
