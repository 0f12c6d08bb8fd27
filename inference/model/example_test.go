package model

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// python is the interpreter with Debian's torch and onnx (SETUP-NOTES.md:
// another python3 earlier on PATH may lack them).
const python = "/usr/bin/python3"

// TestContractDocShowsScripts checks that docs/model-contract.md shows
// the example and the metadata writer exactly as they are in training/.
func TestContractDocShowsScripts(t *testing.T) {
	doc, err := os.ReadFile("../../docs/model-contract.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"example_export.py", "contract.py"} {
		src, err := os.ReadFile(filepath.Join("../../training", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), "```python\n"+string(src)+"```") {
			t.Errorf("docs/model-contract.md does not show training/%s as it is; copy the file into the page", f)
		}
	}
	for _, k := range append(RequiredKeys, KeyRRFeatures, KeyName, KeyTemplateBeats, KeyBeatWindow, TrainPrefix) {
		if !strings.Contains(string(doc), "`"+k) {
			t.Errorf("docs/model-contract.md does not document %s", k)
		}
	}
	for _, n := range RRFeatureNames() {
		if !strings.Contains(string(doc), "| `"+n+"` |") {
			t.Errorf("docs/model-contract.md does not define RR feature %s", n)
		}
	}
}

// TestExampleExport runs the documented PyTorch example and checks that
// the app loads the model it writes and classifies beats with it.
func TestExampleExport(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the PyTorch export (about 10 s)")
	}
	env := testEnv(t)
	if out, err := exec.Command(python, "-c", "import torch, onnx").CombinedOutput(); err != nil {
		t.Skipf("%s lacks torch or onnx (apt-get install python3-torch python3-onnx, or make deps-train): %v\n%s", python, err, out)
	}
	path := filepath.Join(t.TempDir(), "beat.onnx")
	script, _ := filepath.Abs("../../training/example_export.py")
	cmd := exec.Command(python, script, path)
	cmd.Dir = t.TempDir()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", python, script, err, out)
	}
	m, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if id := m.Meta().ID(); id != "example-beat@0.1.0" || m.Meta().Train["options"] == "" {
		t.Errorf("metadata: %s, train %v", id, m.Meta().Train)
	}
	sig, peaks := beatRecord(250, 0.8, 20, "MLII", "V1")
	res, err := m.ClassifyBeats(sig, peaks, []int{0, 5, len(peaks) - 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 3 || res.EmbDim != 16 {
		t.Errorf("result: %d rows, embedding %d", res.N, res.EmbDim)
	}
}
