package dsp

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// The analytic magnitudes of the package comment, written from the analog
// prototypes and the bilinear transform's frequency warping, not from the
// sections' coefficients.
func butterLP2(f, fc, fs float64) float64 {
	return 1 / (1 + math.Pow(warp(f, fs)/warp(fc, fs), 4))
}

func butterHP2(f, fc, fs float64) float64 {
	return 1 / (1 + math.Pow(warp(fc, fs)/warp(f, fs), 4))
}

func notchMag(f, f0, q, fs float64) float64 {
	r := warp(f, fs) / warp(f0, fs)
	return math.Abs(1-r*r) / math.Hypot(1-r*r, r/q)
}

// designCase is one display design: the section, and its forward-backward
// magnitude |H(f)|^2 from the analog prototype with the corner moved as
// the package comment says.
type designCase struct {
	name string
	sec  func(fs float64) Biquad
	want func(f, fs float64) float64 // zero-phase magnitude
}

var designs = []designCase{
	{"HP 0.5 Hz", func(fs float64) Biquad { return ZeroPhaseHighPass(0.5, fs) },
		func(f, fs float64) float64 { return butterHP2(f, unwarp(warp(0.5, fs)*zeroPhaseShift, fs), fs) }},
	{"LP 40 Hz", func(fs float64) Biquad { return ZeroPhaseLowPass(40, fs) },
		func(f, fs float64) float64 { return butterLP2(f, unwarp(warp(40, fs)/zeroPhaseShift, fs), fs) }},
	{"notch 50 Hz", func(fs float64) Biquad { return Notch(50, 30, fs) },
		func(f, fs float64) float64 { return math.Pow(notchMag(f, 50, 30, fs), 2) }},
	{"notch 60 Hz", func(fs float64) Biquad { return Notch(60, 30, fs) },
		func(f, fs float64) float64 { return math.Pow(notchMag(f, 60, 30, fs), 2) }},
}

// testFreqs are the frequencies every design is checked at, Hz.
var testFreqs = []float64{0.05, 0.5, 5, 50, 60, 100}

// TestDesignResponse checks each section's response, from its
// coefficients, squared for the forward-backward pass, against the
// analytic magnitude, at 250 and 360 Hz.
func TestDesignResponse(t *testing.T) {
	for _, fs := range []float64{250, 360} {
		for _, d := range designs {
			s := d.sec(fs)
			for _, f := range testFreqs {
				got := math.Pow(cmplx.Abs(s.Response(f, fs)), 2)
				if want := d.want(f, fs); math.Abs(got-want) > 1e-9 {
					t.Errorf("fs %g, %s at %g Hz: |H|^2 = %.12f, analytic %.12f", fs, d.name, f, got, want)
				}
			}
		}
	}
}

// TestCorners checks the gains that name the display filters: -3 dB at the
// corners of the zero-phase high- and low-pass, nothing at the notch's
// frequency, and what passes well inside the band.
func TestCorners(t *testing.T) {
	cases := []struct {
		name     string
		sec      Biquad
		f, fs    float64
		want     float64 // |H|^2, forward-backward
		tol      float64
		describe string
	}{
		{"HP corner", ZeroPhaseHighPass(0.5, 250), 0.5, 250, 1 / math.Sqrt2, 1e-9, "-3 dB at 0.5 Hz"},
		{"LP corner", ZeroPhaseLowPass(40, 250), 40, 250, 1 / math.Sqrt2, 1e-9, "-3 dB at 40 Hz"},
		{"LP corner 360", ZeroPhaseLowPass(40, 360), 40, 360, 1 / math.Sqrt2, 1e-9, "-3 dB at 40 Hz"},
		{"notch centre", Notch(50, 30, 250), 50, 250, 0, 1e-12, "mains removed"},
		{"HP passes 5 Hz", ZeroPhaseHighPass(0.5, 250), 5, 250, 1, 1e-3, "QRS and T untouched"},
		{"LP passes 5 Hz", ZeroPhaseLowPass(40, 250), 5, 250, 1, 1e-4, "QRS and T untouched"},
		{"notch passes 5 Hz", Notch(50, 30, 250), 5, 250, 1, 1e-4, "QRS and T untouched"},
		{"HP stops 0.05 Hz", ZeroPhaseHighPass(0.5, 250), 0.05, 250, 0, 1e-3, "baseline wander gone"},
		{"LP DC", ZeroPhaseLowPass(40, 250), 0, 250, 1, 1e-12, "DC kept"},
	}
	for _, c := range cases {
		g := math.Pow(cmplx.Abs(c.sec.Response(c.f, c.fs)), 2)
		if math.Abs(g-c.want) > c.tol {
			t.Errorf("%s (%s): |H|^2 = %g, want %g ± %g", c.name, c.describe, g, c.want, c.tol)
		}
	}
}

// TestFiltFiltSines runs FiltFilt over long sines and measures the
// amplitude left in the middle of the block (least squares on whole
// periods), against the analytic zero-phase magnitude; the phase must be
// zero.
func TestFiltFiltSines(t *testing.T) {
	const fs = 250.0
	for _, d := range designs {
		for _, f := range testFreqs {
			if f >= fs/2 {
				continue
			}
			n := int(fs * max(240, 12/f)) // the middle third holds whole periods
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Sin(2*math.Pi*f*float64(i)/fs + 0.3)
			}
			FiltFilt(x, d.sec(fs))
			amp, ph := fitSine(x[n/3:2*n/3], f, fs, n/3)
			want := d.want(f, fs)
			if math.Abs(amp-want) > 2e-3 {
				t.Errorf("%s, %g Hz sine: amplitude %.5f, analytic %.5f", d.name, f, amp, want)
			}
			if want > 0.05 && math.Abs(ph-0.3) > 2e-3 {
				t.Errorf("%s, %g Hz sine: phase %.5f, want 0.3 (zero phase)", d.name, f, ph)
			}
		}
	}
}

// fitSine returns the amplitude and phase of the sine at f Hz in x, whose
// first sample is sample off of the signal, by least squares over the
// whole periods x holds.
func fitSine(x []float64, f, fs float64, off int) (amp, phase float64) {
	per := fs / f
	m := int(math.Floor(float64(len(x))/per) * per)
	if m == 0 {
		m = len(x)
	}
	var s, c float64
	for i := range m {
		w := 2 * math.Pi * f * float64(i+off) / fs
		s += x[i] * math.Sin(w)
		c += x[i] * math.Cos(w)
	}
	s, c = 2*s/float64(m), 2*c/float64(m)
	return math.Hypot(s, c), math.Atan2(c, s)
}

// TestChainMargin filters blocks of a signal with steps, spikes and drift
// with the chain's margin either side and checks they match the whole
// signal filtered at once, within the settling tolerance of the steps.
func TestChainMargin(t *testing.T) {
	const fs = 250.0
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, int(120*fs))
	for i := range x {
		tm := float64(i) / fs
		x[i] = 300*math.Sin(2*math.Pi*0.2*tm) + 40*math.Sin(2*math.Pi*50*tm) + 20*rng.NormFloat64()
		if i%int(fs) < 20 { // a 1000-unit "QRS" every second
			x[i] += 1000
		}
	}
	c := NewChain(ZeroPhaseHighPass(0.5, fs), Notch(50, 30, fs), ZeroPhaseLowPass(40, fs))
	m := c.Margin()
	if m < int(fs) || m > int(10*fs) {
		t.Fatalf("margin %d samples (%.1f s), want a few seconds", m, float64(m)/fs)
	}
	whole := append([]float64(nil), x...)
	c.Filter(whole)
	for _, a := range []int{int(20 * fs), int(50 * fs), int(90 * fs)} {
		b := a + int(10*fs)
		blk := append([]float64(nil), x[a-m:b+m]...)
		c.Filter(blk)
		worst := 0.0
		for i := a; i < b; i++ {
			worst = max(worst, math.Abs(blk[i-a+m]-whole[i]))
		}
		if worst > 1000*3*settleTol {
			t.Errorf("block at %gs: differs from the whole by %.3f units (steps of 1000)", float64(a)/fs, worst)
		}
	}
}

// TestSettle checks a constant block passes the low-pass and the notch
// unchanged and the high-pass removes it, with no start-up ringing.
func TestSettle(t *testing.T) {
	for _, d := range designs {
		s := d.sec(250)
		x := make([]float64, 500)
		for i := range x {
			x[i] = 1234
		}
		FiltFilt(x, s)
		want := 1234 * s.DCGain() * s.DCGain()
		for i, v := range x {
			if math.Abs(v-want) > 1e-6 {
				t.Fatalf("%s: constant 1234 gave %g at sample %d, want %g", d.name, v, i, want)
			}
		}
	}
}

// BenchmarkChain filters a 70,000-sample block (4.7 min at 250 Hz, one
// lead of the widest strip view the display filters run on) with the
// three display sections, forward and backward.
func BenchmarkChain(b *testing.B) {
	const fs = 250.0
	c := NewChain(ZeroPhaseHighPass(0.5, fs), Notch(50, 30, fs), ZeroPhaseLowPass(40, fs))
	x := make([]float64, 70_000)
	for i := range x {
		x[i] = math.Sin(float64(i) / 7)
	}
	b.SetBytes(int64(len(x) * 8))
	for b.Loop() {
		c.Filter(x)
	}
}
