package pipeline

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// TestDetectionOnly runs the pipeline without models on the 30-minute demo
// record in 1-minute chunks and checks it against detection of the whole
// record in one pass and against the generator's exact reference beats.
func TestDetectionOnly(t *testing.T) {
	rec := synthRecord(t, 30*time.Minute)
	var got collect
	p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, Workers: 2, OnChunk: got.chunk, OnProgress: got.prog})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	beats := res.Output.Beats
	for i := 1; i < len(beats); i++ {
		if beats[i].Sample <= beats[i-1].Sample {
			t.Fatalf("beat %d at %d does not follow %d", i, beats[i].Sample, beats[i-1].Sample)
		}
	}
	for _, b := range beats {
		if b.Code != annotate.Unclassified || b.Prov.Source != annotate.SourceDetector || !b.IsUnclassified() {
			t.Fatalf("beat %+v: without a model every beat is the detector's, unclassified (not N)", b)
		}
	}
	whole, err := qrs.Detect(rec.sig, qrs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The same beats (within EC57's 150 ms), nearly all at the same sample:
	// the detector's lead weights follow its noise estimates, which start
	// afresh at each chunk's margin, so in noise a mark may move a little.
	w := int64(0.15 * rec.sig.Info().Fs)
	same, exact := countMatched(beats, whole, w), countMatched(beats, whole, 0)
	t.Logf("%d beats in chunks, %d in one pass, %d within 150 ms, %d at the same sample", len(beats), len(whole), same, exact)
	if same != len(beats) || same != len(whole) || float64(exact) < 0.99*float64(len(whole)) {
		t.Errorf("chunked detection differs from one pass")
	}
	checkReference(t, res, rec)
	checkStream(t, &got, res, 30)
}

// countMatched counts the beats of a that have a beat of b within w samples.
func countMatched(a, b []annotate.Beat, w int64) int {
	n, j := 0, 0
	for _, x := range a {
		for j < len(b) && b[j].Sample < x.Sample-w {
			j++
		}
		if j < len(b) && b[j].Sample <= x.Sample+w {
			n++
		}
	}
	return n
}

// checkReference scores the beats against the generator's (EC57 bxb, whole
// record) and the pauses episode by episode.
func checkReference(t *testing.T, res *Result, rec *record) {
	t.Helper()
	info := rec.sig.Info()
	r, err := eval.Compare(info.Name, eval.FromBeats(rec.ann.Beats), eval.FromBeats(res.Output.Beats), eval.DefaultOptions(info.Fs, info.NSamples).WholeRecord())
	if err != nil {
		t.Fatal(err)
	}
	qrs := r.Matrix.Detection()
	se, _ := qrs.Se()
	pp, _ := qrs.PP()
	t.Logf("QRS against the reference (whole record): Se %.2f +P %.2f", se, pp)
	if se < 99 || pp < 99 {
		t.Errorf("QRS Se %.2f +P %.2f, want both >= 99", se, pp)
	}
	ep := eval.CompareEpisodes(rec.ann.Episodes, res.Output.Episodes, rhythm.Pause, eval.Options{End: info.NSamples})
	if ep.FN > 0 || ep.FP > 0 || ep.TPs == 0 {
		t.Errorf("pauses: %+v, want every reference pause and no other", ep)
	}
}

// checkStream checks the chunks and progress a run handed out: n beat
// chunks then one rhythm chunk, holding the result's labels, and progress
// rising to 1.
func checkStream(t *testing.T, got *collect, res *Result, n int) {
	t.Helper()
	if len(got.chunks) != n+1 || got.chunks[n].Stage != StageRhythm {
		t.Fatalf("%d chunks, want %d beat chunks and a rhythm chunk", len(got.chunks), n)
	}
	var beats []annotate.Beat
	chunks := slices.Clone(got.chunks[:n])
	slices.SortFunc(chunks, func(a, b Chunk) int { return int(a.Start - b.Start) })
	for _, c := range chunks {
		beats = append(beats, c.Output.Beats...)
	}
	if !slices.EqualFunc(beats, res.Output.Beats, func(a, b annotate.Beat) bool { return a.Sample == b.Sample && a.Code == b.Code }) {
		t.Error("the beat chunks do not add up to the result")
	}
	if len(got.chunks[n].Output.Episodes) != len(res.Output.Episodes) {
		t.Error("the rhythm chunk does not hold the result's episodes")
	}
	last := got.progress[len(got.progress)-1]
	if last.Fraction != 1 || last.Beats != len(res.Output.Beats) || last.Stage != StageRhythm {
		t.Errorf("last progress %+v", last)
	}
	for i := 1; i < len(got.progress); i++ {
		if got.progress[i].Fraction < got.progress[i-1].Fraction {
			t.Errorf("progress went back: %v then %v", got.progress[i-1].Fraction, got.progress[i].Fraction)
		}
	}
}

// TestFocusFirst checks the order of chunks: the one holding the focus,
// then alternately after and before it.
func TestFocusFirst(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	var got collect
	p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, Workers: 1, OnChunk: got.chunk})
	if err != nil {
		t.Fatal(err)
	}
	fs := rec.sig.Info().Fs
	p.SetFocus(int64(6.5 * 60 * fs))
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, c := range got.chunks[:10] {
		order = append(order, c.Start/int64(60*fs))
	}
	if want := []int64{6, 7, 5, 8, 4, 9, 3, 2, 1, 0}; !slices.Equal(order, want) {
		t.Errorf("chunks in minute order %v, want %v", order, want)
	}
}

// TestSetFocusDuringRun moves the focus while the first chunk is handed
// over: the next chunk is the one that holds the new focus.
func TestSetFocusDuringRun(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	fs := rec.sig.Info().Fs
	var starts []int64
	var p *Pipeline
	p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, Workers: 1, OnChunk: func(c Chunk) {
		if len(starts) == 0 {
			p.SetFocus(int64(8.2 * 60 * fs))
		}
		starts = append(starts, c.Start/int64(60*fs))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// chunk 1 may already be taken while chunk 0 is handed over
	if starts[0] != 0 || (starts[1] != 8 && starts[2] != 8) {
		t.Errorf("chunks %v: want 0, then 8 within one chunk", starts)
	}
}

// TestCancel cancels a run from its first chunk: Run returns the context's
// error and hands nothing more over.
func TestCancel(t *testing.T) {
	rec := synthRecord(t, 30*time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, Workers: 2, OnChunk: func(Chunk) { n++; cancel() }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if n != 1 {
		t.Errorf("%d chunks handed over after cancelling in the first", n)
	}
}

func TestErrors(t *testing.T) {
	rec := synthRecord(t, 10*time.Minute)
	info := rec.sig.Info()
	empty := newView(info, [][]int32{{}, {}}, 0)
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"no signal", func() error { _, err := New(Config{}); return err }, ErrConfig},
		{"empty record", func() error { _, err := New(Config{Signal: empty}); return err }, ErrConfig},
		{"region past the end", func() error {
			p, _ := New(Config{Signal: rec.sig})
			_, err := p.RunRegion(context.Background(), 0, info.NSamples+1)
			return err
		}, ErrRegion},
		{"empty region", func() error {
			p, _ := New(Config{Signal: rec.sig})
			_, err := p.RunRegion(context.Background(), 100, 100)
			return err
		}, ErrRegion},
		{"reclassify without a model", func() error {
			p, _ := New(Config{Signal: rec.sig})
			_, err := p.Reclassify(context.Background(), []int64{1})
			return err
		}, ErrNoBeatModel},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

// TestDiscard runs the pipeline with Discard, the reader's focus in the
// middle of the record (so chunks come out of sample order), beside a
// plain run: the chunks handed over hold the same beats, the result keeps
// none of them (no Marks either) but the same noise and episodes.
func TestDiscard(t *testing.T) {
	rec := synthRecord(t, 30*time.Minute)
	run := func(discard bool) (*Result, []annotate.Beat) {
		var handed []annotate.Beat
		p, err := New(Config{Signal: rec.sig, Chunk: time.Minute, Workers: 2, Discard: discard,
			OnChunk: func(c Chunk) { handed = append(handed, c.Output.Beats...) }})
		if err != nil {
			t.Fatal(err)
		}
		p.SetFocus(rec.sig.Info().NSamples / 2)
		res, err := p.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(handed, func(a, b annotate.Beat) int { return int(a.Sample - b.Sample) })
		return res, handed
	}
	plain, plainHanded := run(false)
	kept, handed := run(true)
	if len(kept.Output.Beats) != 0 || kept.Emb != nil {
		t.Errorf("Discard kept %d beats and %d embedding values", len(kept.Output.Beats), len(kept.Emb))
	}
	if !slices.EqualFunc(handed, plainHanded, sameBeat) || kept.Marks != nil {
		t.Errorf("Discard handed over %d beats and kept %d marks; a plain run %d and %d", len(handed), len(kept.Marks), len(plainHanded), len(plain.Marks))
	}
	if !slices.EqualFunc(kept.Output.Noise, plain.Output.Noise, func(a, b annotate.Noise) bool { return a.Start == b.Start && a.End == b.End && a.Lead == b.Lead }) ||
		!reflect.DeepEqual(kept.Output.Episodes, plain.Output.Episodes) {
		t.Errorf("Discard: %d noise, %d episodes; a plain run %d, %d", len(kept.Output.Noise), len(kept.Output.Episodes), len(plain.Output.Noise), len(plain.Output.Episodes))
	}
}

func sameBeat(a, b annotate.Beat) bool { return a.Sample == b.Sample && a.Code == b.Code }
