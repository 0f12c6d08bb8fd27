package trace

// Filter changes a lead's samples before they are drawn: a display filter
// (baseline wander, mains, muscle noise). Filter filters consecutive
// samples of one lead, in digital units, in place; Margin is how many
// samples a block needs either side for the filter's start-up to die out.
// A Filter is called from the drawing goroutine only.
type Filter interface {
	Filter(x []float64)
	Margin() int
}

// SetFilter sets the filter the source applies to the samples it draws
// (nil: none) and forgets the samples it kept. Only views read from the
// samples are filtered: the pyramid's buckets (views of more than 2^K0
// samples a column) hold the record's own minima and maxima, and filtering
// hours of samples for one frame would not keep a redraw fast.
func (s *Source) SetFilter(f Filter) {
	s.flt = f
	s.rawN = 0
}

// Filter returns the filter set by SetFilter, or nil.
func (s *Source) Filter() Filter { return s.flt }

// Filtered reports whether view v is drawn filtered: a filter is set and v
// is read from the samples.
func (s *Source) Filtered(v View) bool {
	if s.flt == nil {
		return false
	}
	if s.pyr != nil {
		if _, ok := s.pyr.LevelFor(v.SPP); ok {
			return false
		}
	}
	return true
}

// withMargin widens the samples [a, b) by the filter's margin either
// side, clipped to the record.
func (s *Source) withMargin(a, b int64) (int64, int64) {
	if s.flt == nil {
		return a, b
	}
	m := int64(s.flt.Margin())
	a = max(a-m, 0)
	if s.n > 0 {
		b = min(b+m, s.n)
	}
	return a, b
}

// filterLead fills the filtered copy of lead's loaded samples, once per
// load.
func (s *Source) filterLead(lead int) {
	if s.flt == nil || s.fok[lead] {
		return
	}
	raw := s.raw[lead][:s.rawN]
	if cap(s.fbuf[lead]) < len(raw) {
		s.fbuf[lead] = make([]float64, len(raw))
	}
	x := s.fbuf[lead][:len(raw)]
	for i, v := range raw {
		x[i] = float64(v)
	}
	s.flt.Filter(x)
	s.fbuf[lead], s.fok[lead] = x, true
}

// holds reports whether raw already holds samples [a, b). Filtered, only
// the very same block will do: a block filtered with other ends differs in
// the last bits, and a view must draw the same pixels however it was
// reached.
func (s *Source) holds(a, b int64) bool {
	end := s.rawA + int64(s.rawN)
	if s.flt != nil {
		return a == s.rawA && b == end && s.rawN > 0
	}
	return a >= s.rawA && b <= end
}
