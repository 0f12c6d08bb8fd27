package pipeline

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/quality"
)

// TestNoisyRuns checks which beats make a stretch: runs of at least
// QualityRun at or above QualityThreshold.
func TestNoisyRuns(t *testing.T) {
	const hi, lo = 0.9, 0.1
	cases := []struct {
		name  string
		probs []float32
		want  [][2]int
	}{
		{"none", []float32{lo, lo, lo, lo, lo, lo}, nil},
		{"four is too few (one odd beat or a couplet never makes one)", []float32{lo, hi, hi, hi, hi, lo}, nil},
		{"five", []float32{lo, hi, hi, hi, hi, hi, lo}, [][2]int{{1, 5}}},
		{"at the threshold counts", []float32{0.5, 0.5, 0.5, 0.5, 0.5}, [][2]int{{0, 4}}},
		{"to the last beat", []float32{lo, lo, hi, hi, hi, hi, hi, hi}, [][2]int{{2, 7}}},
		{"two runs", []float32{hi, hi, hi, hi, hi, lo, hi, hi, hi, hi, hi, hi}, [][2]int{{0, 4}, {6, 11}}},
		{"broken by one readable beat", []float32{hi, hi, hi, lo, hi, hi, hi}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := noisyRuns(c.probs); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestQualityModelStretches runs the pipeline on a synthetic record with
// and without testdata/models' quality model (untrained: its calls are
// arbitrary but fixed), with no beat model and with one, and checks that
// the quality model only adds noise stretches: the same beats with the
// same labels; each of its stretches is a run the model's NoiseProbs over
// the whole record gives (cut at the chunks' edges, broken at beats the
// beat model calls V or F), named after the model, on lead 0; no V or F
// beat inside one.
func TestQualityModelStretches(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	beat, q := loadModel(t, "beat_small.onnx"), loadModel(t, "quality_small.onnx")
	defer beat.Close()
	defer q.Close()
	for _, c := range []struct {
		name string
		beat *model.Model
	}{{"no beat model", nil}, {"a beat model", beat}} {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{Signal: rec.sig, Beat: c.beat, Chunk: time.Minute, Workers: 2}
			without, _ := runCollect(t, cfg)
			cfg.Quality = q
			with, _ := runCollect(t, cfg)
			checkQualityStretches(t, q, rec, without, with, c.beat == nil)
		})
	}
}

// checkQualityStretches compares a run with a quality model to one
// without (see TestQualityModelStretches); some says the record must give
// at least one stretch (else the check would check nothing).
func checkQualityStretches(t *testing.T, q *model.Model, rec *record, without, with *Result, some bool) {
	t.Helper()
	if !slices.EqualFunc(without.Output.Beats, with.Output.Beats, func(a, b annotate.Beat) bool {
		return a.Sample == b.Sample && a.Code == b.Code
	}) {
		t.Fatal("the quality model changed the beats or their labels")
	}
	got := modelStretches(t, with.Output.Noise, q.Who())
	want := wholeRecordStretches(t, q, rec, with.Output.Beats)
	t.Logf("%d beats, %d noise stretches from the model", len(with.Output.Beats), len(want))
	if some && len(want) == 0 {
		t.Fatal("the test model calls no run of beats noise on this record: the test would check nothing")
	}
	if !slices.Equal(got, want) {
		t.Errorf("stretches %v, want %v", got, want)
	}
	for _, b := range with.Output.Beats {
		c := b.Code.Class()
		if !b.IsUnclassified() && (c == annotate.ClassV || c == annotate.ClassF) && inStretch(got, b.Sample) {
			t.Errorf("a %v beat at sample %d lies in a model noise stretch", c, b.Sample)
		}
	}
}

// modelStretches returns the stretches of noise that who made, on lead 0,
// joined where they touch (a chunk's edge cuts a stretch in two).
func modelStretches(t *testing.T, noise []annotate.Noise, who string) [][2]int64 {
	t.Helper()
	var out [][2]int64
	for _, n := range noise {
		if n.Prov.Who != who {
			continue
		}
		if n.Lead != 0 || n.Reason != quality.ReasonNoise {
			t.Errorf("model stretch %+v: want lead 0, reason %q", n, quality.ReasonNoise)
		}
		out = append(out, [2]int64{n.Start, n.End})
	}
	slices.SortFunc(out, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	joined := out[:0]
	for _, r := range out {
		if k := len(joined); k > 0 && joined[k-1][1] == r[0] {
			joined[k-1][1] = r[1]
			continue
		}
		joined = append(joined, r)
	}
	return joined
}

// wholeRecordStretches returns the stretches the quality model's calls on
// all of the record's beats at once give.
func wholeRecordStretches(t *testing.T, q *model.Model, rec *record, beats []annotate.Beat) [][2]int64 {
	t.Helper()
	peaks := make([]int64, len(beats))
	for i, b := range beats {
		peaks[i] = b.Sample
	}
	probs, err := q.NoiseProbs(rec.sig, peaks)
	if err != nil {
		t.Fatal(err)
	}
	breakAtVentricular(probs, beats)
	var out [][2]int64
	for _, r := range noisyRuns(probs) {
		out = append(out, [2]int64{edge(beats, r[0], -1), edge(beats, r[1], +1)})
	}
	return out
}

// inStretch reports whether sample s lies in one of the stretches.
func inStretch(stretches [][2]int64, s int64) bool {
	for _, r := range stretches {
		if r[0] <= s && s < r[1] {
			return true
		}
	}
	return false
}

// TestBreakAtVentricular checks that a beat the beat model calls V or F
// ends a noisy run, and that unclassified beats keep the model's call.
func TestBreakAtVentricular(t *testing.T) {
	code := func(sym string) annotate.Code { c, _ := annotate.ParseSymbol(sym); return c }
	beats := make([]annotate.Beat, 12)
	for i := range beats {
		beats[i] = annotate.Beat{Sample: int64(100 * i), Code: code("N")}
	}
	beats[3].Code, beats[8].Code = code("V"), code("F")
	beats[10].Code = annotate.Unclassified
	probs := slices.Repeat([]float32{0.9}, len(beats))
	breakAtVentricular(probs, beats)
	want := []float32{0.9, 0.9, 0.9, 0, 0.9, 0.9, 0.9, 0.9, 0, 0.9, 0.9, 0.9}
	if !slices.Equal(probs, want) {
		t.Fatalf("got %v, want %v", probs, want)
	}
	if got := noisyRuns(probs); got != nil {
		t.Errorf("runs %v: no run of 5 is left between the ventricular beats", got)
	}
}
