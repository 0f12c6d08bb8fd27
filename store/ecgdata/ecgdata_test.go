package ecgdata

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDir checks the folder returned when the data is there, and the skips
// when it is not (run as subtests, whose skip does not end this test).
func TestDir(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "mitdb"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "mitdb", "100.hea"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, env, sub, probe string
		skip                  bool
	}{
		{"present", root, "mitdb", "100.hea", false},
		{"the folder itself", root, "", "", false},
		{"unset", "", "mitdb", "100.hea", true},
		{"no such record", root, "mitdb", "999.hea", true},
		{"no such folder", root, "noise", "", true},
	}
	for _, c := range cases {
		t.Setenv(Env, c.env)
		var got string
		ran := t.Run(c.name, func(t *testing.T) { got = Dir(t, c.sub, c.probe) })
		if c.skip && got != "" {
			t.Errorf("%s: returned %q, want a skip", c.name, got)
		}
		if !c.skip && (!ran || got != filepath.Join(root, c.sub)) {
			t.Errorf("%s: returned %q, want %q", c.name, got, filepath.Join(root, c.sub))
		}
	}
}

// TestStudy: a study runs only with its gate set, and skips with the data
// missing even when the gate is set.
func TestStudy(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "REFERENCE.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, gate, probe string
		run               bool
	}{
		{"gate set", "1", "REFERENCE.csv", true},
		{"gate unset", "", "REFERENCE.csv", false},
		{"gate set, data missing", "1", "nothing.csv", false},
	}
	for _, c := range cases {
		t.Setenv(Env, root)
		t.Setenv("ECGSTATION_STUDY_TEST", c.gate)
		var got string
		ran := false
		t.Run(c.name, func(t *testing.T) {
			got = Study(t, "ECGSTATION_STUDY_TEST", "", c.probe, "run it")
			ran = true
		})
		if ran != c.run || (c.run && got != root) || (!c.run && got != "") {
			t.Errorf("%s: ran %v, returned %q", c.name, ran, got)
		}
	}
}
