package main

import (
	"bytes"
	"errors"
	"flag"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

var updateSynth = flag.Bool("update-synth", false, "rewrite testdata/synth from synth.Fixtures")

// TestSynthFixtures checks that the committed fixtures are exactly what the
// generator and the WFDB writer make today; -update-synth rewrites them
// (as does go generate ./app).
func TestSynthFixtures(t *testing.T) {
	dir := t.TempDir()
	if *updateSynth {
		dir = filepath.Join("..", "testdata", "synth")
	}
	var out bytes.Buffer
	if err := runSynth([]string{"--fixtures", dir}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, f := range synth.Fixtures() {
		for _, ext := range []string{".hea", ".dat", ".atr"} {
			got, err := os.ReadFile(filepath.Join(dir, f.Name+ext))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("..", "testdata", "synth", f.Name+ext))
			if err != nil {
				t.Fatalf("%v (run go test ./app -run TestSynthFixtures -update-synth)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s%s differs from the generator's output; rerun with -update-synth if the change is meant", f.Name, ext)
			}
			if len(want) > 100_000 {
				t.Errorf("%s%s is %d bytes, fixtures stay under 100 KB", f.Name, ext, len(want))
			}
		}
	}
}

// TestSynthCommand writes records with the command and checks each is
// what the generator makes from the Config the flags stand for: the
// realistic mix by default (the demo's settings, its episodes every 30
// min), plain sinus rhythm with --plain, the demo record with --demo.
func TestSynthCommand(t *testing.T) {
	mix := func(d time.Duration, edit func(*synth.Config)) func() synth.Config {
		return func() synth.Config {
			c := synth.Mix(d)
			edit(&c)
			return c
		}
	}
	tests := []struct {
		name   string
		args   []string
		format int
		want   func() synth.Config
	}{
		{"defaults: a minute of the mix", nil, 16, mix(time.Minute, func(*synth.Config) {})},
		{"the mix over 45 min: ten episodes", []string{"--duration", "45m"}, 16, mix(45*time.Minute, func(c *synth.Config) {
			if len(c.Events) != 10 {
				t.Errorf("the mix has %d episodes in 45 min, want 10", len(c.Events))
			}
		})},
		{"the mix around an --event", []string{"--duration", "12m", "--event", "VT@8m+5s", "--seed", "3"}, 16, mix(12*time.Minute, func(c *synth.Config) {
			c.Seed = 3 // the AF episode 6-9 min gives way to the VT run; the VT run at 10:30 stays
			c.Events = []synth.Event{{Rhythm: "VT", At: 8 * time.Minute, Length: 5 * time.Second}, c.Events[1]}
		})},
		{"plain", []string{"--plain"}, 16, synth.Default},
		{"plain, 212 with arrhythmias", []string{"--plain", "--format", "212", "--fs", "360", "--leads", "3", "--seed", "9", "--pvc-rate", "600",
			"--event", "afib@20s+20s", "--event", "PAUSE@50s+3s", "--emg", "0.01"}, 212, func() synth.Config {
			c := synth.Default()
			c.Fs, c.Leads, c.Seed, c.PVC.PerHour, c.ADCBits, c.Noise.EMG = 360, 3, 9, 600, 12, 0.01
			c.Events = []synth.Event{{Rhythm: "AFIB", At: 20 * time.Second, Length: 20 * time.Second}, {Rhythm: "PAUSE", At: 50 * time.Second, Length: 3 * time.Second}}
			return c
		}},
		{"demo base, 10 min", []string{"--demo", "--duration", "10m"}, 16, func() synth.Config {
			c := synth.Demo()
			c.Duration = 10 * time.Minute
			c.Events = c.Events[:1] // the AF episode; the others start later
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "rec")
			var out bytes.Buffer
			if err := runSynth(append([]string{"--out", path}, tt.args...), &out, &out); err != nil {
				t.Fatalf("synth: %v\n%s", err, out.String())
			}
			checkSynthRecord(t, path, tt.want())
		})
	}
}

// checkSynthRecord opens the written record, verifies its checksums, and
// compares samples and annotations with what the generator makes.
func checkSynthRecord(t *testing.T, path string, cfg synth.Config) {
	t.Helper()
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Verify(); err != nil {
		t.Errorf("checksums: %v", err)
	}
	got := make([][]int32, len(samples))
	for l := range got {
		got[l] = make([]int32, info.NSamples)
	}
	if n, err := r.Read(got, 0); err != nil || int64(n) != info.NSamples || !reflect.DeepEqual(got, samples) {
		t.Errorf("read %d samples (err %v), want the generator's %d", n, err, info.NSamples)
	}
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	var beats, rhythm int
	for i, a := range anns {
		if p := anns[max(i-1, 0)]; i > 0 && (a.Sample < p.Sample || (a.Sample == p.Sample && a.Num <= p.Num)) {
			t.Fatalf("annotation %d %+v after %+v: not in WFDB order (by sample, then num)", i, a, p)
		}
		if a.Code.IsBeat() {
			if ann.Beats[beats].Sample != a.Sample || ann.Beats[beats].Code != a.Code {
				t.Fatalf("beat %d: file has %s at %d, generator %s at %d", beats, a.Code, a.Sample, ann.Beats[beats].Code, ann.Beats[beats].Sample)
			}
			beats++
		}
		if a.Code == annotate.Rhythm {
			rhythm++
		}
	}
	if beats != len(ann.Beats) || rhythm < 1 {
		t.Errorf("file has %d beats and %d rhythm changes, generator %d beats", beats, rhythm, len(ann.Beats))
	}
}

func TestSynthCommandErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x")
	tests := []struct {
		name string
		args []string
		env  string
	}{
		{"no --out", []string{"--duration", "10s"}, "x"},
		{"bad duration", []string{"--out", out, "--duration", "3 days"}, "x"},
		{"15 days", []string{"--out", out, "--duration", "15d"}, "x"},
		{"fs 50", []string{"--out", out, "--fs", "50"}, "x"},
		{"format 8", []string{"--out", out, "--format", "8"}, "x"},
		{"bad number", []string{"--out", out, "--hr", "fast"}, "x"},
		{"bad event", []string{"--out", out, "--event", "AFIB at 10s"}, "x"},
		{"unknown rhythm", []string{"--out", out, "--event", "SVT@1s+5s"}, "x"},
		{"SVT rate 90", []string{"--out", out, "--event", "SVTA@1s+5s", "--svt-rate", "90"}, "x"},
		{"extra argument", []string{"--out", out, "extra"}, "x"},
		{"demo and plain", []string{"--out", out, "--demo", "--plain"}, "x"},
		{"noise without ECGDATA", []string{"--out", out, "--noise", "bw"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("ECGDATA", tt.env)
			var buf bytes.Buffer
			err := runSynth(tt.args, &buf, &buf)
			if !errors.Is(err, errUsage) {
				t.Fatalf("got %v, want a usage error", err)
			}
		})
	}
}

// TestSynthRealNoise mixes the MIT-BIH NST noise records in on the NST
// schedule at 0 dB and checks the noisy stretches are annotated.
func TestSynthRealNoise(t *testing.T) {
	ecgdata.Dir(t, "", filepath.Join("noise", "bw.hea")) // runSynth reads the noise records from ECGDATA
	path := filepath.Join(t.TempDir(), "nst")
	var out bytes.Buffer
	args := []string{"--out", path, "--plain", "--duration", "10m", "--noise", "bw,ma", "--noise-snr", "0", "--noise-nst"}
	if err := runSynth(args, &out, &out); err != nil {
		t.Fatal(err)
	}
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	var noise []int64
	for _, a := range anns {
		if a.Code == annotate.NoiseAnn {
			noise = append(noise, a.Sample)
		}
	}
	// 10 min: noisy from 5:00 to 7:00 and from 9:00 to the end (no mark is
	// written at the record's end, sample 150000: the stretch lasts to it).
	if len(noise) != 3 || noise[0] != 300*250 {
		t.Errorf("noise annotations at %v, want 3 starting at sample 75000", noise)
	}
	info := annotate.RecordInfo{Fs: 250, NSamples: 600 * 250, Leads: make([]annotate.Lead, 2)}
	if l := wfdb.ToLabels(anns, info, annotate.Provenance{}); len(l.Noise) != 2 || l.Noise[1].End != info.NSamples {
		t.Errorf("noise read back %+v, want 2 stretches, the last to the record's end", l.Noise)
	}
	if !strings.Contains(out.String(), "noise stretches 2") {
		t.Errorf("summary %q", out.String())
	}
}
