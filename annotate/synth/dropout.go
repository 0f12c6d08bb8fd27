package synth

import (
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// The kinds of Dropout.
const (
	DropLeadOff    = "lead off"   // every lead reads exactly 0 mV (Baseline)
	DropSaturation = "saturation" // every lead sits at the ADC's upper rail
)

// Dropout is a stretch where the recorder loses the signal on every lead,
// at a fixed time: the heart beats on (the beats stay in the reference, as
// MIT-BIH annotates beats through unreadable stretches) but the samples are
// replaced, and the reference marks the stretch as noise on every lead
// with Kind as its reason.
type Dropout struct {
	Kind   string // DropLeadOff or DropSaturation
	At     time.Duration
	Length time.Duration
}

// validateDropouts checks the dropouts against the record length.
func (c Config) validateDropouts() error {
	for i, d := range c.Noise.Dropouts {
		f := fmt.Sprintf("Noise.Dropouts[%d]", i)
		if d.Kind != DropLeadOff && d.Kind != DropSaturation {
			return &ConfigError{f + ".Kind", d.Kind, fmt.Errorf("%w: want %q or %q", ErrRange, DropLeadOff, DropSaturation)}
		}
		if d.At < 0 || d.At >= c.Duration {
			return &ConfigError{f + ".At", d.At, fmt.Errorf("%w [0, %v)", ErrRange, c.Duration)}
		}
		if d.Length <= 0 || d.At+d.Length > c.Duration {
			return &ConfigError{f + ".Length", d.Length, fmt.Errorf("%w (0, %v]", ErrRange, c.Duration-d.At)}
		}
	}
	return nil
}

// span returns the samples [a, b) of d at fs.
func (d Dropout) span(fs float64) (int64, int64) {
	return int64(d.At.Seconds() * fs), int64((d.At + d.Length).Seconds() * fs)
}

// dropoutMarks returns the reference noise stretches of the dropouts.
func (c Config) dropoutMarks() []annotate.Noise {
	var out []annotate.Noise
	for _, d := range c.Noise.Dropouts {
		a, b := d.span(c.Fs)
		out = append(out, noiseMark(a, b, d.Kind))
	}
	return out
}

// applyDropouts overwrites the quantized block that starts at sample b0
// (g.q, n samples per lead) inside each dropout.
func (g *Generator) applyDropouts(b0 int64, n int) {
	for _, d := range g.cfg.Noise.Dropouts {
		a, b := d.span(g.cfg.Fs)
		lo, hi := max(a, b0)-b0, min(b, b0+int64(n))-b0
		v := g.cfg.Baseline
		if d.Kind == DropSaturation {
			v = g.lim
		}
		for l := range g.q {
			for i := lo; i < hi; i++ {
				g.q[l][i] = v
			}
		}
	}
}
