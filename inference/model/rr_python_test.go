package model

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainingRRAllFeatures checks that training/data.py's rr_features
// gives every feature a model may name exactly as the app computes it, on
// 12 minutes of beats (so rr_long's 150 s on each side is cut at both ends
// and moves through the middle): a normal rhythm, an irregular stretch,
// premature beats, a pause, and a rate change.
func TestTrainingRRAllFeatures(t *testing.T) {
	const py = "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Skipf("%s lacks numpy (apt-get install python3-numpy): %v\n%s", py, err, out)
	}
	const fs = 360.0
	peaks := longPeaks(fs)
	names := RRFeatureNames()
	want := pythonFeatures(t, py, peaks, fs, names)
	dst := make([]float32, len(names))
	fns := rrFuncsFor(names)
	for i := range peaks {
		rrFeatures(dst, fns, peaks, fs, i)
		for f, name := range names {
			if w, got := want[i][f], float64(dst[f]); math.Abs(got-w) > 1e-5*math.Max(1, math.Abs(w)) {
				t.Errorf("beat %d %s: app %g, training/data.py %g", i, name, got, w)
			}
		}
	}
}

// longPeaks returns R peaks at fs over about 12 minutes: 0.8 s beats, an
// irregular stretch, every 7th beat premature, a 2.5 s pause, then 0.6 s beats.
func longPeaks(fs float64) []int64 {
	r := rand.New(rand.NewPCG(1, 2))
	var peaks []int64
	t := 0.3
	for i := 0; t < 720; i++ {
		peaks = append(peaks, int64(math.Round(t*fs)))
		rr := 0.8
		switch {
		case t > 400:
			rr = 0.6
		case t > 300 && t < 302:
			rr = 2.5
		case t > 120 && t < 240:
			rr = 0.4 + 0.8*r.Float64()
		case i%7 == 6:
			rr = 0.5
		}
		t += rr
	}
	return peaks
}

// pythonFeatures runs training/data.py's rr_features on peaks and returns,
// per beat, the named features.
func pythonFeatures(t *testing.T, py string, peaks []int64, fs float64, names []string) [][]float64 {
	out := runDataPy(t, py, map[string]any{"peaks": peaks, "fs": fs, "names": names}, `
f = data.rr_features(np.array(a["peaks"]), a["fs"])
print(json.dumps(np.stack([f[n] for n in a["names"]], axis=1).tolist()))`)
	var rows [][]float64
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("training/data.py output: %v: %.200s", err, out)
	}
	if len(rows) != len(peaks) || len(rows[0]) != len(names) {
		t.Fatalf("training/data.py gave %d rows for %d peaks", len(rows), len(peaks))
	}
	return rows
}

// runDataPy runs script with training/data.py imported as data, numpy as
// np, json, and the JSON of in as a, and returns what it prints.
func runDataPy(t *testing.T, py string, in any, script string) []byte {
	b, _ := json.Marshal(in)
	cmd := exec.Command(py, "-c", "import json, sys\nimport numpy as np\nimport data\na = json.loads(sys.stdin.read())"+script)
	cmd.Dir = filepath.Join("..", "..", "training")
	cmd.Stdin = strings.NewReader(string(b))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("training/data.py: %v", err)
	}
	return out
}
