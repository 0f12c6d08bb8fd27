package synth

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestFascicularOrigin: OriginFascicular changes the shape of the V beats
// only: the same seed gives the same beats and codes (a V beat's annotated
// peak may move with its shape) and the same samples away from V beats, and the fascicular QRS (lead II, 20% to 80% of the
// beat's energy) is narrower than the outflow one and wider than a normal
// QRS.
func TestFascicularOrigin(t *testing.T) {
	cfg := Default()
	cfg.Duration, cfg.Seed = 2*time.Minute, 4
	cfg.PVC = Ectopy{PerHour: 600}
	_, out, annOut, err := Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.PVCOrigin = OriginFascicular
	_, fas, annFas, err := Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(annOut.Beats) != len(annFas.Beats) {
		t.Fatalf("%d beats, fascicular %d", len(annOut.Beats), len(annFas.Beats))
	}
	for i, b := range annOut.Beats {
		f := annFas.Beats[i]
		if f.Code != b.Code || (b.Code != annotate.PVC && f.Sample != b.Sample) {
			t.Fatalf("beat %d: %s at %d, fascicular %s at %d", i, b.Code, b.Sample, f.Code, f.Sample)
		}
	}
	near := make([]bool, len(out[0]))
	var wN, wOut, wFas []float64
	for _, b := range annOut.Beats {
		switch b.Code {
		case annotate.PVC:
			for s := max(0, b.Sample-100); s < min(int64(len(near)), b.Sample+250); s++ {
				near[s] = true
			}
			wOut, wFas = append(wOut, qrsWidth(out[0], b.Sample)), append(wFas, qrsWidth(fas[0], b.Sample))
		case annotate.Normal:
			wN = append(wN, qrsWidth(out[0], b.Sample))
		}
	}
	for s := range near {
		if !near[s] && out[0][s] != fas[0][s] {
			t.Fatalf("sample %d, away from V beats, differs", s)
		}
	}
	n, o, f := median(wN), median(wOut), median(wFas)
	t.Logf("median QRS energy width, samples at 250 Hz: N %.0f, outflow V %.0f, fascicular V %.0f", n, o, f)
	if len(wOut) < 5 || !(n < f && f < o) {
		t.Errorf("QRS widths: N %.0f, fascicular %.0f, outflow %.0f (%d V beats)", n, f, o, len(wOut))
	}
}

// qrsWidth returns the samples between 20% and 80% of the energy of the
// derivative of x within 60 ms of the R peak at r (250 Hz): a width that
// ignores the P and T waves.
func qrsWidth(x []int32, r int64) float64 {
	var e []float64
	total := 0.0
	for s := r - 15; s < r+15; s++ {
		d := float64(x[s+1] - x[s])
		total += d * d
		e = append(e, total)
	}
	lo, _ := slices.BinarySearch(e, 0.2*total)
	hi, _ := slices.BinarySearch(e, 0.8*total)
	return float64(hi - lo)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(v))
	return s[len(s)/2]
}
