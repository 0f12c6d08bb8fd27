package pipeline

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// TestStreamSameLabels runs each record twice, keeping the chunks (the
// whole Result, as before streaming) and streaming them (Config.Stream),
// and checks that the streamed chunks, in the order they came, give the
// same beats, probabilities, embeddings, noise and episodes: a 40-minute
// record crosses 8 chunks of 5 minutes (and their margins), a 4-minute
// one fits in one. Without ONNX Runtime only the detector-only case runs.
func TestStreamSameLabels(t *testing.T) {
	cases := []struct {
		name   string
		length time.Duration
		models bool
	}{
		{"long, detector only", 40 * time.Minute, false},
		{"short, detector only", 4 * time.Minute, false},
		{"long, models", 40 * time.Minute, true},
		{"short, models", 4 * time.Minute, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := Config{Signal: synthRecord(t, c.length).sig, Workers: 2}
			if c.models {
				cfg.Beat, cfg.Rhythm = loadModel(t, "beat_small.onnx"), loadModel(t, "rhythm_small.onnx")
			}
			whole, _ := runCollect(t, cfg)
			cfg.Stream = true
			streamed, chunks := runCollect(t, cfg)
			compareStreamed(t, whole, streamed, chunks)
		})
	}
}

// runCollect runs cfg and returns the result and the beat chunks handed
// out, in the order they came.
func runCollect(t *testing.T, cfg Config) (*Result, []Chunk) {
	t.Helper()
	var chunks []Chunk
	cfg.OnChunk = func(c Chunk) {
		if c.Stage == StageBeats {
			chunks = append(chunks, c)
		}
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res, chunks
}

// compareStreamed checks that a streamed run (its result and its chunks in
// the order they came) holds exactly the labels of the whole one.
func compareStreamed(t *testing.T, whole, streamed *Result, chunks []Chunk) {
	t.Helper()
	var beats []annotate.Beat
	var emb []float32
	for i, c := range chunks {
		if i > 0 && c.Start != chunks[i-1].End {
			t.Fatalf("chunk %d starts at %d, not where chunk %d ended (%d): not in sample order", i, c.Start, i-1, chunks[i-1].End)
		}
		beats = append(beats, c.Output.Beats...)
		emb = append(emb, c.Emb...)
	}
	t.Logf("%d beats in %d chunks, %d episodes, %d noise stretches", len(beats), len(chunks),
		len(whole.Output.Episodes), len(whole.Output.Noise))
	if len(whole.Output.Beats) == 0 || !reflect.DeepEqual(beats, whole.Output.Beats) {
		t.Errorf("streamed beats (%d) differ from the whole run's (%d)", len(beats), len(whole.Output.Beats))
	}
	if !reflect.DeepEqual(emb, whole.Emb) {
		t.Errorf("streamed embeddings (%d values) differ from the whole run's (%d)", len(emb), len(whole.Emb))
	}
	if streamed.Output.Beats != nil || streamed.Emb != nil {
		t.Errorf("a streamed result keeps %d beats and %d embedding values, want none", len(streamed.Output.Beats), len(streamed.Emb))
	}
	if !reflect.DeepEqual(streamed.Output.Episodes, whole.Output.Episodes) || !reflect.DeepEqual(streamed.Output.Noise, whole.Output.Noise) {
		t.Error("streamed episodes or noise differ from the whole run's")
	}
	if !reflect.DeepEqual(streamed.Marks, whole.Marks) || !reflect.DeepEqual(whole.Marks, withoutProbs(whole.Output.Beats)) {
		t.Error("Marks are not the run's beats without their probabilities")
	}
}

func withoutProbs(beats []annotate.Beat) []annotate.Beat {
	out := make([]annotate.Beat, len(beats))
	for i, b := range beats {
		b.Prov.Probs = nil
		out[i] = b
	}
	return out
}

// TestStreamOrder streams a run whose focus is in the middle of the
// record: chunks finish out of order, and still come in sample order.
func TestStreamOrder(t *testing.T) {
	rec := synthRecord(t, 40*time.Minute)
	var starts []int64
	p, err := New(Config{Signal: rec.sig, Chunk: 2 * time.Minute, Workers: 2, Stream: true,
		OnChunk: func(c Chunk) {
			if c.Stage == StageBeats {
				starts = append(starts, c.Start)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	p.SetFocus(rec.sig.Info().NSamples / 2)
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(starts) != 20 {
		t.Fatalf("%d chunks, want 20", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		if starts[i] <= starts[i-1] {
			t.Fatalf("chunk %d starts at %d, after chunk %d at %d", i, starts[i], i-1, starts[i-1])
		}
	}
}

// TestRhythmInPieces: the rhythm model run a piece of segments at a time
// gives every segment the probabilities of one run over all of them
// (10,000 segments: three pieces).
func TestRhythmInPieces(t *testing.T) {
	m := loadModel(t, "rhythm_small.onnx")
	seg := m.Meta().Segment
	peaks := make([]int64, 10_000+seg)
	for i := range peaks {
		peaks[i] = int64(i)*200 + int64(i*i%37) // 250 Hz, RR jittering around 0.8 s
	}
	starts := rhythm.SegmentStarts(len(peaks), seg, 1)
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Name: "peaks", Fs: 250}}
	classes, probs, err := classifyRhythm(m, sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := m.ClassifyRhythm(sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	if len(starts) <= 2*rhythmPiece || !reflect.DeepEqual(classes, whole.Classes) || !reflect.DeepEqual(probs, whole.Probs) {
		t.Errorf("%d segments in pieces of %d: the probabilities differ from one run", len(starts), rhythmPiece)
	}
}

// TestRhythmWaveformInPieces: a rhythm model with a waveform input runs
// in smaller pieces (its segments are larger) and still gives every
// segment what one run over all of them gives (bit for bit with this
// model, but ONNX Runtime's sums may differ in the last digits with the
// batch size: sameProbs).
func TestRhythmWaveformInPieces(t *testing.T) {
	m := loadModel(t, "rhythm_wave.onnx")
	rec := synthRecord(t, 30*time.Minute)
	peaks := make([]int64, len(rec.ann.Beats))
	for i, b := range rec.ann.Beats {
		peaks[i] = b.Sample
	}
	piece := rhythmPieceLen(m)
	rr := m.Meta().Segment * len(m.Meta().RRFeatures)
	if wave := m.Meta().Segment * m.Meta().Leads * m.Meta().WindowLen(); piece*(rr+wave) > rhythmPiece*rr || piece < 1 {
		t.Fatalf("pieces of %d segments of %d values, more than %d segments of RR features alone (%d)", piece, rr+wave, rhythmPiece, rr)
	}
	starts := rhythm.SegmentStarts(len(peaks), m.Meta().Segment, 1)
	classes, probs, err := classifyRhythm(m, rec.sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := m.ClassifyRhythm(rec.sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	if len(starts) <= 2*piece || !reflect.DeepEqual(classes, whole.Classes) || !sameProbs(probs, whole.Probs) {
		t.Errorf("%d segments in pieces of %d: the probabilities differ from one run", len(starts), piece)
	}
	if n := rhythmPieceLen(loadModel(t, "rhythm_small.onnx")); n != rhythmPiece {
		t.Errorf("RR features alone: pieces of %d segments, want %d", n, rhythmPiece)
	}
}
