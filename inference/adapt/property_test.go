package adapt

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// randomInput returns n beats with random labels of random layers (reader
// changes and confirmations, reference, propagated, adapted, model,
// detector), random population probabilities, embeddings and windows.
func randomInput(rng *rand.Rand, n int) Input {
	in := Input{Fs: 250, Classes: popClasses, EmbDim: 4, WinLen: 20}
	sources := []annotate.Source{annotate.SourceReader, annotate.SourceReference, annotate.SourcePropagated,
		annotate.SourceAdapted, annotate.SourceModel, annotate.SourceDetector}
	codes := []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC, annotate.Fusion, annotate.Unknown, annotate.LBBB}
	at := int64(0)
	for range n {
		at += 100 + rng.Int64N(200)
		b := annotate.Beat{Sample: at, Code: codes[rng.IntN(len(codes))],
			Prov: annotate.Provenance{Source: sources[rng.IntN(len(sources))], Who: "x"}, Review: annotate.Review(rng.IntN(3))}
		in.Beats = append(in.Beats, b)
		for range popClasses {
			in.Probs = append(in.Probs, rng.Float32())
		}
		for range in.EmbDim {
			in.Emb = append(in.Emb, float32(rng.NormFloat64()))
		}
		for range in.WinLen {
			in.Windows = append(in.Windows, float32(rng.NormFloat64()))
		}
	}
	return in
}

// TestAdaptNeverTouchesReaderLabels: on random label sets, every label the
// adapter proposes is for an adaptable beat, and after applying them every
// beat that was not adaptable (reader, reference, propagated, reviewed) is
// identical.
func TestAdaptNeverTouchesReaderLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		in := randomInput(rng, 20+rng.IntN(300))
		opt := Options{MinLabels: 1 + rng.IntN(20)}
		if trial%2 == 1 { // with the local gates
			opt.MinConfidence, opt.Neighbours, opt.Crowd = rng.Float64(), rng.IntN(8), rng.IntN(12)
			in.Group = make([]int, len(in.Beats))
			for i := range in.Group {
				in.Group[i] = rng.IntN(6) - 1
			}
		}
		res, err := Adapt(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		byAt := map[int64]annotate.Beat{}
		for _, b := range in.Beats {
			byAt[b.Sample] = b
		}
		for _, l := range res.Labels {
			if b := byAt[l.Sample]; !annotate.Adaptable(b) || l.Prov.Source != annotate.SourceAdapted {
				t.Fatalf("trial %d: label %+v proposed for %+v", trial, l, b)
			}
		}
		after := apply(t, in.Beats, res.Labels)
		for i, b := range in.Beats {
			if !annotate.Adaptable(b) && !reflect.DeepEqual(b, after[i]) {
				t.Fatalf("trial %d: beat %d changed from %+v to %+v", trial, b.Sample, b, after[i])
			}
		}
	}
}

func TestAdaptBadInput(t *testing.T) {
	ok := randomInput(rand.New(rand.NewPCG(3, 4)), 30)
	tests := []struct {
		name string
		edit func(in *Input)
	}{
		{"no fs", func(in *Input) { in.Fs = 0 }},
		{"short probs", func(in *Input) { in.Probs = in.Probs[1:] }},
		{"short embedding", func(in *Input) { in.Emb = in.Emb[1:] }},
		{"short windows", func(in *Input) { in.WinLen = 7 }},
		{"unsorted", func(in *Input) { in.Beats[0].Sample = 1 << 40 }},
	}
	for _, tt := range tests {
		in := ok
		in.Beats = append([]annotate.Beat(nil), ok.Beats...)
		tt.edit(&in)
		if _, err := Adapt(in, Options{}); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
