package model

import (
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func loadTest(t testing.TB, name string) *Model {
	t.Helper()
	m, err := Load(filepath.Join(modelDir, name), testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestLoad(t *testing.T) {
	cases := []struct {
		file    string
		id      string
		batch   int
		emb     int
		classes string
	}{
		{"beat_small.onnx", "example-beat@0.1.0", DefaultBatch, 16, "N,S,V,F,Q"},
		{"beat_logits_b1.onnx", "beat@test", 1, 0, "N,S,V"},
		{"rhythm_small.onnx", "rhythm@test", DefaultBatch, 0, "AFIB,AFL,OTHER"},
		{"rhythm_wave.onnx", "test-rhythm-wave@test", DefaultBatch, 0, "AFIB,AFL,OTHER"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			m := loadTest(t, c.file)
			if m.Meta().ID() != c.id || m.BatchSize() != c.batch || m.EmbeddingDim() != c.emb ||
				strings.Join(m.Meta().Classes, ",") != c.classes {
				t.Errorf("loaded %s batch %d emb %d classes %v", m.Meta().ID(), m.BatchSize(), m.EmbeddingDim(), m.Meta().Classes)
			}
		})
	}
}

// TestLoadBad loads each bad model: the error names the file and says
// what is wrong. testdata/models/make_models.py says how each was made.
func TestLoadBad(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		file string
		kind error
		says string
	}{
		{"bad_shape.onnx", ErrMismatch, `input "x" (waveform) has shape [? 2 200]; the metadata asks for [? 2 256] (batch, leads 2, window 90+166)`},
		{"bad_rhythm_wave.onnx", ErrMismatch, `input "x" (waveform) has shape [? 32 1 100]; the metadata asks for [? 32 1 108] (batch, window 32 beats, leads 1, beat window 72+36)`},
		{"no_metadata.onnx", ErrMissingKey, "carries no ECG Station metadata"},
		{"nan_outputs.onnx", ErrBadOutput, `self-test on a flat line: output "probs" row 0: value 0 is NaN`},
		{"bad_sum.onnx", ErrBadOutput, "probabilities sum to 0.5, not 1"},
		{"bad_dtype.onnx", ErrMismatch, `input "x" (waveform) holds ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE; the contract needs float`},
		{"not_onnx.onnx", ErrNotONNX, "not an ONNX model: byte 0: field 10: wire type 4"},
		{"no_such_file.onnx", fs.ErrNotExist, "no such file"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(modelDir, c.file)
			m, err := Load(path, env)
			if err == nil {
				m.Close()
				t.Fatal("Load succeeded")
			}
			if !errors.Is(err, c.kind) {
				t.Errorf("error is not %v: %v", c.kind, err)
			}
			for _, s := range []string{path, c.says} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message does not say %q:\n%s", s, err)
				}
			}
		})
	}
}

func TestLoadNoEnv(t *testing.T) {
	_, err := Load(filepath.Join(modelDir, "beat_small.onnx"), nil)
	if !errors.Is(err, ErrRuntimeUnavailable) || !strings.Contains(err.Error(), "suggestions are off") {
		t.Errorf("Load(nil env) = %v", err)
	}
}

func TestRunBadInput(t *testing.T) {
	m := loadTest(t, "beat_small.onnx")
	cases := []struct {
		name string
		b    *Batch
		says string
	}{
		{"short waveform", &Batch{N: 2, Waveform: make([]float32, 2*2*256-1), RR: make([]float32, 8)}, `input "x" (waveform) has 1023 values, 2 rows need 1024`},
		{"no rr", &Batch{N: 1, Waveform: make([]float32, 512)}, `input "rr" (rr_features) has 0 values, 1 rows need 4`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := m.Run(c.b)
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Run = %v, want %q", err, c.says)
			}
		})
	}
}

func TestRunOutputs(t *testing.T) {
	m := loadTest(t, "beat_small.onnx")
	b := randomBatch(m, 2500, 7) // three runs of DefaultBatch, the last partial
	res, err := m.Run(b)
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 2500 || len(res.Probs) != 2500*5 || res.EmbDim != 16 || len(res.Emb) != 2500*16 {
		t.Fatalf("result N %d probs %d emb %d×%d", res.N, len(res.Probs), len(res.Emb), res.EmbDim)
	}
	// The same rows run one by one give the same outputs.
	for _, i := range []int{0, 1023, 1024, 2499} {
		one, err := m.Run(rowOf(m, b, i))
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "probs", one.Row(0), res.Row(i), 1e-5)
		assertClose(t, "embedding", one.Embedding(0), res.Embedding(i), 1e-5)
	}
}

// TestRunLogitsFixedBatch runs a model with a fixed batch of 1 that
// outputs logits: rows are run one at a time and turned into probabilities.
func TestRunLogitsFixedBatch(t *testing.T) {
	m := loadTest(t, "beat_logits_b1.onnx")
	res, err := m.Run(randomBatch(m, 5, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < res.N; i++ {
		var sum float64
		for _, p := range res.Row(i) {
			sum += float64(p)
		}
		if math.Abs(sum-1) > 1e-5 {
			t.Errorf("row %d sums to %v", i, sum)
		}
	}
	k, p := res.Best(0)
	class, prov := m.BeatLabel(res, 0)
	if class != m.Class(k) || class == annotate.ClassNone || prov.Confidence != p || p < 1.0/3 ||
		prov.Who != "beat@test" || prov.Source != annotate.SourceModel || len(prov.Probs) != 3 {
		t.Errorf("Best(0) = %d, %v; BeatLabel = %v, %+v", k, p, class, prov)
	}
	prov.Probs[0] = -1
	if res.Row(0)[0] == -1 {
		t.Error("BeatLabel's Probs share memory with the result")
	}
}

func TestSoftmax(t *testing.T) {
	row := []float32{1, 2, 3, 1000} // 1000 would overflow exp without the max shift
	softmax(row)
	assertClose(t, "softmax", row, []float32{0, 0, 0, 1}, 1e-6)
	row = []float32{0, float32(math.Log(3))} // e^0 : e^ln3 = 1 : 3
	softmax(row)
	assertClose(t, "softmax", row, []float32{0.25, 0.75}, 1e-6)
}

// randomBatch fills n rows of inputs with a fixed pseudo-random pattern.
func randomBatch(m *Model, n int, seed uint32) *Batch {
	b := &Batch{N: n}
	next := func() float32 { seed = seed*1664525 + 1013904223; return float32(seed>>8)/(1<<24)*2 - 1 }
	if _, ok := m.Meta().Input(Waveform); ok {
		b.Waveform = make([]float32, n*m.rowLen(Waveform))
		for i := range b.Waveform {
			b.Waveform[i] = next()
		}
	}
	if _, ok := m.Meta().Input(RRFeatures); ok {
		b.RR = make([]float32, n*m.rowLen(RRFeatures))
		for i := range b.RR {
			b.RR[i] = 1 + next()/4
		}
	}
	return b
}

func rowOf(m *Model, b *Batch, i int) *Batch {
	w, r := m.rowLen(Waveform), m.rowLen(RRFeatures)
	return &Batch{N: 1, Waveform: b.Waveform[i*w : (i+1)*w], RR: b.RR[i*r : (i+1)*r]}
}

func assertClose(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > tol {
			t.Fatalf("%s[%d] = %v, want %v (±%g)", what, i, got[i], want[i], tol)
		}
	}
}
