package model

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// qualityProps is testdata/models' quality_small.onnx: 2 beats each side.
func qualityProps() map[string]string {
	return map[string]string{
		KeyTask: "quality", KeyFs: "180", KeyWindow: "72,108", KeyLeads: "1", KeyContext: "2",
		KeyClasses: "OK,NOISE", KeyInputs: "x:waveform", KeyOutputs: "probs:probabilities",
		KeyNormalize: "zscore", KeyVersion: "test", KeyName: "test-quality",
	}
}

// TestQualityMeta checks the contract's quality keys: what a quality model
// must carry, and what no other model may.
func TestQualityMeta(t *testing.T) {
	m, err := ParseMeta(qualityProps())
	if err != nil {
		t.Fatal(err)
	}
	if m.Task != TaskQuality || m.Context != 2 || m.Before != 72 || m.After != 108 {
		t.Fatalf("parsed %+v", m)
	}
	cases := []struct {
		name, key, message string
		props              map[string]string
	}{
		{"no context", KeyContext, "needs it", with(qualityProps(), KeyContext, "\x00")},
		{"context too large", KeyContext, "0 to 16", with(qualityProps(), KeyContext, "17")},
		{"context not a number", KeyContext, "0 to 16", with(qualityProps(), KeyContext, "two")},
		{"context on a beat model", KeyContext, "only a quality model", with(beatProps(), KeyContext, "2")},
		{"other classes", KeyClasses, "OK and NOISE", with(qualityProps(), KeyClasses, "N,V")},
		{"three classes", KeyClasses, "OK and NOISE", with(qualityProps(), KeyClasses, "OK,NOISE,Q")},
		{"an RR input", KeyInputs, "is not one of waveform", with(qualityProps(), KeyInputs, "x:waveform,rr:rr_features")},
		{"no waveform", KeyInputs, "is not one of waveform", with(qualityProps(), KeyInputs, "t:template")},
		{"a beat window", KeyBeatWindow, "gives its window in", with(qualityProps(), KeyBeatWindow, "72,36")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMeta(c.props)
			var me *MetaError
			if !errors.As(err, &me) || me.Key != c.key || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("got %v, want an error on %s saying %q", err, c.key, c.message)
			}
		})
	}
	if _, err := ParseMeta(with(qualityProps(), KeyClasses, "NOISE,OK")); err != nil {
		t.Errorf("classes in the other order: %v", err)
	}
}

// TestQualityWindowsAreBeatWindows checks that row i of a quality model's
// input holds the windows the beat path serves a beat model of the same
// rate, lead, window and normalisation, for beats i-2 ... i+2 in order, and
// the beat's own window where a neighbour would fall before the first
// peak or after the last.
func TestQualityWindowsAreBeatWindows(t *testing.T) {
	sig, peaks := beatRecord(250, 0.8, 40, "II", "V1")
	props := qualityProps()
	m := metaModel(t, props)
	twinProps := maps.Clone(props)
	twinProps[KeyTask], twinProps[KeyClasses] = "beat", "N,S,V,F,Q"
	delete(twinProps, KeyContext)
	twin := metaModel(t, twinProps)
	b, err := m.qualityRows(sig, peaks)
	if err != nil {
		t.Fatal(err)
	}
	if b.N != len(peaks) {
		t.Fatalf("%d rows for %d beats", b.N, len(peaks))
	}
	var want []int
	for i := range peaks {
		for d := -2; d <= 2; d++ {
			q := i + d
			if q < 0 || q >= len(peaks) {
				q = i
			}
			want = append(want, q)
		}
	}
	served, err := twin.PrepareBeats(sig, peaks, want)
	if err != nil {
		t.Fatal(err)
	}
	assertBitEqual(t, "quality windows", b.Waveform, served.Waveform)
}

// TestNoiseProbs runs testdata/models' quality model: one probability a
// beat, in [0, 1], a beat's depending on its neighbours (the same beat
// gets another answer when a neighbour's window is another's); a beat
// model and a peak before the record are refused.
func TestNoiseProbs(t *testing.T) {
	sig, peaks := beatRecord(250, 0.8, 40, "II")
	m := loadTest(t, "quality_small.onnx")
	all, err := m.NoiseProbs(sig, peaks)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(peaks) {
		t.Fatalf("%d probabilities for %d beats", len(all), len(peaks))
	}
	for i, p := range all {
		if !(p >= 0 && p <= 1) {
			t.Fatalf("beat %d: probability %v", i, p)
		}
	}
	moved := slices.Clone(peaks)
	moved[21] += 40 // beat 20's right neighbour, cut 40 samples later
	after, err := m.NoiseProbs(sig, moved)
	if err != nil {
		t.Fatal(err)
	}
	if after[20] == all[20] || after[10] != all[10] {
		t.Errorf("beat 20 %v -> %v (its neighbour moved), beat 10 %v -> %v (none did)", all[20], after[20], all[10], after[10])
	}
	if _, err := loadTest(t, "beat_small.onnx").NoiseProbs(sig, peaks); err == nil ||
		!strings.Contains(err.Error(), "not a quality model") {
		t.Errorf("a beat model: %v", err)
	}
	if _, err := m.NoiseProbs(sig, append([]int64{-5}, peaks...)); err == nil {
		t.Error("a peak before the record was accepted")
	}
}
