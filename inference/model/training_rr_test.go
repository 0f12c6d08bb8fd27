package model_test

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestTrainingRRFeatures checks that training/data.py computes the RR
// features exactly as the app feeds them to the default rhythm model: a model
// trained on features that differ from the app's would be wrong at once.
// The peaks include a first and last beat, a premature beat, a pause and
// two beats closer than 10 to either end.
func TestTrainingRRFeatures(t *testing.T) {
	const py = "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Skipf("%s lacks numpy (apt-get install python3-numpy): %v\n%s", py, err, out)
	}
	env := newEnv(t)
	m := loadModel(t, env, "RHYTHM_MODEL", "rhythm.onnx")
	meta := m.Meta()
	peaks := []int64{100, 400, 690, 990, 1200, 1590, 1880, 2190, 2480, 2775, 3900, 4190, 4480,
		4770, 5070, 5200, 5650, 5940, 6230, 6520, 6830, 7100, 7400, 7690, 7990, 8300, 8590,
		8880, 9170, 9470, 9760, 10050, 10350, 10640, 10930, 11220}
	const fs = 360.0
	starts := []int{0, len(peaks) - meta.Segment}
	b, err := m.PrepareRhythm(&annotate.MemSignal{Meta: annotate.RecordInfo{Name: "peaks", Fs: fs}}, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	want := pythonRR(t, py, peaks, fs, meta.RRFeatures)
	nf := len(meta.RRFeatures)
	for j, s := range starts {
		for k := 0; k < meta.Segment; k++ {
			for f, name := range meta.RRFeatures {
				got := float64(b.RR[(j*meta.Segment+k)*nf+f])
				if w := want[s+k][f]; math.Abs(got-w) > 1e-5*math.Max(1, math.Abs(w)) {
					t.Errorf("beat %d %s: app %g, training/data.py %g", s+k, name, got, w)
				}
			}
		}
	}
}

// pythonRR runs training/data.py's rr_features on peaks and returns, per
// beat, the named features.
func pythonRR(t *testing.T, py string, peaks []int64, fs float64, names []string) [][]float64 {
	in, _ := json.Marshal(map[string]any{"peaks": peaks, "fs": fs, "names": names})
	script := `import json, sys
import numpy as np
import data
a = json.loads(sys.argv[1])
f = data.rr_features(np.array(a["peaks"]), a["fs"])
print(json.dumps(np.stack([f[n] for n in a["names"]], axis=1).tolist()))`
	cmd := exec.Command(py, "-c", script, string(in))
	cmd.Dir = filepath.Join("..", "..", "training")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("training/data.py: %v", err)
	}
	var rows [][]float64
	if err := json.Unmarshal([]byte(strings.TrimSpace(string(out))), &rows); err != nil {
		t.Fatalf("training/data.py output: %v: %s", err, out)
	}
	if len(rows) != len(peaks) {
		t.Fatalf("training/data.py gave %d rows for %d peaks", len(rows), len(peaks))
	}
	return rows
}
