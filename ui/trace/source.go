package trace

import (
	"fmt"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// MaxRawSamples caps the samples per lead a Source reads for one view when
// no pyramid level fits; wider views without a finished pyramid stay blank.
const MaxRawSamples = 1 << 21

// View is a horizontal window on a record: which sample sits at the left
// edge of pixel column 0 and how many samples one column spans.
type View struct {
	Start float64 // sample position at the left edge of column 0
	SPP   float64 // samples per pixel column, > 0
	Width int     // pixel columns
}

// X returns the column position (fractional) of a sample position.
func (v View) X(sample float64) float64 { return (sample - v.Start) / v.SPP }

// Sample returns the sample position at column position x.
func (v View) Sample(x float64) float64 { return v.Start + x*v.SPP }

// End returns the sample position at the right edge of the last column.
func (v View) End() float64 { return v.Sample(float64(v.Width)) }

// Envelope is the range of one lead in each pixel column, in digital
// units. A column with Lo > Hi has no data (outside the record or not
// built yet).
type Envelope struct {
	Lo, Hi []float64
}

// Valid reports whether column i has data.
func (e *Envelope) Valid(i int) bool { return e.Lo[i] <= e.Hi[i] }

func (e *Envelope) reset(w int) {
	if cap(e.Lo) < w {
		e.Lo, e.Hi = make([]float64, w), make([]float64, w)
	}
	e.Lo, e.Hi = e.Lo[:w], e.Hi[:w]
	for i := range e.Lo {
		e.Lo[i], e.Hi[i] = math.Inf(1), math.Inf(-1)
	}
}

// Source computes column envelopes of a Signal, from its Pyramid when the
// view is zoomed out and from the samples when zoomed in. It keeps the last
// samples it read, so drawing every lead of one view reads once. A Source
// is not safe for concurrent use.
type Source struct {
	sig  annotate.Signal
	pyr  *Pyramid // nil when the record has none
	n    int64
	raw  [][]int32
	rawA int64 // first sample in raw
	rawN int   // samples per lead in raw

	flt  Filter      // display filter; nil: none
	fbuf [][]float64 // raw filtered by flt, per lead
	fok  []bool      // fbuf[lead] holds the loaded samples filtered
}

// NewSource returns a Source on sig; pyr may be nil (zoomed-out views
// then stay blank beyond MaxRawSamples).
func NewSource(sig annotate.Signal, pyr *Pyramid) *Source {
	info := sig.Info()
	n := len(info.Leads)
	return &Source{sig: sig, pyr: pyr, n: info.NSamples, raw: make([][]int32, n),
		fbuf: make([][]float64, n), fok: make([]bool, n)}
}

// Signal returns the signal the source reads.
func (s *Source) Signal() annotate.Signal { return s.sig }

// Pyramid returns the pyramid, or nil.
func (s *Source) Pyramid() *Pyramid { return s.pyr }

// Envelope fills env with the per-column range of lead in view v.
func (s *Source) Envelope(env *Envelope, lead int, v View) error {
	return s.EnvelopeIn(env, lead, v, 0, v.Width)
}

// EnvelopeIn fills env with the range of lead in columns [x0, x1) of view
// v only: env's column i is the view's column x0+i. The samples read are
// those of the whole view (with the display filter's margin), so the
// leads of a 12-lead layout, each drawn over a quarter of the view, share
// one read and one filtered copy, and a column has the same range as it
// has in the whole view.
func (s *Source) EnvelopeIn(env *Envelope, lead int, v View, x0, x1 int) error {
	x0, x1 = max(x0, 0), min(x1, v.Width)
	sub := View{Start: v.Sample(float64(x0)), SPP: v.SPP, Width: max(x1-x0, 0)}
	env.reset(sub.Width)
	if sub.Width <= 0 || v.SPP <= 0 {
		return nil
	}
	if s.pyr != nil {
		if j, ok := s.pyr.LevelFor(v.SPP); ok {
			s.fromPyramid(env, lead, j, sub)
			return nil
		}
	}
	a, b := s.rawSpan(v)
	if b-a > MaxRawSamples || a >= b {
		return nil
	}
	if err := s.load(s.withMargin(a, b)); err != nil {
		return err
	}
	s.filterLead(lead)
	if v.SPP >= 1 {
		s.fromSamples(env, lead, sub)
	} else {
		s.fromLines(env, lead, sub)
	}
	return nil
}

func (s *Source) fromPyramid(env *Envelope, lead, j int, v View) {
	a := int64(math.Floor(v.Start))
	for i := range env.Lo {
		b := int64(math.Floor(v.Sample(float64(i + 1))))
		if lo, hi, ok := s.pyr.Range(lead, j, a, b); ok {
			env.Lo[i], env.Hi[i] = float64(lo), float64(hi)
		}
		a = b
	}
}

// rawSpan returns the samples [a, b) a raw view needs, one extra each side
// for the lines into and out of the window, clipped to the record.
func (s *Source) rawSpan(v View) (int64, int64) {
	a := int64(math.Floor(v.Start)) - 1
	b := int64(math.Ceil(v.End())) + 2
	a = max(a, 0)
	if s.n > 0 {
		b = min(b, s.n)
	}
	return a, b
}

// load makes raw hold samples [a, b) of every lead (fewer at the end).
func (s *Source) load(a, b int64) error {
	if s.holds(a, b) {
		return nil
	}
	m := int(b - a)
	for i := range s.raw {
		if cap(s.raw[i]) < m {
			s.raw[i] = make([]int32, m)
		}
		s.raw[i] = s.raw[i][:m]
	}
	got, err := readFull(s.sig, s.raw, a, int64(m))
	if err != nil && got == 0 {
		s.rawN = 0
		return fmt.Errorf("trace: reading samples %d to %d: %w", a, b, err)
	}
	s.rawA, s.rawN = a, int(got)
	clear(s.fok)
	return nil
}

// at returns raw sample k (absolute position) of lead, and whether it is loaded.
func (s *Source) at(lead int, k int64) (float64, bool) {
	i := k - s.rawA
	if i < 0 || i >= int64(s.rawN) {
		return 0, false
	}
	if s.flt != nil {
		return s.fbuf[lead][i], true
	}
	return float64(s.raw[lead][i]), true
}

// fromSamples: one or more samples per column, min and max of those.
func (s *Source) fromSamples(env *Envelope, lead int, v View) {
	a := int64(math.Ceil(v.Start))
	for i := range env.Lo {
		b := int64(math.Ceil(v.Sample(float64(i + 1))))
		for k := a; k < b; k++ {
			if y, ok := s.at(lead, k); ok {
				env.Lo[i], env.Hi[i] = min(env.Lo[i], y), max(env.Hi[i], y)
			}
		}
		a = b
	}
}

// fromLines: less than one sample per column, the range of the straight
// lines between samples over the column.
func (s *Source) fromLines(env *Envelope, lead int, v View) {
	for i := range env.Lo {
		t0, t1 := v.Sample(float64(i)), v.Sample(float64(i+1))
		for _, t := range [3]float64{t0, t1, math.Floor(t1)} {
			if t < t0 {
				continue
			}
			if y, ok := s.lerp(lead, t); ok {
				env.Lo[i], env.Hi[i] = min(env.Lo[i], y), max(env.Hi[i], y)
			}
		}
	}
}

// lerp returns the line between samples at position t.
func (s *Source) lerp(lead int, t float64) (float64, bool) {
	k := int64(math.Floor(t))
	y0, ok0 := s.at(lead, k)
	if !ok0 {
		return 0, false
	}
	f := t - float64(k)
	if f == 0 {
		return y0, true
	}
	y1, ok1 := s.at(lead, k+1)
	if !ok1 {
		return 0, false
	}
	return y0 + (y1-y0)*f, true
}
