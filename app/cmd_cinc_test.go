package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// cincFolder makes a CinC-style folder from the committed synthetic
// record synth60 (labelled N) and REFERENCE.csv text.
func cincFolder(t *testing.T, reference string) string {
	t.Helper()
	dir := t.TempDir()
	for _, ext := range []string{".hea", ".dat"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "synth", "synth60"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "synth60"+ext), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "REFERENCE.csv"), []byte(reference), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCinCBeatsSynthetic checks that every beat the detector finds is one
// row with the record's label, and that the beats are the detector's.
func TestCinCBeatsSynthetic(t *testing.T) {
	dir := cincFolder(t, "synth60,N\n")
	_, b := cincBeatsOf(t, dir)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	beats, _, _, err := detectRecordAt(filepath.Join(dir, "synth60"))
	if err != nil {
		t.Fatal(err)
	}
	if lines[0] != cincBeatsHeader || len(lines) != len(beats)+1 {
		t.Fatalf("%d lines (header %q) for %d beats", len(lines), lines[0], len(beats))
	}
	ref, err := wfdb.ReadAnnotations(filepath.Join("..", "testdata", "synth", "synth60.atr"))
	if err != nil {
		t.Fatal(err)
	}
	if abs(len(beats)-len(ref)) > len(ref)/20 {
		t.Errorf("%d beats detected, the reference has %d annotations", len(beats), len(ref))
	}
	if !strings.HasPrefix(lines[1], "synth60,N,") {
		t.Errorf("first row %q", lines[1])
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestCinCBeatsErrors(t *testing.T) {
	cases := []struct {
		name string
		args func(dir string) []string
		want string
	}{
		{"no folder", func(string) []string { return []string{"--out", "x.csv"} }, "usage"},
		{"no out", func(dir string) []string { return []string{dir} }, "usage"},
		{"negative limit", func(dir string) []string { return []string{dir, "--out", "x.csv", "--limit", "-1"} }, "usage"},
		{"no reference", func(string) []string { return []string{t.TempDir(), "--out", "x.csv"} }, "REFERENCE.csv"},
		{"missing record", func(string) []string {
			return []string{cincFolder(t, "synth60,N\nA09999,A\n"), "--out", filepath.Join(t.TempDir(), "x.csv")}
		}, "A09999"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			err := runCinCBeats(c.args(cincFolder(t, "synth60,N\n")), &out, &out)
			switch {
			case err == nil:
				t.Fatal("no error")
			case c.want == "usage" && !errors.Is(err, errUsage):
				t.Errorf("err = %v, want a usage error", err)
			case c.want != "usage" && !strings.Contains(err.Error(), c.want):
				t.Errorf("err = %v, want it to name %s", err, c.want)
			}
		})
	}
}

// TestCinCBeatsReal runs the command on the first records of CinC 2017.
func TestCinCBeatsReal(t *testing.T) {
	dir := ecgdata.Dir(t, "cinc2017", "REFERENCE.csv")
	out := filepath.Join(t.TempDir(), "beats.csv")
	var stdout bytes.Buffer
	if err := runCinCBeats([]string{dir, "--out", out, "--limit", "5"}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// A00001 is 30 s of normal rhythm at about 78 beats/min.
	n := strings.Count(string(b), "\nA00001,N,300,9000,")
	if n < 30 || n > 50 {
		t.Errorf("A00001: %d beats in 30 s", n)
	}
	if !strings.Contains(stdout.String(), "5 records") {
		t.Errorf("summary %q", stdout.String())
	}
}

// TestCinCBeatsPython checks that training/cinc.py reads back exactly the
// beats and labels cinc-beats wrote, a record without beats included.
func TestCinCBeatsPython(t *testing.T) {
	const py = "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Skipf("%s lacks numpy (apt-get install python3-numpy): %v\n%s", py, err, out)
	}
	dir := cincFolder(t, "synth60,O\n")
	out, b := cincBeatsOf(t, dir)
	// A second record whose detector found nothing: one row, beat -1.
	b = append(b, "empty,~,300,9000,30.000,-1,0\n"...)
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	script := `import sys, json, cinc
print(json.dumps([[r["name"], r["label"], r["fs"], r["samples"], r["noise_s"], [int(p) for p in r["peaks"]]] for r in cinc.load(sys.argv[1])]))`
	cmd := exec.Command(py, "-c", script, out)
	cmd.Dir = filepath.Join("..", "training")
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("training/cinc.py: %v", err)
	}
	var recs [][]any
	if err := json.Unmarshal(got, &recs); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	beats, _, _, err := detectRecordAt(filepath.Join(dir, "synth60"))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "synth60" || recs[0][1] != "O" || recs[1][0] != "empty" || len(recs[1][5].([]any)) != 0 {
		t.Fatalf("records %v", recs)
	}
	peaks := recs[0][5].([]any)
	if len(peaks) != len(beats) {
		t.Fatalf("python read %d beats, the detector found %d", len(peaks), len(beats))
	}
	for i, p := range peaks {
		if int64(p.(float64)) != beats[i].Sample {
			t.Fatalf("beat %d: python %v, detector %d", i, p, beats[i].Sample)
		}
	}
}

// cincBeatsOf runs cinc-beats on the CinC-style folder dir and returns the
// CSV file it wrote and its bytes.
func cincBeatsOf(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "beats.csv")
	var stdout bytes.Buffer
	if err := runCinCBeats([]string{dir, "--out", out}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return out, b
}
