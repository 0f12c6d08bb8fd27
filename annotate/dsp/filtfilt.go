package dsp

// identity is a section that passes its input unchanged.
var identity = Biquad{B0: 1}

// FiltFilt filters x in place with the cascade of sections, forward and
// then backward (zero phase; the block's response is the cascade's |H|^2).
// Each pass starts every section at the steady state of its input for the
// pass's first sample. The sections' own states are not changed.
//
// The sections run three at a time in one sweep over x: each section's
// recursion waits on its own last output only, so the processor overlaps
// the three, about three times as fast as a sweep per section.
func FiltFilt(x []float64, sections ...Biquad) {
	if len(x) == 0 {
		return
	}
	for i := 0; i < len(sections); i += 3 {
		g := [3]Biquad{identity, identity, identity}
		copy(g[:], sections[i:])
		sweep(x, g, false)
		sweep(x, g, true)
	}
}

// sweep runs the cascade g over x in place, backward when back is set.
func sweep(x []float64, g [3]Biquad, back bool) {
	n := len(x)
	first := x[0]
	if back {
		first = x[n-1]
	}
	a, b, c := g[0], g[1], g[2]
	a.Settle(first)
	first *= a.DCGain()
	b.Settle(first)
	c.Settle(first * b.DCGain())
	if back {
		for i := n - 1; i >= 0; i-- {
			x[i] = c.Step(b.Step(a.Step(x[i])))
		}
		return
	}
	for i := range x {
		x[i] = c.Step(b.Step(a.Step(x[i])))
	}
}
