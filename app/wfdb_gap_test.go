package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// gapRecord writes synth60 again as format 212 with both leads not stored
// (212's invalid value, -2048) in samples [a, b), and returns its path.
func gapRecord(t *testing.T, a, b int) string {
	t.Helper()
	sig, info, err := wfdb.ReadAll(filepath.Join("..", "testdata", "synth", "synth60"))
	if err != nil {
		t.Fatal(err)
	}
	for l := range sig {
		for k := a; k < b; k++ {
			sig[l][k] = -2048
		}
	}
	dir := t.TempDir()
	if err := wfdb.WriteRecord(dir, "gap", info, 212, sig); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "gap")
}

// TestAnnotateWFDBGap: a record with 5 s not stored in the middle. The
// detector reads the baseline there, not -32768 (about -163 mV), so no
// beat is placed inside the gap or on its edges, and quality marks the
// flat stretch as noise (beats there are not read); dump -p prints "-" for
// the missing samples and the stored ones as before.
func TestAnnotateWFDBGap(t *testing.T) {
	const a, b = 5000, 6250 // 20 s to 25 s at 250 Hz
	rec := gapRecord(t, a, b)
	var out, errs bytes.Buffer
	args := []string{"annotate", rec, "--ort-lib", "/nonexistent/libonnxruntime.so", "--out-ext", "p"}
	if code := run(args, &out, &errs); code != exitWithoutModels {
		t.Fatalf("annotate: exit %d: %s", code, errs.String())
	}
	anns, err := wfdb.ReadAnnotations(rec + ".p")
	if err != nil {
		t.Fatal(err)
	}
	beats, noiseAt := 0, map[int64]bool{}
	for _, an := range anns {
		if an.Code == annotate.NoiseAnn {
			noiseAt[an.Sample] = true
		}
		if !an.Code.IsBeat() {
			continue
		}
		beats++
		if an.Sample >= a-10 && an.Sample < b+10 {
			t.Errorf("beat %v at sample %d, in the missing stretch [%d, %d)", an.Code, an.Sample, a, b)
		}
	}
	if !noiseAt[a] || !noiseAt[b] {
		t.Errorf("noise annotations at %v, want the stretch [%d, %d) marked unreadable", noiseAt, a, b)
	}
	if beats < 50 {
		t.Errorf("%d beats in the 55 s stored, want the record's beats", beats)
	}
	got, stderr, code := runCmd(t, "dump", rec, "--from", "4999", "--to", "5001", "--physical")
	if code != 0 || !strings.HasSuffix(got, "5000\t-\t-\n") || strings.HasPrefix(got, "4999\t-") {
		t.Errorf("dump: exit %d, out %q (stderr %q), want sample 5000 as - and 4999 stored", code, got, stderr)
	}
}
