package export

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/ishne"
)

var testNow = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func openDB(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// edfFixture is a temporary folder with a label database and a 20 s EDF+
// record, rec.edf, of 2 leads at 250 Hz.
func edfFixture(t testing.TB) (dir string, db *store.DB, path string) {
	t.Helper()
	dir = t.TempDir()
	db, path = openDB(t, dir), filepath.Join(dir, "rec.edf")
	writeEDF(t, path, 250, 20, "X X X X", "Startdate X X X X", time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC))
	return dir, db, path
}

// testSample is the digital value of lead l at sample i of the test records.
func testSample(i, l int) int32 { return int32((i*37+l*500)%1000 - 500) }

// writeEDF writes an EDF+ record of secs seconds at fs Hz, 2 leads, with
// the patient and recording fields given (PHI for the PHI test).
func writeEDF(t testing.TB, path string, fs, secs int, patient, recording string, start time.Time) {
	t.Helper()
	sig := edf.SignalSpec{Label: "ECG II", Dimension: "mV", PhysMin: -3.2768, PhysMax: 3.2767, DigMin: -32768, DigMax: 32767, Samples: fs}
	sig2 := sig
	sig2.Label = "ECG V5"
	spec := edf.Spec{Plus: true, Patient: patient, Recording: recording, Start: start, RecordDuration: 1,
		Records: int64(secs), Signals: []edf.SignalSpec{sig, sig2}}
	recs := make([]edf.Record, secs)
	for r := range recs {
		recs[r].Samples = [][]int32{make([]int32, fs), make([]int32, fs)}
		for l := range 2 {
			for k := range fs {
				recs[r].Samples[l][k] = testSample(r*fs+k, l)
			}
		}
	}
	if err := edf.WriteFile(path, spec, recs); err != nil {
		t.Fatal(err)
	}
}

// writeISHNE writes an ISHNE record of n samples at fs Hz, 2 leads.
func writeISHNE(t testing.TB, path string, fs, n int, p ishne.Patient, date ishne.Date, clock ishne.Clock) {
	t.Helper()
	h := ishne.Header{FileVersion: 1, RecordDate: date, FileDate: date, StartTime: clock, Fs: int16(fs),
		Leads: []ishne.LeadInfo{{Spec: ishne.LeadII, Quality: 1, Resolution: 2500}, {Spec: ishne.LeadV5, Quality: 1, Resolution: 2500}}}
	leads := [][]int32{make([]int32, n), make([]int32, n)}
	for l := range leads {
		for i := range n {
			leads[l][i] = testSample(i, l)
		}
	}
	if err := ishne.WriteFile(path, h, p, leads); err != nil {
		t.Fatal(err)
	}
}

// putLabels registers the record at path and merges labels in as reader's.
func putLabels(t testing.TB, db *store.DB, path string, reader annotate.ReaderID, ls annotate.LabelSet) annotate.RecordID {
	t.Helper()
	id, info, err := RegisterRecord(db, path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Merge(db, Incoming{Record: id, Name: info.Name, Reader: reader, Labels: ls, From: "test"}, testNow)
	if err != nil || len(res.Conflicts) > 0 {
		t.Fatalf("put labels: %v %v", err, res.Conflicts)
	}
	return id
}

// readerBeat is a beat a reader set.
func readerBeat(s int64, c annotate.Code, who string) annotate.Beat {
	return annotate.Beat{Sample: s, Code: c, Prov: annotate.Provenance{Source: annotate.SourceReader, Who: who}, Review: annotate.Changed}
}

// modelBeat is an unreviewed model suggestion.
func modelBeat(s int64, c annotate.Code) annotate.Beat {
	return annotate.Beat{Sample: s, Code: c, Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@2", Confidence: 0.75}}
}

// python returns the path of a python3 with numpy, or skips the test.
func python(t testing.TB) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s with numpy not available (apt-get install python3-numpy): %v", py, err)
	}
	return py
}

func runPython(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	py := python(t)
	f := filepath.Join(t.TempDir(), "check.py")
	if err := os.WriteFile(f, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, append([]string{f}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	return out
}
