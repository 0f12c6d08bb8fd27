package beatwin

import (
	"math"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// cutSignal cuts the window of an R peak at input sample r from the
// signal x(i), rounded to whole digital values, in raw units.
func cutSignal(c *Cutter, x func(i int) float64, r int) []float32 {
	src := make([]int32, c.Hi()-c.Lo()+1)
	for k := range src {
		src[k] = int32(math.Round(x(r + c.Lo() + k)))
	}
	dst := make([]float32, c.Len())
	c.Cut(dst, src, 0, 1)
	return dst
}

func sineAt(f, fs, amp float64) func(int) float64 {
	return func(i int) float64 { return amp * math.Sin(2*math.Pi*f*float64(i)/fs) }
}

// TestCut checks the filter bank: identity at equal rates, a constant stays
// exact, and sines resampled up and down match the sine sampled at the new
// rate. Tolerances: the inputs are rounded to whole values (0.5), and the
// Kaiser filter's pass band ripple is about 1e-3 of the amplitude (1 for
// amplitude 1000) below 0.3 of the lower rate.
func TestCut(t *testing.T) {
	cases := []struct {
		name        string
		fsIn, fsOut float64
		in          func(i int) float64
		want        func(sec float64) float64 // nil: the input samples themselves
		tol         float64
	}{
		{"identity 250", 250, 250, func(i int) float64 { return float64(i % 17) }, nil, 0},
		{"constant 360 to 180", 360, 180, func(int) float64 { return 1000 }, func(float64) float64 { return 1000 }, 1e-9},
		{"constant 128 to 180", 128, 180, func(int) float64 { return 1000 }, func(float64) float64 { return 1000 }, 1e-9},
		{"10 Hz 360 to 250", 360, 250, sineAt(10, 360, 1000), func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*10*s) }, 1},
		{"10 Hz 128 to 250", 128, 250, sineAt(10, 128, 1000), func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*10*s) }, 1},
		{"20 Hz 250 to 180", 250, 180, sineAt(20, 250, 1000), func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*20*s) }, 2},
		{"5 Hz 1000 to 360", 1000, 360, sineAt(5, 1000, 1000), func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*5*s) }, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const before, R = 90, 1000
			cut := New(c.fsIn, c.fsOut, before, 160)
			for j, v := range cutSignal(cut, c.in, R) {
				want := c.in(R + j - before)
				if c.want != nil {
					want = c.want(float64(R)/c.fsIn + float64(j-before)/c.fsOut)
				}
				if math.Abs(float64(v)-want) > c.tol+0.5 {
					t.Fatalf("out[%d] = %g, want %g", j, v, want)
				}
			}
		})
	}
}

// TestCutAntiAlias checks that a tone above the output's Nyquist frequency
// is removed rather than folded down: 150 Hz at 360 Hz would alias to
// 30 Hz at 180 Hz.
func TestCutAntiAlias(t *testing.T) {
	cut := New(360, 180, 90, 160)
	var peak float64
	for _, v := range cutSignal(cut, sineAt(150, 360, 1e6), 5000) {
		peak = max(peak, math.Abs(float64(v)))
	}
	db := 20 * math.Log10(peak/1e6)
	if db > -50 {
		t.Errorf("150 Hz tone after 360 to 180 Hz: %.1f dB, want below -50 dB", db)
	}
}

// TestCutUnits checks the conversion: (y - baseline) * scale, so a
// constant digital value v gives (v - baseline) / gain mV.
func TestCutUnits(t *testing.T) {
	lead := annotate.Lead{Units: "uV", Gain: 0.5, Baseline: 100}
	scale, ok := Scale(lead)
	if !ok || scale != 1e-3/0.5 {
		t.Fatalf("Scale(%+v) = %g, %v; want 0.002 mV per unit", lead, scale, ok)
	}
	cut := New(250, 180, 10, 10)
	src := make([]int32, cut.Hi()-cut.Lo()+1)
	for i := range src {
		src[i] = 600
	}
	dst := make([]float32, cut.Len())
	cut.Cut(dst, src, lead.Baseline, scale)
	for j, v := range dst {
		if math.Abs(float64(v)-1) > 1e-6 {
			t.Fatalf("out[%d] = %g mV, want 1 (500 units of 2 µV)", j, v)
		}
	}
}

func TestScale(t *testing.T) {
	cases := []struct {
		lead annotate.Lead
		want float64
		ok   bool
	}{
		{annotate.Lead{Units: "mV", Gain: 200}, 1.0 / 200, true},
		{annotate.Lead{Units: "V", Gain: 1000}, 1, true},
		{annotate.Lead{Units: "µV", Gain: 1}, 1e-3, true},
		{annotate.Lead{Units: "nV", Gain: 1}, 1e-6, true},
		{annotate.Lead{Units: "mmHg", Gain: 1}, 0, false},
		{annotate.Lead{Units: "mV", Gain: 0}, 0, false},
	}
	for _, c := range cases {
		got, ok := Scale(c.lead)
		if ok != c.ok || math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Scale(%q, gain %g) = %g, %v; want %g, %v", c.lead.Units, c.lead.Gain, got, ok, c.want, c.ok)
		}
	}
}

// TestReach checks Lo and Hi: at equal rates exactly the window; otherwise
// the filter's half-length T = 10/(2f) beyond it on each side.
func TestReach(t *testing.T) {
	cases := []struct {
		fsIn, fsOut    float64
		before, after  int
		wantLo, wantHi int
	}{
		{180, 180, 50, 76, -50, 75},
		{360, 180, 50, 76, -100 - 22, 150 + 22}, // T = 22.2 input samples
		{128, 180, 50, 76, -46, 64},             // p = -35.6 and 53.3, T = 11.1: whole k within T
	}
	for _, c := range cases {
		cut := New(c.fsIn, c.fsOut, c.before, c.after)
		if cut.Lo() != c.wantLo || cut.Hi() != c.wantHi || cut.Len() != c.before+c.after {
			t.Errorf("New(%v, %v, %d, %d): Lo %d Hi %d Len %d; want %d %d %d", c.fsIn, c.fsOut, c.before, c.after,
				cut.Lo(), cut.Hi(), cut.Len(), c.wantLo, c.wantHi, c.before+c.after)
		}
	}
}

func TestZScore(t *testing.T) {
	x := []float32{1, 2, 3, 4}
	ZScore(x)
	want := []float32{-1.3416408, -0.4472136, 0.4472136, 1.3416408} // (x-2.5)/sqrt(1.25)
	for i := range x {
		if math.Abs(float64(x[i]-want[i])) > 1e-6 {
			t.Fatalf("ZScore = %v, want %v", x, want)
		}
	}
	flat := []float32{3, 3, 3}
	ZScore(flat)
	for _, v := range flat {
		if v != 0 {
			t.Fatalf("flat line: %v, want zeros", flat)
		}
	}
}

func TestNewPanics(t *testing.T) {
	for _, c := range []struct{ fsIn, fsOut float64 }{{0, 180}, {180, math.NaN()}, {math.Inf(1), 180}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%v, %v, ...) did not panic", c.fsIn, c.fsOut)
				}
			}()
			New(c.fsIn, c.fsOut, 10, 10)
		}()
	}
}

// BenchmarkCut cuts one lead's window of the default beat model (50+76
// samples at 180 Hz) from 250 Hz and from 360 Hz.
func BenchmarkCut(b *testing.B) {
	for _, fs := range []float64{250, 360} {
		b.Run(map[float64]string{250: "250to180", 360: "360to180"}[fs], func(b *testing.B) {
			cut := New(fs, 180, 50, 76)
			src := make([]int32, cut.Hi()-cut.Lo()+1)
			dst := make([]float32, cut.Len())
			b.ReportAllocs()
			for b.Loop() {
				cut.Cut(dst, src, 0, 1)
			}
		})
	}
}

// TestMarkMissing: at equal rates a missing input sample makes exactly its
// own output sample NaN; resampled, it makes the outputs whose taps reach
// it NaN and leaves those far from it alone.
func TestMarkMissing(t *testing.T) {
	missing := func(v int32) bool { return v == annotate.InvalidWFDB }
	for _, c := range []struct {
		name        string
		fsIn, fsOut float64
	}{{"identity", 250, 250}, {"360 to 250", 360, 250}} {
		t.Run(c.name, func(t *testing.T) {
			cut := New(c.fsIn, c.fsOut, 90, 160)
			src := make([]int32, cut.Hi()-cut.Lo()+1)
			bad := -cut.Lo() + 20 // input sample 20 after R
			src[bad] = annotate.InvalidWFDB
			dst := make([]float32, cut.Len())
			cut.Cut(dst, src, 0, 1)
			cut.MarkMissing(dst, src, missing)
			at := 90 + int(math.Round(20*c.fsOut/c.fsIn)) // output sample nearest to it
			if !math.IsNaN(float64(dst[at])) || math.IsNaN(float64(dst[0])) || math.IsNaN(float64(dst[len(dst)-1])) {
				t.Fatalf("out[%d] = %g (want NaN), ends %g %g (want numbers)", at, dst[at], dst[0], dst[len(dst)-1])
			}
			nan := 0
			for _, v := range dst {
				if math.IsNaN(float64(v)) {
					nan++
				}
			}
			if c.fsIn == c.fsOut && nan != 1 {
				t.Errorf("%d NaN outputs at equal rates, want 1", nan)
			}
		})
	}
}
