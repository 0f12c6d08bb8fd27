package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/ishne"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// synthLeads reads every sample of the WFDB record at rec.
func synthLeads(t *testing.T, rec string) (float64, [][]int32) {
	t.Helper()
	r, err := wfdb.Open(rec)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	info := r.Info()
	leads := make([][]int32, len(info.Leads))
	for i := range leads {
		leads[i] = make([]int32, info.NSamples)
	}
	if n, err := r.Read(leads, 0); err != nil || int64(n) != info.NSamples {
		t.Fatalf("read %d of %d samples: %v", n, info.NSamples, err)
	}
	return info.Fs, leads
}

// synthEDF writes the synth60 record's samples as an EDF file (1-s data
// records, 200 digital units per mV as in the WFDB header) and returns its path.
func synthEDF(t *testing.T, rec string) string {
	t.Helper()
	fs, leads := synthLeads(t, rec)
	spr := int(fs)
	s := edf.Spec{Start: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC), RecordDuration: 1, Records: int64(len(leads[0]) / spr)}
	for i := range leads {
		s.Signals = append(s.Signals, edf.SignalSpec{Label: "ECG " + string(rune('1'+i)), Dimension: "mV",
			PhysMin: -163.84, PhysMax: 163.835, DigMin: -32768, DigMax: 32767, Samples: spr})
	}
	recs := make([]edf.Record, s.Records)
	for k := range recs {
		for _, l := range leads {
			recs[k].Samples = append(recs[k].Samples, l[k*spr:(k+1)*spr])
		}
	}
	path := filepath.Join(t.TempDir(), "r.edf")
	if err := edf.WriteFile(path, s, recs); err != nil {
		t.Fatal(err)
	}
	return path
}

// synthISHNE writes the synth60 record's samples as an ISHNE Holter file
// (5000 nV per digital unit) and returns its path.
func synthISHNE(t *testing.T, rec string) string {
	t.Helper()
	fs, leads := synthLeads(t, rec)
	h := ishne.Header{FileVersion: 1, RecordDate: ishne.Date{Day: 5, Month: 3, Year: 2024}, FileDate: ishne.Date{Day: 5, Month: 3, Year: 2024},
		StartTime: ishne.Clock{Hour: 8, Minute: 30}, Recorder: "digital", Fs: int16(fs)}
	for range leads {
		h.Leads = append(h.Leads, ishne.LeadInfo{Spec: ishne.LeadII, Quality: ishne.QualityGood, Resolution: 5000})
	}
	path := filepath.Join(t.TempDir(), "r.ecg")
	if err := ishne.WriteFile(path, h, ishne.Patient{}, leads); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMessages drives the app's run function with arguments whose message
// used to be unclear, and checks exit status and what each message says.
func TestMessages(t *testing.T) {
	rec := fixtureCopy(t)
	edfPath, ecgPath := synthEDF(t, rec), synthISHNE(t, rec)
	missing := filepath.Join(t.TempDir(), "new", "anns")
	cases := []struct {
		name   string
		args   []string
		code   int
		says   []string // in stdout or stderr
		never  []string
		output string // a file the command must have written
	}{
		{name: "detect on EDF", args: []string{"detect", edfPath, "--out-ext", "qrs"}, code: 0,
			says: []string{"r.edf: ", " beats"}, never: []string{".hea"}, output: strings.TrimSuffix(edfPath, ".edf") + ".qrs"},
		{name: "detect on ISHNE", args: []string{"detect", ecgPath, "--out-ext", "qrs"}, code: 0,
			says: []string{"r.ecg: ", " beats"}, never: []string{".hea"}, output: strings.TrimSuffix(ecgPath, ".ecg") + ".qrs"},
		{name: "detect --out-dir creates the folder", args: []string{"detect", rec, "--out-dir", missing}, code: 0,
			says: []string{"-> " + filepath.Join(missing, "synth60.qrs")}, output: filepath.Join(missing, "synth60.qrs")},
		{name: "detect on a file of no record format", args: []string{"detect", filepath.Join("..", "go.mod")}, code: 1,
			says: []string{"not a record format ECG Station reads (WFDB .hea, EDF/EDF+ .edf, BDF .bdf, ISHNE .ecg)"}},
		{name: "eval on a record under 5 minutes", args: []string{"eval", "--test", "atr", rec}, code: 1,
			says: []string{"lasts 1m0s", "5-minute learning period", "Add --whole"}, never: []string{"window 37", "start 75000", "invalid comparison options"}},
		{name: "eval --whole on a record under 5 minutes", args: []string{"eval", "--test", "atr", "--whole", rec}, code: 0,
			says: []string{"WHOLE RECORD"}},
		{name: "annotate --threads -3", args: []string{"annotate", rec, "--threads", "-3"}, code: 2,
			says:  []string{"--threads -3: give the number of cores to use, 1 or more", "usage: ecgstation annotate RECORD"},
			never: []string{"usage: usage"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := run(c.args, &out, &errs)
			all := out.String() + errs.String()
			if code != c.code {
				t.Errorf("exit %d, want %d: %s", code, c.code, all)
			}
			for _, s := range c.says {
				if !strings.Contains(all, s) {
					t.Errorf("does not say %q:\n%s", s, all)
				}
			}
			for _, s := range c.never {
				if strings.Contains(all, s) {
					t.Errorf("says %q:\n%s", s, all)
				}
			}
			if c.output != "" {
				if anns, err := wfdb.ReadAnnotations(c.output); err != nil || len(anns) < 50 {
					t.Errorf("%s: %d annotations, %v", c.output, len(anns), err)
				}
			}
		})
	}
}

// TestLockMessage: a database another ECG Station program holds (here a
// command, not a window) is reported as in use by another program, with
// what to do, and never as "open in another window" alone.
func TestLockMessage(t *testing.T) {
	rec := fixtureCopy(t)
	path := filepath.Join(t.TempDir(), "labels.db")
	held, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	for _, args := range [][]string{
		{"annotate", rec, "--db", path, "--ort-lib", filepath.Join(t.TempDir(), "none.so")},
		{"import-ann", rec, "--ext", "atr", "--reader", "ana", "--db", path},
	} {
		t.Run(args[0], func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(args, &out, &errs); code != 1 {
				t.Errorf("exit %d, want 1: %s%s", code, out.String(), errs.String())
			}
			msg := errs.String()
			for _, s := range []string{"in use by another ECG Station program", "a command such as annotate", "wait for that command to finish"} {
				if !strings.Contains(msg, s) {
					t.Errorf("does not say %q:\n%s", s, msg)
				}
			}
			if strings.Contains(msg, "open in another ECG Station window") {
				t.Errorf("speaks only of a window:\n%s", msg)
			}
		})
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
