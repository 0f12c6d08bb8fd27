package compare

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
)

func env(t *testing.T) *model.Env {
	t.Helper()
	e, err := model.NewEnv(model.Options{Threads: 1})
	if errors.Is(err, model.ErrRuntimeUnavailable) {
		t.Skipf("ONNX Runtime not found (make ort): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// rrPrevRatio is the model contract's rr_prev_ratio of beat i (RR before
// the beat over the mean of the 20 intervals around it), written out here
// from docs/model-contract.md so the test does not use the code it checks.
func rrPrevRatio(peaks []int64, i int) float64 {
	lo, hi := max(1, i-model.RRLocalSpan+1), min(len(peaks)-1, i+model.RRLocalSpan)
	local := float64(peaks[hi]-peaks[lo-1]) / float64(hi-lo+1)
	if i == 0 {
		return 1
	}
	return float64(peaks[i]-peaks[i-1]) / local
}

func byThreshold(r, t1, t2 float64) annotate.Class {
	switch {
	case r < t1:
		return annotate.ClassV
	case r < t2:
		return annotate.ClassS
	}
	return annotate.ClassN
}

func TestAB(t *testing.T) {
	e := env(t)
	dir := t.TempDir()
	const a1, b1, b2 = 0.8, 0.66, 0.8 // A: V below 0.8 (never S); B: V, S, N
	writeRRModel(t, filepath.Join(dir, "a.onnx"), "rr-a", a1, a1)
	writeRRModel(t, filepath.Join(dir, "b.onnx"), "rr-b", b1, b2)
	ma, err := model.Load(filepath.Join(dir, "a.onnx"), e)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := model.Load(filepath.Join(dir, "b.onnx"), e)
	if err != nil {
		t.Fatal(err)
	}
	c := synth.Default()
	c.Duration, c.Seed, c.Leads = 8*time.Minute, 9, 1
	c.PVC.PerHour, c.PAC.PerHour = 400, 400
	c.Noise = synth.NoiseConfig{}
	info, samples, ann, err := synth.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	rec := ABRecord{RecordLabels: eval.RecordLabels{ID: "s", Name: "synth", Info: info, Reader: ann.Beats}, Signal: &annotate.MemSignal{Meta: info, Samples: samples}}
	res, err := AB(ma, mb, []ABRecord{rec}, false)
	if err != nil {
		t.Fatal(err)
	}
	// The known answer: each model's class from its threshold on the
	// beat's rr_prev_ratio, scored beats only.
	var peaks []int64
	for _, b := range ann.Beats {
		peaks = append(peaks, b.Sample)
	}
	var want [3]int
	start := eval.Seconds(300, info.Fs)
	scored, sReader := 0, 0
	for i, b := range ann.Beats {
		if b.Sample < start {
			continue
		}
		scored++
		r := rrPrevRatio(peaks, i)
		ka, kb, kr := byThreshold(r, a1, a1), byThreshold(r, b1, b2), b.Code.Class()
		if kr == annotate.ClassS {
			sReader++
		}
		switch {
		case ka == kb:
		case kb == kr:
			want[eval.Fixed]++
		case ka == kr:
			want[eval.Broken]++
		default:
			want[eval.Other]++
		}
	}
	t.Logf("flips fixed/broken/other %v over %d scored beats (%d S beats)", res.Count, res.Beats, sReader)
	if res.Count != want || res.Beats != scored {
		t.Errorf("flips fixed/broken/other %v over %d beats, want %v over %d", res.Count, res.Beats, want, scored)
	}
	if want[eval.Fixed] < sReader*9/10 {
		t.Errorf("fixed %d: want B to fix most of the %d S beats A calls V", want[eval.Fixed], sReader)
	}
	if len(res.Flips) != want[eval.Fixed]+want[eval.Broken]+want[eval.Other] || len(res.ByKind(eval.Fixed)) != want[eval.Fixed] {
		t.Errorf("flip list of %d, want %v", len(res.Flips), want)
	}
	for _, f := range res.ByKind(eval.Fixed) {
		if f.B.Class() != f.Reader.Class() || f.Model.Class() == f.Reader.Class() {
			t.Fatalf("fixed flip %+v: B must agree with the reader and A not", f)
		}
	}
	sa, sb := res.A.Matrix.PerClass[1], res.B.Matrix.PerClass[1]
	if sa.TP != 0 || sb.TP == 0 || res.A.ID != "rr-a@1" || res.B.ID != "rr-b@1" {
		t.Errorf("S TP A %d B %d, ids %q %q; want 0 for A (never says S), some for B", sa.TP, sb.TP, res.A.ID, res.B.ID)
	}
}
