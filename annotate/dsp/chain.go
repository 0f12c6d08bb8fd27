package dsp

import (
	"math"
	"math/cmplx"
)

// settleTol is how far a start-up transient must have decayed, relative
// to the step that set it off, within a Chain's margin.
const settleTol = 1e-3

// Chain is a cascade of sections run zero-phase (FiltFilt) over blocks of
// a longer signal. A block filtered with Margin extra samples either side
// matches, on its inner part, the whole signal filtered at once to within
// a thousandth of the signal's steps.
type Chain struct {
	Sections []Biquad
	margin   int
}

// NewChain returns the cascade of sections.
func NewChain(sections ...Biquad) *Chain {
	c := &Chain{Sections: sections}
	for _, s := range sections {
		c.margin = max(c.margin, settleSamples(s))
	}
	return c
}

// Filter filters x in place, zero phase.
func (c *Chain) Filter(x []float64) { FiltFilt(x, c.Sections...) }

// Margin returns the samples a block needs either side for the start-up
// transients of its passes to die out (0 for an empty chain).
func (c *Chain) Margin() int { return c.margin }

// settleSamples returns the samples after which the slowest pole of s has
// decayed to settleTol: ln(settleTol) / ln|p|.
func settleSamples(s Biquad) int {
	// poles: roots of z^2 + A1 z + A2
	d := cmplx.Sqrt(complex(s.A1*s.A1-4*s.A2, 0))
	r := max(cmplx.Abs((complex(-s.A1, 0)+d)/2), cmplx.Abs((complex(-s.A1, 0)-d)/2))
	if r <= 0 {
		return 2 // FIR: two samples of memory
	}
	if r >= 1 {
		return math.MaxInt32 // unstable or marginal: never settles
	}
	return int(math.Ceil(math.Log(settleTol) / math.Log(r)))
}
