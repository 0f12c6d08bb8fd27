package edf

import (
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// pickLeads chooses the signals presented as leads. annotate.Signal needs
// one sampling rate for all leads, so: among ordinary (non-annotation)
// signals, take the highest samples-per-record of those whose label names
// an ECG ("ECG", "EKG"; EDF+ puts the signal type first, e.g. "ECG V2-V1"),
// or of all ordinary signals when none does; every ordinary signal with that
// rate becomes a lead, in file order. The others stay listed by Signals.
func pickLeads(sigs []SignalInfo) []int {
	best, bestECG := 0, 0
	for _, s := range sigs {
		if s.Annotations {
			continue
		}
		best = max(best, s.Samples)
		if isECG(s.Label) {
			bestECG = max(bestECG, s.Samples)
		}
	}
	if bestECG > 0 {
		best = bestECG
	}
	var out []int
	for i, s := range sigs {
		if !s.Annotations && s.Samples == best {
			out = append(out, i)
		}
	}
	return out
}

// isECG reports whether a signal label names an ECG signal.
func isECG(label string) bool {
	u := strings.ToUpper(label)
	return strings.Contains(u, "ECG") || strings.Contains(u, "EKG")
}

// perMV gives, for each voltage dimension, how many of its units make 1 mV.
var perMV = map[string]float64{
	"nV": 1e6, "uV": 1e3, "µV": 1e3, "μV": 1e3, "UV": 1e3,
	"mV": 1, "V": 1e-3,
}

// lead converts a signal's header into an annotate.Lead.
//
// EDF maps digital d to physical p linearly, with
// p = PhysMin + (d - DigMin) * (PhysMax - PhysMin) / (DigMax - DigMin).
// So Gain = (DigMax - DigMin) / (PhysMax - PhysMin) digital units per
// physical unit, and the digital value of 0 physical units is
// DigMin - PhysMin*Gain, rounded to the nearest integer (ties to even) for
// Lead.Baseline: the offset error is at most half a digital unit. When the
// dimension is a voltage (nV, uV, µV, mV, V) the gain is rescaled so that
// Lead.Physical gives mV and Units is "mV"; the baseline is a digital value
// and does not change. Other dimensions are kept as written.
func lead(s SignalInfo, bits int) (annotate.Lead, bool) {
	span := float64(int64(s.DigMax) - int64(s.DigMin))
	gain := span / (s.PhysMax - s.PhysMin)
	base := math.RoundToEven(float64(s.DigMin) - s.PhysMin*gain)
	units := s.Dimension
	if k, ok := perMV[strings.TrimSpace(units)]; ok {
		gain = span * k / (s.PhysMax - s.PhysMin)
		units = "mV"
	}
	if gain == 0 || math.IsInf(gain, 0) || math.IsNaN(gain) || math.Abs(base) > math.MaxInt32 {
		return annotate.Lead{}, false
	}
	return annotate.Lead{
		Name:     s.Label,
		Units:    units,
		Gain:     gain,
		Baseline: int32(base),
		ADCRes:   bits,
		ADCZero:  int32((int64(s.DigMin) + int64(s.DigMax) + 1) >> 1),
	}, true
}
