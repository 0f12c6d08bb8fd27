package main

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/pipeline"
)

// TestSuggestedAdd counts the chunks of a run as the audit's and the
// finish message's "N beats" take them: a beat chunk's beats, episodes and
// noise count; a rhythm chunk's beats are the SVT run rule's relabels of
// beats counted already, so only its episodes do.
func TestSuggestedAdd(t *testing.T) {
	beats := func(n int) []annotate.Beat { return make([]annotate.Beat, n) }
	cases := []struct {
		name   string
		chunks []pipeline.Chunk
		want   suggested
	}{
		{"beat chunks", []pipeline.Chunk{
			{Stage: pipeline.StageBeats, Output: annotate.ModelOutput{Beats: beats(3), Noise: make([]annotate.Noise, 1)}},
			{Stage: pipeline.StageBeats, Output: annotate.ModelOutput{Beats: beats(4)}}},
			suggested{beats: 7, noise: 1, chunks: 2}},
		{"rhythm chunk with relabels", []pipeline.Chunk{
			{Stage: pipeline.StageBeats, Output: annotate.ModelOutput{Beats: beats(5)}},
			{Stage: pipeline.StageRhythm, Output: annotate.ModelOutput{Beats: beats(2), Episodes: make([]annotate.Episode, 1)}}},
			suggested{beats: 5, episodes: 1, chunks: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got suggested
			for _, ch := range c.chunks {
				got.add(ch)
			}
			if got != c.want {
				t.Errorf("counted %+v, want %+v", got, c.want)
			}
		})
	}
}
