package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocExample runs the loading example of docs/export-format.md on an
// export of the test fixture written to ds1/; without torch installed it
// runs with torch.from_numpy replaced by np.asarray, as the page says.
func TestDocExample(t *testing.T) {
	py := python(t)
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "export-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Loading it\n\n```python\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/export-format.md has no python block under \"Loading it\"")
	}
	code := string(m[1])
	if n := strings.Count(strings.TrimSpace(code), "\n") + 1; n != 5 {
		t.Errorf("the example has %d lines, the page promises five", n)
	}
	if exec.Command(py, "-c", "import torch").Run() != nil {
		code = strings.NewReplacer("import numpy as np, torch", "import numpy as np", "torch.from_numpy", "np.asarray").Replace(code)
	}
	f := newFixture(t)
	o := DefaultOptions()
	o.Split = [3]float64{1, 0, 0}
	if _, err := Export(f.db, filepath.Join(f.dir, "ds1"), o); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", code)
	cmd.Dir = f.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the documented example fails: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "'N', 'S', 'V', 'F', 'Q'") {
		t.Errorf("example printed %s", out)
	}
	t.Logf("example output: %s", out)
}
