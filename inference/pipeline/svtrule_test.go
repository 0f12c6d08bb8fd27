package pipeline

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/inference/svtrun"
)

// svtRecord is a clean 20-minute synthetic record with 6 minutes of
// paroxysmal SVT at 120 bpm from 7 min, with its reference labels and
// the SVTA episode among them.
func svtRecord(t *testing.T) (*record, annotate.Episode) {
	return svtRecordOf(t, 20*time.Minute, 6*time.Minute)
}

// svtRecordOf is svtRecord lasting d, with an SVT of length n.
func svtRecordOf(t *testing.T, d, n time.Duration) (*record, annotate.Episode) {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration = d
	cfg.Noise = synth.NoiseConfig{}
	cfg.Events = []synth.Event{{Rhythm: "SVTA", At: 7 * time.Minute, Length: n}}
	cfg.SVTRate = 120 // the shipped beat model calls SVT at 140 or 170 bpm S by itself, at 120 N
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var svt annotate.Episode
	for _, e := range ann.Episodes {
		if e.Rhythm == "SVTA" {
			svt = e
		}
	}
	return &record{sig: newView(info, samples, 0), ann: ann}, svt
}

// shippedModel loads a model the app ships (assets/models).
func shippedModel(t *testing.T, name string) *model.Model {
	t.Helper()
	m, err := model.Load(filepath.Join("..", "..", "assets", "models", name), testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}

// TestSVTRunRule runs the pipeline with the shipped models on a record
// with paroxysmal SVT: the rhythm chunk relabels the SVT beats the beat
// model called N, and only those, as S by the rule; the result's beats
// and marks carry them; the rhythm stage finds the SVTA episode. A
// region inside the run, run again, reads ±10 minutes of earlier beats
// (with the rhythm stage's ±2 minutes, all SVT, its beats stay N).
func TestSVTRunRule(t *testing.T) {
	rec, ref := svtRecord(t)
	var c collect
	p, err := New(Config{Signal: rec.sig, Beat: shippedModel(t, "beat.onnx"), Rhythm: shippedModel(t, "rhythm.onnx"), OnChunk: c.chunk})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := c.chunks[len(c.chunks)-1]
	if last.Stage != StageRhythm || last.Region().Kinds&annotate.KindRelabel == 0 {
		t.Fatalf("last chunk: stage %q, region %+v; want the rhythm chunk with relabels", last.Stage, last.Region())
	}
	relabelled := map[int64]bool{}
	for _, b := range last.Output.Beats {
		relabelled[b.Sample] = true
		if b.Sample < ref.Start || b.Sample >= ref.End || b.Code != annotate.APC || !svtrun.Tagged(b.Prov) {
			t.Errorf("relabel %d %v by %q; want S by the rule inside the SVT at %d-%d", b.Sample, b.Code, b.Prov.Who, ref.Start, ref.End)
		}
	}
	var in, s int
	for i, b := range res.Output.Beats {
		if b.Sample < ref.Start || b.Sample >= ref.End {
			continue
		}
		in++
		if b.Code.Class() == annotate.ClassS {
			s++
		}
		if m := res.Marks[i]; m.Sample != b.Sample || m.Code != b.Code {
			t.Errorf("beat %d: mark %v, beat %v", b.Sample, m.Code, b.Code)
		}
		if relabelled[b.Sample] && (b.Code != annotate.APC || len(b.Prov.Probs) == 0) {
			t.Errorf("relabelled beat %d in the result: %v, probabilities %v", b.Sample, b.Code, b.Prov.Probs)
		}
	}
	t.Logf("SVT %d-%d: %d beats, %d S, %d relabelled by the rule", ref.Start, ref.End, in, s, len(relabelled))
	if len(relabelled) < in/2 || s < in*9/10 {
		t.Errorf("%d of the %d SVT beats are S (%d by the rule); want at least 90%%, half by the rule", s, in, len(relabelled))
	}
	found := false
	for _, e := range res.Output.Episodes {
		found = found || e.Rhythm == "SVTA" && e.Start < ref.End && ref.Start < e.End
	}
	if !found {
		t.Errorf("no SVTA episode over the SVT at %d-%d: %v", ref.Start, ref.End, res.Output.Episodes)
	}
	// A region inside the run, run again: the rule reads its ±10 minutes.
	mid, w := (ref.Start+ref.End)/2, int64(30*rec.sig.Info().Fs)
	c.chunks = nil
	again, err := p.RunRegion(context.Background(), mid-w, mid+w)
	if err != nil {
		t.Fatal(err)
	}
	last = c.chunks[len(c.chunks)-1]
	for _, b := range again.Marks {
		if b.Code.Class() != annotate.ClassS {
			t.Errorf("region run: SVT beat %d is %v", b.Sample, b.Code)
		}
	}
	if len(last.Output.Beats) < len(again.Marks)/2 {
		t.Errorf("region run: %d of its %d beats relabelled by the rule", len(last.Output.Beats), len(again.Marks))
	}
}

// TestSVTRegionInLongRun runs again a one-minute region 12 minutes into
// an SVT of 15 minutes, longer than the rule's ±11 minutes of context:
// the rule still sees the run's onset and the slow rhythm before it, so
// the region's beats stay S (the model alone calls them N).
func TestSVTRegionInLongRun(t *testing.T) {
	rec, ref := svtRecordOf(t, 30*time.Minute, 15*time.Minute)
	var c collect
	p, err := New(Config{Signal: rec.sig, Beat: shippedModel(t, "beat.onnx"), OnChunk: c.chunk})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fs := rec.sig.Info().Fs
	start := ref.Start + int64(12*60*fs)
	end := start + int64(60*fs)
	countS := func(beats []annotate.Beat) (in, s int) {
		for _, b := range beats {
			if b.Sample >= start && b.Sample < end {
				in++
				if b.Code.Class() == annotate.ClassS {
					s++
				}
			}
		}
		return in, s
	}
	if in, s := countS(res.Output.Beats); in == 0 || s < in*9/10 {
		t.Fatalf("whole run: %d of the region's %d beats S; want at least 90%%", s, in)
	}
	c.chunks = nil
	again, err := p.RunRegion(context.Background(), start, end)
	if err != nil {
		t.Fatal(err)
	}
	last := c.chunks[len(c.chunks)-1]
	if in, s := countS(again.Marks); in == 0 || s < in*9/10 || len(last.Output.Beats) < in/2 {
		t.Errorf("region run: %d of its %d beats S, %d relabelled by the rule; want at least 90%% S, half by the rule",
			s, in, len(last.Output.Beats))
	}
}

// TestSVTRuleInSession runs the pipeline as the window does (Discard, each
// chunk merged into a session as a region) on the SVT record: the
// session's SVT beats are S by the rule, with the model's probabilities.
// Then a reader relabels one of them V and its neighbours are re-classified:
// the model alone would call them N, but they stay S by the rule.
func TestSVTRuleInSession(t *testing.T) {
	rec, ref := svtRecord(t)
	s := openSession(t)
	var mergeErr error
	p, err := New(Config{Signal: rec.sig, Beat: shippedModel(t, "beat.onnx"), Beats: s, Discard: true,
		OnChunk: func(c Chunk) {
			if _, err := s.MergeModelRegion(c.Output, c.Region()); err != nil && mergeErr == nil {
				mergeErr = err
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(context.Background()); err != nil || mergeErr != nil {
		t.Fatal(err, mergeErr)
	}
	in := s.BeatsIn(ref.Start, ref.End)
	ruled := 0
	for _, b := range in {
		if svtrun.Tagged(b.Prov) {
			ruled++
			if b.Code != annotate.APC || len(b.Prov.Probs) == 0 {
				t.Errorf("session beat %d by the rule: %v, probabilities %v", b.Sample, b.Code, b.Prov.Probs)
			}
		}
	}
	if ruled < len(in)/2 {
		t.Fatalf("%d of the session's %d SVT beats relabelled by the rule", ruled, len(in))
	}
	mid := in[len(in)/2]
	if err := s.Relabel([]int64{mid.Sample}, annotate.PVC, "reader"); err != nil {
		t.Fatal(err)
	}
	c, err := p.Reclassify(context.Background(), []int64{mid.Sample})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeModel(c.Output); err != nil {
		t.Fatal(err)
	}
	for _, nb := range c.Output.Beats {
		got, _ := s.Beat(nb.Sample)
		switch {
		case nb.Sample == mid.Sample && got.Code != annotate.PVC:
			t.Errorf("the reader's V at %d became %v", nb.Sample, got.Code)
		case nb.Sample != mid.Sample && got.Code.Class() != annotate.ClassS:
			t.Errorf("re-classified SVT beat %d: %v by %q, want S", nb.Sample, got.Code, got.Prov.Who)
		}
	}
}

// TestStoreNoise checks that a run's noise replaces the stored stretches
// that start in its region and keeps the others, which the SVT run rule
// reads beyond a region.
func TestStoreNoise(t *testing.T) {
	n := func(s, e int64) annotate.Noise { return annotate.Noise{Start: s, End: e} }
	cases := []struct {
		name        string
		stored, run []annotate.Noise
		start, end  int64
		want        []annotate.Noise
	}{
		{"first run", nil, []annotate.Noise{n(10, 20)}, 0, 100, []annotate.Noise{n(10, 20)}},
		{"re-run replaces its region's", []annotate.Noise{n(10, 20), n(150, 160)}, nil, 0, 100, []annotate.Noise{n(150, 160)}},
		{"keeps the context's", []annotate.Noise{n(10, 20), n(150, 160)}, []annotate.Noise{n(120, 130)}, 100, 200,
			[]annotate.Noise{n(10, 20), n(120, 130)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &Pipeline{noise: c.stored}
			span := func(n annotate.Noise) [2]int64 { return [2]int64{n.Start, n.End} }
			p.storeNoise(c.run, c.start, c.end)
			if got := p.noise; !slices.EqualFunc(got, c.want, func(a, b annotate.Noise) bool { return span(a) == span(b) }) {
				t.Errorf("storeNoise = %v, want %v", got, c.want)
			}
		})
	}
}

// TestSVTRuleReadsNoise checks that the rhythm stage's rule is given the
// stored noise: a stretch whose onset lies in noise, even noise of an
// earlier run outside the region, relabels nothing.
func TestSVTRuleReadsNoise(t *testing.T) {
	rec, _ := svtRecord(t)
	p, err := New(Config{Signal: rec.sig, Beat: shippedModel(t, "beat.onnx")})
	if err != nil {
		t.Fatal(err)
	}
	fs := p.info.Fs
	var marks []rhythm.Mark
	at := int64(0)
	for i := range 1200 { // 600 beats at 0.8 s, 30 at 0.4 s, 570 at 0.8 s
		rr := 0.8
		if i >= 600 && i < 630 {
			rr = 0.4
		}
		at += int64(rr * fs)
		marks = append(marks, rhythm.Mark{Sample: at, Code: annotate.Normal})
	}
	onset := marks[599].Sample
	for _, c := range []struct {
		name  string
		noise []annotate.Noise
		want  int
	}{{"no noise", nil, 20}, {"noise at the onset, outside the region", []annotate.Noise{{Start: onset, End: onset + 10}}, 0}} {
		t.Run(c.name, func(t *testing.T) {
			p.noise = c.noise // an earlier run's, outside the region
			r := &runner{p: p, res: &Result{Start: marks[610].Sample, End: marks[1199].Sample + 1}}
			got := r.svtRule(slices.Clone(marks))
			if len(got) != c.want { // the region holds beats 610-629 of the run 600-629
				t.Errorf("%d beats relabelled in the region, want %d", len(got), c.want)
			}
		})
	}
}
