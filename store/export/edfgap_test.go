package export

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
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

// TestEDFMissingSamples: a WFDB record with missing samples exports as
// EDF+ with the lead's baseline (0 mV) there, not the digital minimum
// (about -163 mV to an EDF reader), and one "signal missing" TAL with the
// stretch's onset and duration.
func TestEDFMissingSamples(t *testing.T) {
	dir := t.TempDir()
	rec := writeGapWFDB(t, dir, 1000, 1250)
	db := openDB(t, t.TempDir())
	if _, err := ImportAnnotations(db, rec, "atr", "alice", testNow); err != nil {
		t.Fatal(err)
	}
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
