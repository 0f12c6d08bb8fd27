package synth

import (
	"math"
	"math/rand/v2"
)

// MaxLeads is the largest number of leads the generator draws.
const MaxLeads = 12

// vec is a vector in the body frame: x towards the patient's left, y
// inferior (towards the feet), z anterior. Dipoles are in mV.
type vec [3]float64

func (a vec) dot(b vec) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func (a vec) scale(k float64) vec { return vec{a[0] * k, a[1] * k, a[2] * k} }

// precordial returns the lead vector of a chest lead at angle deg from the
// patient's left towards the front in the horizontal plane, with gain g.
func precordial(deg, g float64) vec {
	r := deg * math.Pi / 180
	return vec{math.Cos(r), 0.15, math.Sin(r)}.scale(g)
}

// leadVectors holds each lead's direction and gain. The limb leads satisfy
// Einthoven's law (II = I + III) and the augmented leads are their exact
// combinations, so the synthetic leads are as dependent as real ones.
var leadVectors = map[string]vec{
	"I":   {1, 0, 0},
	"II":  {0.5, math.Sqrt(3) / 2, 0},
	"III": {-0.5, math.Sqrt(3) / 2, 0},
	"aVR": {-0.75, -math.Sqrt(3) / 4, 0},
	"aVL": {0.75, -math.Sqrt(3) / 4, 0},
	"aVF": {0, math.Sqrt(3) / 2, 0},
	"V1":  precordial(115, 1.1),
	"V2":  precordial(95, 1.5),
	"V3":  precordial(75, 1.6),
	"V4":  precordial(55, 1.5),
	"V5":  precordial(30, 1.3),
	"V6":  precordial(0, 1.0),
}

var (
	holterOrder   = []string{"II", "V1", "V5", "I", "III", "aVR", "aVL", "aVF", "V2", "V3", "V4", "V6"}
	standardOrder = []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}
)

// LeadNames returns the names of the n leads the generator draws: the
// Holter choice II, V1, V5, I, III, ... for fewer than 12 leads, and the
// standard order I, II, III, aVR, aVL, aVF, V1-V6 for 12.
func LeadNames(n int) []string {
	if n >= MaxLeads {
		return append([]string(nil), standardOrder...)
	}
	return append([]string(nil), holterOrder[:n]...)
}

// waveSpec is one Gaussian wave of a beat: centre t and width sigma in
// seconds relative to the R fiducial, dipole d in mV. Repolarisation waves
// (repol) stretch with sqrt(RR), like the QT interval (Bazett).
type waveSpec struct {
	t, sigma float64
	d        vec
	repol    bool
}

// The beat shapes. Sources for the intervals: PR 120-200 ms, QRS 80-100 ms
// (N) and 120-160 ms (V), QT about 400 ms at 60 bpm; amplitudes as in a
// normal adult ECG (R in II about 1.2 mV, P about 0.15 mV, T about 0.3 mV).
var (
	sinusP    = waveSpec{t: 0, sigma: 0.022, d: vec{0.06, 0.14, 0.03}}  // t set from RR
	ectopicP  = waveSpec{t: 0, sigma: 0.020, d: vec{0.05, -0.12, 0.06}} // low atrial: inverted in II
	normalQRS = []waveSpec{
		{t: -0.030, sigma: 0.008, d: vec{-0.12, -0.04, 0.18}}, // septal q (r in V1)
		{t: 0, sigma: 0.011, d: vec{0.75, 0.95, -0.35}},       // R
		{t: 0.030, sigma: 0.009, d: vec{-0.25, -0.2, -0.25}},  // terminal s
	}
	normalT = []waveSpec{
		{t: 0.25, sigma: 0.055, d: vec{0.128, 0.16, 0.08}, repol: true},
		{t: 0.30, sigma: 0.035, d: vec{0.072, 0.09, 0.045}, repol: true},
	}
	// ventricular foci: right ventricular outflow (LBBB-like, inferior axis)
	// and left ventricular (RBBB-like, superior axis). T is discordant.
	ventricular = [2][]waveSpec{
		{
			{t: -0.040, sigma: 0.018, d: vec{0.05, 0.25, -0.15}},
			{t: 0, sigma: 0.032, d: vec{0.4, 1.2, -0.7}},
			{t: 0.055, sigma: 0.022, d: vec{0.15, 0.2, -0.35}},
			{t: 0.30, sigma: 0.075, d: vec{-0.16, -0.45, 0.27}, repol: true},
		},
		{
			{t: -0.035, sigma: 0.018, d: vec{0.25, -0.1, 0.25}},
			{t: 0, sigma: 0.030, d: vec{-0.45, -1.0, 0.75}},
			{t: 0.050, sigma: 0.022, d: vec{-0.25, -0.15, 0.35}},
			{t: 0.30, sigma: 0.075, d: vec{0.17, 0.38, -0.3}, repol: true},
		},
	}
	// left posterior fascicular focus: small initial r, a QRS of about
	// 110 ms, a terminal rightward-anterior force (R' in V1: RBBB-like), a
	// superior axis, and a low discordant T.
	fascicular = []waveSpec{
		{t: -0.028, sigma: 0.009, d: vec{0.1, 0.05, 0.12}},
		{t: 0, sigma: 0.017, d: vec{0.7, 0.55, -0.3}},
		{t: 0.036, sigma: 0.013, d: vec{-0.3, -0.25, 0.35}},
		{t: 0.28, sigma: 0.065, d: vec{-0.06, -0.08, 0.05}, repol: true},
	}
	fWaveAxis       = vec{0.3, 0.45, 0.85} // f-waves are largest in V1 and the inferior leads
	flutterAxis     = vec{0.1, -0.9, 0.4}  // negative sawtooth in II, III, aVF
	fibrillationMix = 0.35                 // second-harmonic share of the f-wave
)

// patient holds one record's anatomy: the lead vectors seen through a random
// rotation and scale of the heart, and the dominant ventricular focus.
type patient struct {
	leads []vec // effective lead vectors: scale·Rᵀ·lead
	focus int   // dominant ventricular focus (0 or 1)
}

// newPatient draws a rotation of up to ±10° about each axis and a scale of
// 0.85-1.15, so that different seeds give different-looking patients.
func newPatient(names []string, rng *rand.Rand) *patient {
	p := &patient{focus: rng.IntN(2)}
	rot := rotation(rng)
	k := 0.85 + 0.3*rng.Float64()
	for _, n := range names {
		l := leadVectors[n]
		var e vec
		for a := range 3 {
			for b := range 3 {
				e[a] += rot[b][a] * l[b] // Rᵀ·l
			}
		}
		p.leads = append(p.leads, e.scale(k))
	}
	return p
}

// rotation returns Rz·Ry·Rx for random angles of up to ±10°.
func rotation(rng *rand.Rand) [3][3]float64 {
	ang := func() float64 { return (rng.Float64()*2 - 1) * 10 * math.Pi / 180 }
	ax, ay, az := ang(), ang(), ang()
	rx := [3][3]float64{{1, 0, 0}, {0, math.Cos(ax), -math.Sin(ax)}, {0, math.Sin(ax), math.Cos(ax)}}
	ry := [3][3]float64{{math.Cos(ay), 0, math.Sin(ay)}, {0, 1, 0}, {-math.Sin(ay), 0, math.Cos(ay)}}
	rz := [3][3]float64{{math.Cos(az), -math.Sin(az), 0}, {math.Sin(az), math.Cos(az), 0}, {0, 0, 1}}
	return matMul(rz, matMul(ry, rx))
}

func matMul(a, b [3][3]float64) (c [3][3]float64) {
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

// project returns the amplitude of dipole d in every lead, in mV.
func (p *patient) project(d vec, dst *[MaxLeads]float64) {
	for l, e := range p.leads {
		dst[l] = e.dot(d)
	}
}

// qrsPeakToPeak returns the peak-to-peak amplitude of the normal QRS in each
// lead, mV, sampled finely: the S of the NST signal-to-noise ratio.
func (p *patient) qrsPeakToPeak() []float64 {
	out := make([]float64, len(p.leads))
	for l, e := range p.leads {
		lo, hi := math.Inf(1), math.Inf(-1)
		for t := -0.08; t <= 0.08; t += 0.0005 {
			var v float64
			for _, w := range normalQRS {
				x := (t - w.t) / w.sigma
				v += e.dot(w.d) * math.Exp(-x*x/2)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		out[l] = hi - lo
	}
	return out
}
