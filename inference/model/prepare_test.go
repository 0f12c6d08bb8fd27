package model

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
)

// beatRecord makes a record at fs with a Gaussian "QRS" of 1 mV on lead 0
// and -0.5 mV on lead 1 every rr seconds, with gain 200 and baseline 1024,
// and returns it with its R peaks.
func beatRecord(fs, rr float64, seconds int, names ...string) (*annotate.MemSignal, []int64) {
	n := int(fs) * seconds
	s := &annotate.MemSignal{Meta: annotate.RecordInfo{Name: "synthetic", Fs: fs, NSamples: int64(n)}}
	var peaks []int64
	for t := rr / 2; t < float64(seconds); t += rr {
		peaks = append(peaks, int64(math.Round(t*fs)))
	}
	for l, name := range names {
		s.Meta.Leads = append(s.Meta.Leads, annotate.Lead{Name: name, Units: "mV", Gain: 200, Baseline: 1024})
		amp := []float64{1, -0.5, 0.3}[l%3]
		lead := make([]int32, n)
		for i := range lead {
			var v float64
			for _, p := range peaks {
				d := (float64(i) - float64(p)) / fs / 0.02
				v += amp * math.Exp(-d*d/2)
			}
			lead[i] = s.Meta.Leads[l].Digital(v + 0.1*math.Sin(2*math.Pi*0.3*float64(i)/fs))
		}
		s.Samples = append(s.Samples, lead)
	}
	return s, peaks
}

// TestPrepareBeatsSameRate checks the windows when the record's rate is
// the model's: window j is exactly the record's samples peak-90 ...
// peak+165 of each lead, in mV, z-scored per lead.
func TestPrepareBeatsSameRate(t *testing.T) {
	m := loadTest(t, "beat_small.onnx")
	sig, peaks := beatRecord(360, 0.8, 20, "MLII", "V1")
	index := []int{0, 1, 5, len(peaks) - 1} // first and last windows run past the record's ends
	b, err := m.PrepareBeats(sig, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	for j, i := range index {
		for l := 0; l < 2; l++ {
			want := make([]float32, 256)
			for k := range want {
				pos := min(max(peaks[i]-90+int64(k), 0), int64(len(sig.Samples[l])-1))
				want[k] = float32(sig.Meta.Leads[l].Physical(sig.Samples[l][pos]))
			}
			beatwin.ZScore(want)
			got := b.Waveform[(j*2+l)*256 : (j*2+l+1)*256]
			assertClose(t, "window", got, want, 1e-5)
		}
	}
	rr := make([]float32, 4)
	rrFeatures(rr, rrFuncsFor(m.Meta().RRFeatures), peaks, 360, 5)
	assertClose(t, "rr", b.RR[2*4:3*4], rr, 0)
	assertClose(t, "rr of beat 5", rr, []float32{0.8, 0.8, 1, 1}, 1e-6)
}

// TestClassifyBeatsResampled runs the 360 Hz example model on a 250 Hz
// record: the R peak lands at index 90 of each window, and the result
// does not depend on how the beats are grouped into calls.
func TestClassifyBeatsResampled(t *testing.T) {
	m := loadTest(t, "beat_small.onnx")
	sig, peaks := beatRecord(250, 0.75, 30, "MLII", "V1")
	index := make([]int, len(peaks))
	for i := range index {
		index[i] = i
	}
	b, err := m.PrepareBeats(sig, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j < b.N-1; j++ {
		row := b.Waveform[j*512 : j*512+256]
		if k := argmax(row); k != 90 {
			t.Fatalf("beat %d: peak of lead 0 at window index %d, want 90", j, k)
		}
	}
	all, err := m.ClassifyBeats(sig, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{3, 17, len(peaks) - 1} {
		one, err := m.ClassifyBeats(sig, peaks, []int{i})
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "probs", one.Row(0), all.Row(i), 1e-5)
	}
}

func argmax(x []float32) int {
	k := 0
	for i, v := range x {
		if v > x[k] {
			k = i
		}
	}
	return k
}

// TestPrepareBeatsLeadNamesMV checks a model that names its lead and
// wants mV: the lead is found by name, not position.
func TestPrepareBeatsLeadNamesMV(t *testing.T) {
	m := loadTest(t, "beat_logits_b1.onnx") // 250 Hz, lead MLII, window 60,100, mv
	sig, peaks := beatRecord(250, 1, 10, "V1", "mlii")
	b, err := m.PrepareBeats(sig, peaks, []int{4})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range b.Waveform {
		want := sig.Meta.Leads[1].Physical(sig.Samples[1][peaks[4]-60+int64(k)])
		if math.Abs(float64(v)-want) > 1e-6 {
			t.Fatalf("sample %d = %v mV, want %v (lead 1, mlii)", k, v, want)
		}
	}
}

// TestPrepareBeatsOneLead checks a two-lead model on a one-lead record:
// the first lead's windows and templates are those of the same lead in a
// two-lead record, the second lead's are zeros (a lead that is off).
func TestPrepareBeatsOneLead(t *testing.T) {
	m := loadTest(t, "beat_small.onnx")
	one, peaks := beatRecord(250, 0.8, 20, "MLII")
	two, _ := beatRecord(250, 0.8, 20, "MLII", "V1")
	index := []int{0, 3, len(peaks) - 1}
	got, err := m.PrepareBeats(one, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.PrepareBeats(two, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	n := m.Meta().WindowLen()
	for j := range index {
		row := got.Waveform[j*2*n : (j+1)*2*n]
		assertClose(t, "lead 1", row[:n], want.Waveform[j*2*n:j*2*n+n], 0)
		assertClose(t, "lead 2 (missing)", row[n:], make([]float32, n), 0)
	}
}

func TestPrepareErrors(t *testing.T) {
	beat := loadTest(t, "beat_small.onnx")
	named := loadTest(t, "beat_logits_b1.onnx")
	rhythm := loadTest(t, "rhythm_small.onnx")
	none, peaks := beatRecord(360, 1, 5)
	two, _ := beatRecord(360, 1, 5, "V1", "V5")
	noRate, _ := beatRecord(360, 1, 5, "V1", "V5")
	noRate.Meta.Fs = 0
	cases := []struct {
		name string
		err  func() error
		says string
	}{
		{"no leads", func() error { _, err := beat.PrepareBeats(none, peaks, []int{1}); return err }, "the model needs 2 leads, the record has none"},
		{"lead not found", func() error { _, err := named.PrepareBeats(two, peaks, []int{1}); return err }, "the model needs lead MLII, the record has V1, V5"},
		{"no sampling frequency", func() error { _, err := beat.PrepareBeats(noRate, peaks, []int{1}); return err }, "sampling frequency 0 Hz"},
		{"index out of range", func() error { _, err := beat.PrepareBeats(two, peaks, []int{99}); return err }, "index[0] = 99"},
		{"negative peak", func() error { _, err := beat.PrepareBeats(two, []int64{-5}, []int{0}); return err }, "before the record starts"},
		{"peak past the end", func() error { _, err := beat.PrepareBeats(two, []int64{10000}, []int{0}); return err }, "out of range"},
		{"rhythm on a beat model", func() error { _, err := beat.PrepareRhythm(two, peaks, []int{0}); return err }, "is a beat model"},
		{"beats on a rhythm model", func() error { _, err := rhythm.PrepareBeats(two, peaks, []int{0}); return err }, "is a rhythm model"},
		{"segment too long", func() error { _, err := rhythm.PrepareRhythm(two, peaks, []int{0}); return err }, "a segment of 32 beats from beat 0 does not fit in 5 peaks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.err()
			if err == nil || !strings.Contains(err.Error(), c.says) {
				t.Errorf("error = %v, want %q", err, c.says)
			}
			if c.name != "peak past the end" && !errors.Is(err, ErrInput) {
				t.Errorf("error is not ErrInput: %v", err)
			}
		})
	}
}

func TestClassifyRhythm(t *testing.T) {
	m := loadTest(t, "rhythm_small.onnx")
	sig, peaks := beatRecord(250, 0.8, 60, "MLII")
	starts := []int{0, 10, len(peaks) - 32}
	b, err := m.PrepareRhythm(sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, 3)
	rrFeatures(want, rrFuncsFor(m.Meta().RRFeatures), peaks, 250, 10+7)
	assertClose(t, "beat 7 of segment 1", b.RR[(32+7)*3:(32+8)*3], want, 0)
	res, err := m.ClassifyRhythm(sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 3 || len(res.Probs) != 9 || res.Emb != nil {
		t.Errorf("result %+v", res)
	}
}

// TestPrepareBeatsNamedLeadsOfSelection: a model that names its lead reads
// it by name from the whole record even when it is handed the leads chosen
// for the models (an annotate.LeadSelection without that lead); a model
// that counts its leads reads the selection's.
func TestPrepareBeatsNamedLeadsOfSelection(t *testing.T) {
	sig, peaks := beatRecord(180, 1, 10, "pulse", "II", "V5")
	sel, err := annotate.SelectLeads(sig, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	named := templateModel(t, "")
	named.meta.Leads, named.meta.LeadNames = 1, []string{"V5"}
	b, err := named.PrepareBeats(sel, peaks, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	want, err := named.PrepareBeats(sig, peaks, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "named V5", b.Waveform, want.Waveform, 0)
	counted := templateModel(t, "")
	got, err := counted.PrepareBeats(sel, peaks, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	ii := &annotate.MemSignal{Meta: sig.Meta, Samples: sig.Samples[1:2]} // lead II alone
	ii.Meta.Leads = sig.Meta.Leads[1:2]
	ref, err := counted.PrepareBeats(ii, peaks, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "counted", got.Waveform, ref.Waveform, 0)
	n := counted.Meta().WindowLen()
	assertClose(t, "second lead off", got.Waveform[n:], make([]float32, n), 0)
}
