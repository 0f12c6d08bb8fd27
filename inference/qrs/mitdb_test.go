package qrs_test

import (
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

var (
	mitdbAll = strings.Fields("100 101 102 103 104 105 106 107 108 109 111 112 113 114 115 116 117 118 119 121 122 123 124 " +
		"200 201 202 203 205 207 208 209 210 212 213 214 215 217 219 220 221 222 223 228 230 231 232 233 234")
	paced = strings.Fields("102 104 107 217")
)

func mitdb(t testing.TB) string {
	return ecgdata.Dir(t, "mitdb", "100.hea")
}

// detectWithRef runs the detector over the record at path and reads its
// reference annotations.
func detectWithRef(t testing.TB, path string) ([]annotate.Beat, []wfdb.Annotation, annotate.RecordInfo) {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	return beats, anns, rec.Info()
}

func scoreRecord(t testing.TB, dir, name string) *eval.Result {
	beats, anns, info := detectWithRef(t, filepath.Join(dir, name))
	ref := make([]eval.Annotation, len(anns))
	for i, a := range anns {
		ref[i] = eval.Annotation{Sample: a.Sample, Code: a.Code, Sub: a.Sub, Aux: a.Aux}
	}
	res, err := eval.Compare(name, ref, eval.FromBeats(beats), eval.DefaultOptions(info.Fs, info.NSamples))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMITBIH runs the detector on all 48 MIT-BIH Arrhythmia records and
// checks the gross EC57 figures against the targets of issue 3: Se and +P
// both at least 99.8%.
func TestMITBIH(t *testing.T) {
	dir := mitdb(t)
	var all, nonPaced []*eval.Result
	for _, r := range mitdbAll {
		res := scoreRecord(t, dir, r)
		all = append(all, res)
		if !slices.Contains(paced, r) {
			nonPaced = append(nonPaced, res)
		}
	}
	s := eval.Summarize(all)
	t.Logf("48 records: TP %d FN %d FP %d  gross Se %.3f +P %.3f  average Se %.3f +P %.3f",
		s.Counts.TP, s.Counts.FN, s.Counts.FP, s.Se, s.PP, s.AvgSe, s.AvgPP)
	n := eval.Summarize(nonPaced)
	t.Logf("44 non-paced: TP %d FN %d FP %d  gross Se %.3f +P %.3f  average Se %.3f +P %.3f",
		n.Counts.TP, n.Counts.FN, n.Counts.FP, n.Se, n.PP, n.AvgSe, n.AvgPP)
	if s.Se < 99.8 {
		t.Errorf("gross Se %.3f%% < 99.8%%", s.Se)
	}
	if s.PP < 99.8 {
		t.Errorf("gross +P %.3f%% < 99.8%%", s.PP)
	}
}

// BenchmarkDetect measures detection of record 100 (650000 samples x 2
// leads) from memory; BenchmarkDecode measures decoding the same record
// from its file, the baseline for the ratio.
func BenchmarkDetect(b *testing.B) {
	dir := mitdb(b)
	rec, err := wfdb.Open(filepath.Join(dir, "100"))
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Close()
	info := rec.Info()
	buf := [][]int32{make([]int32, info.NSamples), make([]int32, info.NSamples)}
	if _, err := rec.Read(buf, 0); err != nil {
		b.Fatal(err)
	}
	mem := &annotate.MemSignal{Meta: info, Samples: buf}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := qrs.Detect(mem, qrs.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, info.NSamples*2)
}

func BenchmarkDecode(b *testing.B) {
	dir := mitdb(b)
	buf := [][]int32{make([]int32, 1<<16), make([]int32, 1<<16)}
	var n int64
	b.ReportAllocs()
	for b.Loop() {
		rec, err := wfdb.Open(filepath.Join(dir, "100"))
		if err != nil {
			b.Fatal(err)
		}
		n = rec.Info().NSamples
		for s := int64(0); s < n; s += 1 << 16 {
			if _, err := rec.Read(buf, s); err != nil {
				b.Fatal(err)
			}
		}
		rec.Close()
	}
	reportRate(b, n*2)
}

func reportRate(b *testing.B, samples int64) {
	b.SetBytes(samples * 4)
	b.ReportMetric(float64(samples)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Msamples/s")
}
