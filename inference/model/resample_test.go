package model

import (
	"math"
	"testing"
)

// sine samples amplitude-1 sine of f Hz at fs for n samples.
func sine(f, fs float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Sin(2 * math.Pi * f * float64(i) / fs)
	}
	return x
}

// resample runs the resampler over a whole signal, the way windower does.
func resample(x []float64, fsIn, fsOut float64, n int) []float64 {
	r := newResampler(fsIn, fsOut)
	f := make([]float64, len(x))
	r.filter(f, x)
	out := make([]float64, n)
	for k := range out {
		out[k] = at(f, float64(k)*r.step)
	}
	return out
}

// TestResample compares resampled sines with sines sampled at the new
// rate directly, away from the ends. Tolerances: linear interpolation errs
// by at most (2πf/fsIn)²/8; the filter's pass band ripple is under 0.5 %.
func TestResample(t *testing.T) {
	cases := []struct {
		name           string
		f, fsIn, fsOut float64
		tol            float64
	}{
		{"same rate", 10, 360, 360, 1e-12},
		{"up 250 to 360, 5 Hz", 5, 250, 360, 0.002},
		{"up 128 to 360, 2 Hz", 2, 128, 360, 0.0025},
		{"down 360 to 250, 5 Hz", 5, 360, 250, 0.006},
		{"down 1000 to 360, 20 Hz", 20, 1000, 360, 0.006},
		{"down 500 to 250, 40 Hz", 40, 500, 250, 0.02},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := resample(sine(c.f, c.fsIn, int(4*c.fsIn)), c.fsIn, c.fsOut, int(3*c.fsOut))
			want := sine(c.f, c.fsOut, len(got))
			var worst float64
			for k := int(c.fsOut / 2); k < len(got); k++ {
				worst = max(worst, math.Abs(got[k]-want[k]))
			}
			if worst > c.tol {
				t.Errorf("largest error %.5f, want under %g", worst, c.tol)
			}
		})
	}
}

// TestResampleAntiAlias checks that a tone above the model's Nyquist
// frequency is removed rather than folded down: 150 Hz at 360 Hz would
// alias to 100 Hz at 250 Hz.
func TestResampleAntiAlias(t *testing.T) {
	got := resample(sine(150, 360, 3600), 360, 250, 2000)
	var peak float64
	for _, v := range got[250:1750] {
		peak = max(peak, math.Abs(v))
	}
	db := 20 * math.Log10(peak)
	t.Logf("150 Hz tone after 360 to 250 Hz: %.1f dB", db)
	if db > -40 {
		t.Errorf("150 Hz tone after 360 to 250 Hz: %.1f dB, want below -40 dB", db)
	}
}

func TestZScore(t *testing.T) {
	x := []float32{1, 2, 3, 4}
	zscore(x)
	want := []float32{-1.3416408, -0.4472136, 0.4472136, 1.3416408} // (x-2.5)/sqrt(1.25)
	for i := range x {
		if math.Abs(float64(x[i]-want[i])) > 1e-6 {
			t.Fatalf("zscore = %v, want %v", x, want)
		}
	}
	flat := []float32{3, 3, 3}
	zscore(flat)
	for _, v := range flat {
		if v != 0 {
			t.Fatalf("flat line: %v, want zeros", flat)
		}
	}
}
