package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/store"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"none", nil, "ecgstation (no build information) "},
		{"devel", &debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Version: "(devel)"}}, "ecgstation (devel) go1.26"},
		{"vcs", &debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Version: "v1.2.0"},
			Settings: vcs("vcs.revision", "0123456789abcdef0123", "vcs.time", "2026-12-07T03:00:00Z", "vcs.modified", "true")},
			"ecgstation v1.2.0 (commit 0123456789ab, 2026-12-07T03:00:00Z, modified) go1.26"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := buildVersion(c.bi); !strings.HasPrefix(got, c.want) {
				t.Errorf("buildVersion = %q, want %q", got, c.want)
			}
		})
	}
}

// TestVersionAndHelp drives --version and help COMMAND through run.
func TestVersionAndHelp(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want []string // substrings of stdout
	}{
		{[]string{"--version"}, 0, []string{"ecgstation ", "built-in model beat.onnx: ecgstation-beat@", "built-in model rhythm.onnx: ecgstation-rhythm@"}},
		{[]string{"version"}, 0, []string{"built-in model beat.onnx"}},
		{[]string{"help", "dump"}, 0, []string{"ecgstation dump: samples", "-physical", "-full-precision"}},
		{[]string{"help", "export"}, 0, []string{"-format", "edf"}},
		{[]string{"help", "nope"}, 2, []string{`unknown command "nope"`, "usage: ecgstation"}},
		{[]string{"help"}, 0, []string{"version", "help COMMAND"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, stderr, code := runCmd(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestInfoHash: info --hash prints the record's id as the label database
// and exports know it (store.HashRecord).
func TestInfoHash(t *testing.T) {
	rec := writeRamp(t, 1000)
	out, stderr, code := runCmd(t, "info", rec, "--hash")
	id, err := store.HashRecord(rec)
	if code != 0 || err != nil || !strings.Contains(out, "id         "+string(id)+"\n") {
		t.Errorf("exit %d (%s), err %v: info --hash lacks id %s:\n%s", code, stderr, err, id, out)
	}
}
