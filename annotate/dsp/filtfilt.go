package dsp

// FiltFilt filters x in place with the cascade of sections, forward and
// then backward (zero phase; the block's response is the cascade's |H|^2).
// Each pass starts from the steady state of its first sample. The
// sections' own states are not changed.
func FiltFilt(x []float64, sections ...Biquad) {
	if len(x) == 0 {
		return
	}
	for _, s := range sections {
		pass(x, s, false)
		pass(x, s, true)
	}
}

// pass runs f over x in place, backward when back is set.
func pass(x []float64, f Biquad, back bool) {
	n := len(x)
	if back {
		f.Settle(x[n-1])
		for i := n - 1; i >= 0; i-- {
			x[i] = f.Step(x[i])
		}
		return
	}
	f.Settle(x[0])
	for i := range x {
		x[i] = f.Step(x[i])
	}
}
