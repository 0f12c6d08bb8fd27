package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noiseCSV writes a segment-like tidy table: noise_pct by device for
// patients of 3 to 12 segments, a patient effect of SD 2.
func noiseCSV(t *testing.T) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(23, 3))
	var b strings.Builder
	b.WriteString("record,patient,device,segment,noise_pct\n")
	devices := []string{"mitdb", "svdb"}
	for p := range 16 {
		u := rng.NormFloat64() * 2
		dev := devices[p%2]
		for s := range 3 + rng.IntN(10) {
			noise := 4 + u + 1.5*float64(p%2) + rng.NormFloat64()
			fmt.Fprintf(&b, "r%d,p%d,%s,%d,%.4f\n", p, p, dev, s, noise)
		}
	}
	b.WriteString("r99,p99,svdb,0,\n") // no figure: dropped
	path := filepath.Join(t.TempDir(), "segments.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestArchiveFit(t *testing.T) {
	csv := noiseCSV(t)
	for _, c := range []struct {
		name  string
		args  []string
		say   []string // parts of the output, or of the error
		usage bool
	}{
		{"REML", []string{"--csv", csv, "--y", "noise_pct", "--fixed", "device", "--group", "patient"},
			[]string{"Mixed Linear Model Regression Results", "Method:              REML", "No. Groups:        16", "device[T.svdb]", "Group Var", "1 rows dropped"}, false},
		{"ML, default group", []string{"--csv", csv, "--y", "noise_pct", "--fixed", "device", "--ml"},
			[]string{"Method:              ML", "Intercept"}, false},
		{"C() of a numeric column", []string{"--csv", csv, "--y", "noise_pct", "--fixed", "device, C(segment)"},
			[]string{"C(segment)[T.1]", "C(segment)[T.11]"}, false},
		{"unknown column", []string{"--csv", csv, "--y", "noise", "--fixed", "device"},
			[]string{`no such column "noise": the table has record, patient, device, segment, noise_pct`}, false},
		{"no y", []string{"--csv", csv}, []string{"usage"}, true},
		{"no file", []string{"--csv", filepath.Join(t.TempDir(), "none.csv"), "--y", "noise_pct"}, []string{"no such file"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := runArchive(append([]string{"fit"}, c.args...), &out, &errOut) // as "ecgstation archive fit ..."
			got := out.String()
			if err != nil {
				got = err.Error()
			}
			if c.usage != errors.Is(err, errUsage) {
				t.Errorf("err = %v, usage error wanted: %v", err, c.usage)
			}
			for _, s := range c.say {
				if !strings.Contains(got, s) {
					t.Errorf("output lacks %q:\n%s", s, got)
				}
			}
		})
	}
}
