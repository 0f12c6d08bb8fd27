package figures

import (
	"math"
	"testing"
)

func TestMeanNoisePct(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name  string
		noise []float64
		want  float64
	}{
		{"two leads", []float64{3, 1}, 2},
		{"one lead", []float64{7.5}, 7.5},
		{"no leads", nil, nan},
		{"unknown length", []float64{nan, nan}, nan},
	} {
		r := Row{NoisePct: c.noise}
		if got := r.MeanNoisePct(); got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: mean noise %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPlotKindsNamed(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range PlotKinds {
		if k.Name == "" || k.Title == "" || seen[k.Name] {
			t.Errorf("plot kind %+v: empty or repeated", k)
		}
		seen[k.Name] = true
	}
}
