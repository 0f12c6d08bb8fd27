package stats

import (
	"math"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// at returns one beat per symbol of codes at the given samples.
func at(codes string, samples ...int64) []annotate.Beat {
	out := beats(codes, 0, 1)
	for i := range out {
		out[i].Sample = samples[i]
	}
	return out
}

// TestComputeHRV checks the Task Force measures on RR lists worked out by
// hand (fs 100, so a sample is 10 ms; SDs divide by n). Each case was also
// checked with numpy on the same NN list and successive differences:
//
//	/usr/bin/python3.11 -c "import numpy as np; nn=np.array([...]); d=np.array([...]);
//	  print(np.std(nn), np.sqrt(np.mean(d**2)), 100*np.mean(np.abs(d)>50))"
//
// which prints the same SDNN, RMSSD and pNN50 (and np.std of the segment
// means, np.mean of the segment SDs for the two-segment case).
func TestComputeHRV(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                             string
		beats                            []annotate.Beat
		noise                            []annotate.Noise
		sdnn, sdann, index, rmssd, pnn50 float64
		nn, diffs, over, segs            int
	}{
		// NN 800 1000 800 1000: mean 900, every deviation 100 -> SDNN 100;
		// differences +200 -200 +200 -> RMSSD 200, pNN50 3/3; one segment.
		{"alternating", at("NNNNN", 0, 80, 180, 260, 360), nil, 100, nan, 100, 200, 100, 4, 3, 3, 1},
		// NN 1000 800 | 1200 1000 (segment boundary at sample 30000):
		// segment means 900 and 1100 -> SDANN 100; segment SDs 100 and 100 ->
		// SDNN index 100. All four: mean 1000, deviations 0 -200 200 0 ->
		// SDNN sqrt(80000/4) = 141.42. Differences -200 +400 -200 ->
		// RMSSD sqrt(240000/3) = 282.84, pNN50 3/3.
		{"two segments", at("NNNNN", 29800, 29900, 29980, 30100, 30200), nil, 141.4214, 100, 100, 282.8427, 100, 4, 3, 3, 2},
		// RR 800 900 600(N-V) 1000(V-N) 700 800: NN 800 900 700 800, mean
		// 800 -> SDNN sqrt(20000/4) = 70.71. Differences only 900-800 and
		// 800-700 (not across the V beat) -> RMSSD 100, pNN50 2/2.
		{"ectopic excluded", at("NNNVNNN", 0, 80, 170, 230, 330, 400, 480), nil, 70.7107, nan, 70.7107, 100, 100, 4, 2, 2, 1},
		// RR 800 900 800 800, a lead-0 noise mark over the third: NN 800
		// 900 800, mean 833.3 -> SDNN sqrt(6666.7/3) = 47.14; one difference
		// (+100): the fourth interval is not adjacent to the second.
		{"noise excluded", at("NNNNN", 0, 80, 170, 250, 330), []annotate.Noise{{Start: 190, End: 200, Lead: 0}},
			47.1405, nan, 47.1405, 100, 100, 3, 1, 1, 1},
		// NN 800 850 800 860: mean 827.5 -> SDNN sqrt(3075/4) = 27.73;
		// differences +50 -50 +60 -> RMSSD sqrt(8600/3) = 53.54; only 60 is
		// over 50 ms -> pNN50 1/3 = 33.33.
		{"pNN50 threshold", at("NNNNN", 0, 80, 165, 245, 331), nil, 27.7263, nan, 27.7263, 53.5413, 33.3333, 4, 3, 1, 1},
		{"one interval", at("NN", 0, 80), nil, nan, nan, nan, nan, nan, 1, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ComputeHRV(tt.beats, fs, tt.noise)
			got := []float64{h.SDNN, h.SDANN, h.SDNNIndex, h.RMSSD, h.PNN50}
			want := []float64{tt.sdnn, tt.sdann, tt.index, tt.rmssd, tt.pnn50}
			for i := range got {
				if math.IsNaN(want[i]) != math.IsNaN(got[i]) || math.Abs(got[i]-want[i]) > 1e-3 {
					t.Errorf("SDNN, SDANN, SDNN index, RMSSD, pNN50 = %v, want %v", got, want)
					break
				}
			}
			if c, w := [4]int{h.NN, h.Diffs, h.Over50, h.Segments}, [4]int{tt.nn, tt.diffs, tt.over, tt.segs}; c != w {
				t.Errorf("NN, diffs, over 50, segments = %v, want %v", c, w)
			}
		})
	}
}
