package qrs

import (
	"math"
	"math/cmplx"

	"github.com/ecgstation/ecgstation/annotate/dsp"
)

// groupDelay returns the group delay in samples of the cascade fs at freq Hz,
// -dphi/domega by a central difference.
func groupDelay(fs float64, freq float64, cascade ...dsp.Biquad) float64 {
	const df = 0.01
	phase := func(fr float64) float64 {
		h := complex(1, 0)
		for i := range cascade {
			h *= cascade[i].Response(fr, fs)
		}
		return cmplx.Phase(h)
	}
	d := phase(freq+df) - phase(freq-df)
	for d > math.Pi {
		d -= 2 * math.Pi
	}
	for d < -math.Pi {
		d += 2 * math.Pi
	}
	return -d / (2 * math.Pi * 2 * df / fs)
}
