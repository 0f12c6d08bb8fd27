package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// writeRamp writes a 2-lead, 100 Hz WFDB record of n frames whose lead 0
// holds i and lead 1 holds -2i at frame i, with a beat annotation every 50
// samples and one rhythm change, and returns the record path (no .hea).
func writeRamp(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	info := annotate.RecordInfo{Name: "ramp", Fs: 100, Leads: []annotate.Lead{
		{Name: "I", Units: "mV", Gain: 200, ADCRes: 16},
		{Name: "II", Units: "mV", Gain: 100, Baseline: 10, ADCRes: 16},
	}}
	w, err := wfdb.Create(dir, "ramp", info, 16)
	if err != nil {
		t.Fatal(err)
	}
	l0, l1 := make([]int32, n), make([]int32, n)
	for i := range l0 {
		l0[i], l1[i] = int32(i), int32(-2*i)
	}
	if err := w.Write([][]int32{l0, l1}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	anns := []wfdb.Annotation{{Sample: 0, Code: annotate.Rhythm, Aux: "(N"}}
	for s := int64(25); s < int64(n); s += 50 {
		anns = append(anns, wfdb.Annotation{Sample: s, Code: annotate.Normal})
	}
	var buf bytes.Buffer
	if err := wfdb.WriteAnnotations(&buf, anns); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ramp.atr"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "ramp")
}

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestInfoJSON(t *testing.T) {
	rec := writeRamp(t, 1000)
	out, stderr, code := runCmd(t, "info", rec, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got infoOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("info --json is not JSON: %v\n%s", err, out)
	}
	if got.Format != "WFDB" || got.Fs != 100 || got.Samples != 1000 || got.DurationSeconds != 10 {
		t.Errorf("info = %+v, want WFDB 100 Hz 1000 samples 10 s", got)
	}
	if len(got.Leads) != 2 || got.Leads[1].Name != "II" || got.Leads[1].Baseline != 10 {
		t.Errorf("leads = %+v", got.Leads)
	}
	if got.Reference != "atr" || got.Beats != 20 || got.Episodes != 1 {
		t.Errorf("reference %q: %d beats %d episodes, want atr 20 1", got.Reference, got.Beats, got.Episodes)
	}
}

func TestDump(t *testing.T) {
	rec := writeRamp(t, 1000)
	cases := []struct {
		name string
		args []string
		want string // whole output
	}{
		{"samples", []string{"--from", "3", "--to", "5"}, "3\t3\t-6\n4\t4\t-8\n"},
		{"clock", []string{"--from", "0:00:01", "--to", "101"}, "100\t100\t-200\n"},
		{"channels", []string{"--from", "7", "--to", "8", "--channels", "1"}, "7\t-14\n"},
		{"physical", []string{"--from", "10", "--to", "11", "--physical"}, "10\t0.050\t-0.300\n"},
		{"to clipped at end", []string{"--from", "999", "--to", "5000"}, "999\t999\t-1998\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, append([]string{"dump", rec}, c.args...)...)
			if code != 0 || out != c.want {
				t.Errorf("dump %v: exit %d, out %q (stderr %q), want %q", c.args, code, out, stderr, c.want)
			}
		})
	}
}

func TestDumpErrors(t *testing.T) {
	rec := writeRamp(t, 100)
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no record", []string{"dump"}, 2, "usage"},
		{"bad channel", []string{"dump", rec, "--channels", "5"}, 2, "lead"},
		{"bad time", []string{"dump", rec, "--from", "x:y"}, 2, "neither a sample number"},
		{"reversed", []string{"dump", rec, "--from", "50", "--to", "10"}, 2, "reversed"},
		{"missing file", []string{"dump", rec + "-nope"}, 1, "nope"},
		{"not a record", []string{"info", writeJunk(t)}, 1, "not a record format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, c.args...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d stderr %q, want exit %d mentioning %q", code, stderr, c.code, c.msg)
			}
		})
	}
}

func writeJunk(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "junk.bin")
	if err := os.WriteFile(p, []byte("hello, not an ECG"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseTime(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"1500", 1500, true}, {"1:00", 15000, true}, {"1:00:00", 900000, true},
		{"2.5", 625, true}, {"2.5s", 625, true}, {"0:0:1.004", 251, true},
		{"", 0, false}, {"a", 0, false}, {"1:2:3:4", 0, false}, {"-1:00", 0, false},
	}
	for _, c := range cases {
		got, err := parseTime(c.in, 250)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseTime(%q) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}
