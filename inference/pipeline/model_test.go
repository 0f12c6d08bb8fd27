package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// TestWithModels runs both test models on the 30-minute demo record: every
// beat carries the beat model's label, probabilities and embedding, and the
// episodes come from the rhythm model (AFIB, AFL) or the rules.
func TestWithModels(t *testing.T) {
	rec := synthRecord(t, 30*time.Minute)
	beat, rhy := loadModel(t, "beat_small.onnx"), loadModel(t, "rhythm_small.onnx")
	var got collect
	p, err := New(Config{Signal: rec.sig, Beat: beat, Rhythm: rhy, Chunk: 2 * time.Minute, OnChunk: got.chunk, OnProgress: got.prog})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range res.Output.Beats {
		k, conf := best(b.Prov.Probs)
		if b.Prov.Source != annotate.SourceModel || b.Prov.Who != beat.Meta().ID() || len(b.Prov.Probs) != 5 ||
			b.Prov.Confidence != conf || b.Code != beat.Class(k).Code() {
			t.Fatalf("beat %d: %+v, want the label of %s", i, b, beat.Meta().ID())
		}
	}
	if res.EmbDim != beat.EmbeddingDim() || len(res.Emb) != len(res.Output.Beats)*res.EmbDim {
		t.Errorf("%d embedding values of %d, for %d beats", len(res.Emb), res.EmbDim, len(res.Output.Beats))
	}
	for _, e := range res.Output.Episodes {
		model := e.Prov.Who == rhy.Meta().ID() && (e.Rhythm == rhythm.AF || e.Rhythm == rhythm.Flutter)
		if !model && e.Prov.Who != rhythm.RulesWho {
			t.Errorf("episode %+v comes from neither the rhythm model nor the rules", e)
		}
	}
	checkStream(t, &got, res, 15)
}

func best(p []float32) (int, float32) {
	k := 0
	for i, v := range p {
		if v > p[k] {
			k = i
		}
	}
	return k, p[k]
}

// TestReclassify merges a run into a session, inserts a beat as a reader
// would, and re-classifies it with its neighbours: the reader's label stays,
// the neighbours get fresh model labels; an untouched beat gets exactly the
// label the run gave it.
func TestReclassify(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	s := openSession(t)
	p, err := New(Config{Signal: rec.sig, Beat: loadModel(t, "beat_small.onnx"), Chunk: time.Minute, Beats: s,
		OnChunk: func(c Chunk) { s.MergeModel(c.Output) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := res.Output.Beats
	c, err := p.Reclassify(context.Background(), []int64{b[100].Sample})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Output.Beats) != 5 || c.Output.Beats[2].Sample != b[100].Sample || len(c.Emb) != 5*c.EmbDim {
		t.Fatalf("re-classified %d beats around %d: %+v", len(c.Output.Beats), b[100].Sample, c.Output.Beats)
	}
	if !sameProbs(c.Output.Beats[2].Prov.Probs, b[100].Prov.Probs) {
		t.Errorf("an untouched beat: %v, the run gave %v", c.Output.Beats[2].Prov.Probs, b[100].Prov.Probs)
	}

	x := (b[200].Sample + b[201].Sample) / 2
	must(t, s.Insert(x, annotate.PVC, "missed"))
	c, err = p.Reclassify(context.Background(), []int64{x})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.MergeModel(c.Output)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Beat(x); got.Code != annotate.PVC || got.Prov.Source != annotate.SourceReader {
		t.Errorf("the reader's beat became %+v", got)
	}
	if st.Kept != 1 || st.Updated+st.Unchanged != 4 {
		t.Errorf("merge %v: want the reader's beat kept and 4 neighbours labelled", st)
	}
	// A deleted beat: the two beats on each side of the gap.
	must(t, s.Delete([]int64{b[300].Sample}, "false"))
	c, err = p.Reclassify(context.Background(), []int64{b[300].Sample})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, nb := range c.Output.Beats {
		got = append(got, nb.Sample)
	}
	if want := []int64{b[298].Sample, b[299].Sample, b[301].Sample, b[302].Sample}; !slices.Equal(got, want) {
		t.Errorf("after the delete re-classified %v, want the gap's neighbours %v", got, want)
	}
	far := rec.sig.Info().NSamples + 1e7
	if _, err := p.Reclassify(context.Background(), []int64{far}); !errors.Is(err, annotate.ErrNoBeat) {
		t.Errorf("no beat near %d: got %v", far, err)
	}
}

// sameProbs compares probabilities to 1e-4: ONNX Runtime's float32 sums
// differ in the last digits with the batch size.
func sameProbs(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-4 {
			return false
		}
	}
	return true
}

// TestRunRegion re-runs one region: its beats are those of the full run
// there (the chunk grid is the same), and nothing outside it comes.
func TestRunRegion(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	p, err := New(Config{Signal: rec.sig, Beat: loadModel(t, "beat_small.onnx"), Chunk: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	full, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs := rec.sig.Info().Fs
	a, b := int64(150*fs), int64(330*fs)
	part, err := p.RunRegion(context.Background(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	var want []annotate.Beat
	for _, x := range full.Output.Beats {
		if x.Sample >= a && x.Sample < b {
			want = append(want, x)
		}
	}
	if len(part.Output.Beats) != len(want) {
		t.Fatalf("region has %d beats, the full run %d there", len(part.Output.Beats), len(want))
	}
	for i, x := range part.Output.Beats {
		if x.Sample != want[i].Sample || x.Code != want[i].Code || !sameProbs(x.Prov.Probs, want[i].Prov.Probs) {
			t.Errorf("beat %d: %+v, the full run gave %+v", i, x, want[i])
		}
	}
	for _, e := range part.Output.Episodes {
		if e.End <= a || e.Start >= b {
			t.Errorf("episode %+v lies outside the region", e)
		}
	}
}

// TestWithRhythmWaveform runs the beat model and rhythm_wave.onnx (a
// rhythm model that also reads each beat's 1-lead window, 72+36 samples at
// 180 Hz) on synthetic records, a 2-lead one and a 1-lead one, end to end:
// the run ends with episodes from the model or the rules, and the rhythm
// stage gave every segment the model's probabilities for the record's
// waveform, those of one ClassifyRhythm call over the run's beats.
func TestWithRhythmWaveform(t *testing.T) {
	for _, leads := range []int{2, 1} {
		t.Run(fmt.Sprintf("%d leads", leads), func(t *testing.T) {
			rec := synthLeads(t, 20*time.Minute, leads)
			beat, rhy := loadModel(t, "beat_small.onnx"), loadModel(t, "rhythm_wave.onnx")
			var got collect
			p, err := New(Config{Signal: rec, Beat: beat, Rhythm: rhy, Chunk: 2 * time.Minute, OnChunk: got.chunk, OnProgress: got.prog})
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			checkStream(t, &got, res, 10)
			for _, e := range res.Output.Episodes {
				if e.Prov.Who != rhy.Meta().ID() && e.Prov.Who != rhythm.RulesWho {
					t.Errorf("episode %+v comes from neither the rhythm model nor the rules", e)
				}
			}
			w, err := p.rhythmWindows(rhythm.MarksOf(res.Output.Beats))
			if err != nil || w == nil || w.Who != rhy.Meta().ID() {
				t.Fatalf("rhythm windows %+v, %v", w, err)
			}
			peaks := make([]int64, len(res.Output.Beats))
			for i, b := range res.Output.Beats {
				peaks[i] = b.Sample
			}
			whole, err := rhy.ClassifyRhythm(rec, peaks, w.Starts)
			if err != nil {
				t.Fatal(err)
			}
			if !sameProbs(w.Probs, whole.Probs) {
				t.Errorf("the rhythm stage's %d segments differ from one ClassifyRhythm call", len(w.Starts))
			}
			t.Logf("%d beats, %d segments in pieces of %d, %d episodes", len(peaks), len(w.Starts), rhythmPieceLen(rhy), len(res.Output.Episodes))
		})
	}
}

// panicky is a record whose reads panic once broken is set: a decoder
// failing on a damaged file.
type panicky struct {
	*view
	broken bool
}

func (p *panicky) Read(dst [][]int32, start int64) (int, error) {
	if p.broken {
		panic("decoder: damaged block")
	}
	return p.view.Read(dst, start)
}

// TestRhythmWaveformPanicIsError checks that a panic while a waveform
// rhythm model's windows are read becomes the stage's error, not a crash.
func TestRhythmWaveformPanicIsError(t *testing.T) {
	rec := &panicky{view: synthLeads(t, 5*time.Minute, 1)}
	beat, rhy := loadModel(t, "beat_small.onnx"), loadModel(t, "rhythm_wave.onnx")
	p, err := New(Config{Signal: rec, Beat: beat, Rhythm: rhy})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rec.broken = true
	w, err := p.safeRhythmWindows(rhythm.MarksOf(res.Output.Beats))
	if err == nil || w != nil || !strings.Contains(err.Error(), "damaged block") {
		t.Fatalf("got %v, %v; want the decoder's panic as an error", w, err)
	}
}

// synthLeads is a synthetic record of the demo configuration with the
// given number of leads.
func synthLeads(t *testing.T, d time.Duration, leads int) *view {
	cfg := synth.Demo()
	cfg.Duration, cfg.Leads = d, leads
	cfg.Events = slices.DeleteFunc(cfg.Events, func(e synth.Event) bool { return e.At+e.Length >= d })
	info, samples, _, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return newView(info, samples, 0)
}
