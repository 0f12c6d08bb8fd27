package export

import (
	"archive/zip"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// writeGapWFDB writes a 10 s two-lead format-212 record at 250 Hz whose
// lead 0 is not stored (format 212's invalid value) in samples [gapA, gapB),
// with a beat every 200 samples in NAME.atr. It returns the record's path.
func writeGapWFDB(t *testing.T, dir string, gapA, gapB int) string {
	t.Helper()
	info := annotate.RecordInfo{Fs: 250}
	for _, n := range []string{"MLII", "V1"} {
		info.Leads = append(info.Leads, annotate.Lead{Name: n, Units: "mV", Gain: 200, Baseline: 5, ADCRes: 12})
	}
	rng := rand.New(rand.NewPCG(3, 1))
	sig := [][]int32{make([]int32, 2500), make([]int32, 2500)}
	for l := range sig {
		for k := range sig[l] {
			sig[l][k] = int32(rng.IntN(401)) - 200
		}
	}
	for k := gapA; k < gapB; k++ {
		sig[0][k] = -2048
	}
	if err := wfdb.WriteRecord(dir, "gap", info, 212, sig); err != nil {
		t.Fatal(err)
	}
	var anns []wfdb.Annotation
	for s := int64(100); s < 2500; s += 200 {
		anns = append(anns, wfdb.Annotation{Sample: s, Code: annotate.Normal})
	}
	writeAnns(t, filepath.Join(dir, "gap.atr"), anns)
	return filepath.Join(dir, "gap")
}

// gapDB writes writeGapWFDB's record in dir, missing [1000, 1250), and
// imports its labels into a new database.
func gapDB(t *testing.T, dir string) *store.DB {
	t.Helper()
	rec := writeGapWFDB(t, dir, 1000, 1250)
	db := openDB(t, t.TempDir())
	if _, err := ImportAnnotations(db, rec, "atr", "alice", testNow); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestEDFMissingSamples: a WFDB record with missing samples exports as
// EDF+ with the lead's baseline (0 mV) there, not the digital minimum
// (about -163 mV to an EDF reader), and one "signal missing" TAL with the
// stretch's onset and duration.
func TestEDFMissingSamples(t *testing.T) {
	dir := t.TempDir()
	db := gapDB(t, dir)
	f, err := edf.Open(filepath.Join(exportEDF(t, db, dir), "gap.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := [][]int32{make([]int32, 2500), make([]int32, 2500)}
	if _, err := f.Read(got, 0); err != nil {
		t.Fatal(err)
	}
	for k := 1000; k < 1250; k++ {
		if v := f.Info().Leads[0].Physical(got[0][k]); v != 0 {
			t.Fatalf("missing sample %d reads as %g mV in the EDF+ file, want 0", k, v)
		}
	}
	anns, err := f.Annotations()
	if err != nil {
		t.Fatal(err)
	}
	var gaps []edf.Annotation
	for _, a := range anns {
		if a.Text == edfSignalMissing {
			gaps = append(gaps, a)
		}
	}
	if len(gaps) != 1 || gaps[0].Onset != 4 || gaps[0].Duration != 1 {
		t.Errorf("signal-missing TALs %+v, want one at 4 s lasting 1 s", gaps)
	}
}

// npyFloat32 reads the float32 array name from the .npz file at path.
func npyFloat32(t *testing.T, path, name string) []float32 {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open(name + ".npy")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil || len(b) < 10 || string(b[1:6]) != "NUMPY" {
		t.Fatalf("%s in %s: not an .npy array (%v)", name, path, err)
	}
	off := 10 + int(binary.LittleEndian.Uint16(b[8:10]))
	if b[6] >= 2 {
		off = 12 + int(binary.LittleEndian.Uint32(b[8:12]))
	}
	out := make([]float32, (len(b)-off)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[off+4*i:]))
	}
	return out
}

// TestNPZMissingSamples: in beats.npz the windows over the missing stretch
// hold NaN for the missing lead, never a value from -32768 (about -163 mV
// at gain 200), and the other lead stays finite.
func TestNPZMissingSamples(t *testing.T) {
	dir := t.TempDir()
	db := gapDB(t, dir)
	out, o := filepath.Join(dir, "ds"), DefaultOptions()
	if _, err := Export(db, out, o); err != nil {
		t.Fatal(err)
	}
	x := npyFloat32(t, filepath.Join(out, "beats.npz"), "x")
	W := o.samplesBefore() + o.samplesAfter()
	nan := 0
	for i, v := range x {
		lead := i / W % 2
		switch {
		case math.IsNaN(float64(v)) && lead == 0:
			nan++
		case math.IsNaN(float64(v)) || v < -20:
			t.Fatalf("x[%d] (lead %d) is %g", i, lead, v)
		}
	}
	if nan == 0 {
		t.Error("no NaN in the windows of the beats over the missing stretch")
	}
}
