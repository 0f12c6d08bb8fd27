package pipeline

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func TestChunkRegion(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stage string
		kinds annotate.LabelKinds
	}{
		{"beats and noise", StageBeats, annotate.KindBeats | annotate.KindNoise},
		{"episodes and relabels", StageRhythm, annotate.KindEpisodes | annotate.KindRelabel},
		{"re-classified beats", StageReclassify, annotate.KindBeats},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Chunk{Start: 10, End: 20, Stage: tc.stage}.Region()
			if want := (annotate.ModelRegion{Start: 10, End: 20, Kinds: tc.kinds}); r != want {
				t.Errorf("Region() = %+v, want %+v", r, want)
			}
		})
	}
}
