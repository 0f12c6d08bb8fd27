package synth

import (
	"math"
	"math/rand/v2"
)

// Shares of the short-term RR variance: the very-low-frequency AR(1) part
// takes vlfShare, LF and HF split the rest in the ratio LFHF.
const (
	vlfShare = 0.3
	vlfRho   = 0.95 // beat-to-beat correlation of the VLF part (about 20 beats)
	lfHz     = 0.1  // Mayer waves
)

// sinus is the sinus node: the RR interval that starts at time t is
//
//	RR(t) = 60/HR(t) · (1 + m(t)),  HR(t) = HR·(1 + C·cos(2π(h(t)−15)/24))
//	m(t)  = a_LF·sin(2π·0.1·t + φ_LF) + a_HF·sin(2π·f_resp·t + φ_HF) + v_n
//
// with h(t) the hour of the day, v_n an AR(1) sequence per beat and the
// phases φ doing a slow random walk so the spectral peaks have width.
// Because the circadian swing is on HR, the beat count over a whole day
// is exactly HR·1440.
type sinus struct {
	hr, circ, hour0 float64
	aLF, aHF, fHF   float64
	phLF, phHF      float64
	v, vSD          float64
	rng             *rand.Rand
}

func newSinus(c Config, rng *rand.Rand) *sinus {
	h := c.Start
	v := c.HRV * c.HRV
	lf := (1 - vlfShare) * v * c.LFHF / (1 + c.LFHF)
	hf := (1 - vlfShare) * v / (1 + c.LFHF)
	s := &sinus{
		hr: c.HR, circ: c.Circadian,
		hour0: float64(h.Hour()) + float64(h.Minute())/60 + float64(h.Second())/3600,
		aLF:   math.Sqrt(2 * lf), aHF: math.Sqrt(2 * hf), fHF: c.RespHz,
		phLF: 2 * math.Pi * rng.Float64(), phHF: 2 * math.Pi * rng.Float64(),
		vSD: math.Sqrt(vlfShare * v), rng: rng,
	}
	s.v = s.vSD * rng.NormFloat64()
	return s
}

// meanRR is the RR interval of the circadian trend at time t (s).
func (s *sinus) meanRR(t float64) float64 {
	h := s.hour0 + t/3600
	return 60 / (s.hr * (1 + s.circ*math.Cos(2*math.Pi*(h-15)/24)))
}

// next returns the sinus RR interval that starts at time t (s).
func (s *sinus) next(t float64) float64 {
	s.v = vlfRho*s.v + math.Sqrt(1-vlfRho*vlfRho)*s.vSD*s.rng.NormFloat64()
	m := s.aLF*math.Sin(2*math.Pi*lfHz*t+s.phLF) + s.aHF*math.Sin(2*math.Pi*s.fHF*t+s.phHF) + s.v
	s.phLF += 0.05 * s.rng.NormFloat64()
	s.phHF += 0.05 * s.rng.NormFloat64()
	return s.meanRR(t) * (1 + m)
}
