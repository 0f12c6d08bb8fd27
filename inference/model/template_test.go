package model

import (
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"slices"
	"testing"
)

// median is the test's reference: v sorted afresh, the middle value (the
// mean of the middle two for an even count).
func median(v []float32) float32 {
	slices.Sort(v)
	return middle(v)
}

// TestMedianValues checks the sliding median on hand-worked windows: with
// k as long as the column, the first row's window is the whole column.
func TestMedianValues(t *testing.T) {
	cases := []struct {
		name string
		in   []float32
		want float32
	}{
		{"one value", []float32{3}, 3},
		{"odd count, unsorted", []float32{5, -1, 3}, 3},
		{"even count: mean of the middle two", []float32{4, 1, 2, 8}, 3},
		{"ties", []float32{2, 2, 2, 9, 9}, 2},
		{"one outlier among 17 does not move it", []float32{1, 1, 1, 1, 1, 1, 1, 1, 50, 1, 1, 1, 1, 1, 1, 1, 1}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := make([]float32, len(c.in))
			if slidingMedian(c.in, len(c.in), out, nil); out[0] != c.want {
				t.Errorf("median of %v = %v, want %v", c.in, out[0], c.want)
			}
		})
	}
}

func TestTemplateRuns(t *testing.T) {
	cases := []struct {
		name  string
		index []int
		k, n  int
		want  []templateRun
	}{
		{"one beat in the middle", []int{10}, 2, 30, []templateRun{{8, 13, []int{0}}}},
		{"cut at both ends", []int{0, 29}, 2, 30, []templateRun{{0, 3, []int{0}}, {27, 30, []int{1}}}},
		{"neighbourhoods that touch make one run, in peak order", []int{14, 10}, 2, 30, []templateRun{{8, 17, []int{1, 0}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := templateRuns(c.index, c.k, c.n)
			if len(got) != len(c.want) {
				t.Fatalf("runs %+v, want %+v", got, c.want)
			}
			for r := range got {
				if got[r].lo != c.want[r].lo || got[r].hi != c.want[r].hi || !slices.Equal(got[r].rows, c.want[r].rows) {
					t.Errorf("run %d = %+v, want %+v", r, got[r], c.want[r])
				}
			}
		})
	}
}

// templateModel is the default beat model's contract (180 Hz, 50+76
// samples, 2 leads) with a template input of k beats on each side, or
// without one for k "" (PrepareBeats needs no network).
func templateModel(t testing.TB, k string) *Model {
	props := map[string]string{
		KeyTask: "beat", KeyFs: "180", KeyWindow: "50,76", KeyLeads: "2", KeyClasses: "N,S,V,F,Q",
		KeyInputs: "x:waveform,rr:rr_features", KeyOutputs: "probs:probabilities",
		KeyNormalize: "zscore", KeyRRFeatures: "rr_prev", KeyVersion: "1",
	}
	if k != "" {
		props[KeyInputs] += ",tmpl:template"
		props[KeyTemplateBeats] = k
	}
	return metaModel(t, props)
}

// metaModel is a Model with the metadata props and no ONNX graph, enough
// for PrepareBeats.
func metaModel(t testing.TB, props map[string]string) *Model {
	md, err := ParseMeta(props)
	if err != nil {
		t.Fatal(err)
	}
	return &Model{meta: md}
}

// TestPrepareTemplates checks that a beat's template is the per-sample
// median of its neighbours' windows (cut at the ends of the peaks), and that
// a beat gets the same template whether it is prepared alone or with the
// whole record, as the pipeline's chunks and the re-classification after an
// edit need.
func TestPrepareTemplates(t *testing.T) {
	const k = 3
	m := templateModel(t, "3")
	sig, peaks := beatRecord(360, 0.8, 20, "MLII", "V1")
	all := make([]int, len(peaks))
	for i := range all {
		all[i] = i
	}
	whole, err := m.PrepareBeats(sig, peaks, all)
	if err != nil {
		t.Fatal(err)
	}
	rl := m.rowLen(Waveform)
	for _, i := range []int{0, 1, 12, len(peaks) - 1} {
		want := make([]float32, rl)
		for s := range want {
			var v []float32
			for r := max(i-k, 0); r < min(i+k+1, len(peaks)); r++ {
				v = append(v, whole.Waveform[r*rl+s])
			}
			want[s] = median(v)
		}
		assertClose(t, "template", whole.Template[i*rl:(i+1)*rl], want, 0)
	}
	some := []int{len(peaks) - 1, 12, 0}
	part, err := m.PrepareBeats(sig, peaks, some)
	if err != nil {
		t.Fatal(err)
	}
	for j, i := range some {
		assertClose(t, "window alone", part.Waveform[j*rl:(j+1)*rl], whole.Waveform[i*rl:(i+1)*rl], 1e-5)
		assertClose(t, "template alone", part.Template[j*rl:(j+1)*rl], whole.Template[i*rl:(i+1)*rl], 1e-5)
	}
}

// TestTrainingTemplate checks that training/data.py's median_template
// gives the app's templates (templatesOf, the sliding median) for the same
// windows: odd and even counts, both ends.
func TestTrainingTemplate(t *testing.T) {
	const py = "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import numpy").CombinedOutput(); err != nil {
		t.Skipf("%s lacks numpy (apt-get install python3-numpy): %v\n%s", py, err, out)
	}
	const n, leads, length, k = 12, 2, 9, 4
	r := rand.New(rand.NewPCG(3, 4))
	win := make([]float32, n*leads*length)
	for i := range win {
		win[i] = float32(r.NormFloat64())
	}
	want := pythonTemplates(t, py, win, []int{n, leads, length}, k)
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	got := make([]float32, len(win))
	templatesOf(got, win, leads*length, k, templateRun{lo: 0, hi: n, rows: all}, all)
	for i, w := range want {
		if abs32(got[i]-w) > 1e-6 {
			t.Errorf("beat %d value %d: app %v, training/data.py %v", i/(leads*length), i%(leads*length), got[i], w)
		}
	}
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

func pythonTemplates(t *testing.T, py string, win []float32, shape []int, k int) []float32 {
	out := runDataPy(t, py, map[string]any{"x": win, "shape": shape, "k": k}, `
x = np.array(a["x"], dtype=np.float32).reshape(a["shape"])
print(json.dumps(data.median_template(x, a["k"]).ravel().tolist()))`)
	var got []float32
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(win) {
		t.Fatalf("training/data.py output: %v: %.200s", err, out)
	}
	return got
}

// TestSlidingMedian checks the sliding median against sorting each window
// afresh, on random columns (with ties) of several lengths and spans.
func TestSlidingMedian(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []struct{ n, k int }{{1, 3}, {2, 1}, {5, 8}, {17, 8}, {40, 8}, {100, 3}} {
		col := make([]float32, c.n)
		for i := range col {
			col[i] = float32(r.IntN(7)) / 2 // few values: many ties
		}
		out := make([]float32, c.n)
		slidingMedian(col, c.k, out, nil)
		for i := range col {
			want := median(append([]float32(nil), col[max(i-c.k, 0):min(i+c.k+1, c.n)]...))
			if out[i] != want {
				t.Errorf("n %d k %d row %d: %v, want %v", c.n, c.k, i, out[i], want)
			}
		}
	}
}
