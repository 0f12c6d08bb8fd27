package qrs_test

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestMarksOnPeak checks where the detector puts its marks on the DS1
// records: within 20 ms of the reference mark for at least 95% of the N
// beats and 80% of the V beats it finds (qrs@1, before the move to the raw
// peak, managed 71% and 39%), since the beat model is trained on windows
// centred on the reference marks.
func TestMarksOnPeak(t *testing.T) {
	dir := mitdb(t)
	near, found := map[annotate.Class]int{}, map[annotate.Class]int{}
	for _, name := range []string{"101", "106", "108", "109", "112", "114", "115", "116", "118", "119", "122",
		"124", "201", "203", "205", "207", "208", "209", "215", "220", "223", "230"} {
		offsets := markOffsets(t, dir+"/"+name)
		for k, offs := range offsets {
			for _, d := range offs {
				found[k]++
				if d >= -0.020 && d <= 0.020 {
					near[k]++
				}
			}
		}
	}
	for _, c := range []struct {
		k    annotate.Class
		want float64
	}{{annotate.ClassN, 0.95}, {annotate.ClassV, 0.80}} {
		if got := float64(near[c.k]) / float64(found[c.k]); got < c.want {
			t.Errorf("%s: %.1f%% of %d found beats within 20 ms of the reference, want %.0f%%", c.k, 100*got, found[c.k], 100*c.want)
		}
	}
}

// markOffsets returns, per class, the offsets in seconds from each
// reference beat to the nearest detected beat within 150 ms.
func markOffsets(t *testing.T, path string) map[annotate.Class][]float64 {
	det, anns, info := detectWithRef(t, path)
	fs := info.Fs
	out := map[annotate.Class][]float64{}
	for _, a := range anns {
		k := a.Code.Class()
		if k == annotate.ClassNone {
			continue
		}
		j, _ := slices.BinarySearchFunc(det, a.Sample, func(b annotate.Beat, s int64) int { return int(b.Sample - s) })
		best := 1.0
		for _, c := range []int{j - 1, j} {
			if c >= 0 && c < len(det) {
				if d := float64(det[c].Sample-a.Sample) / fs; abs(d) < abs(best) {
					best = d
				}
			}
		}
		if abs(best) <= 0.150 {
			out[k] = append(out[k], best)
		}
	}
	return out
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
