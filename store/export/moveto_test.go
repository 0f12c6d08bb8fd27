package export

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestMoveBeats checks moving reference beats to detector positions: the
// nearest in reach, the closest pair first, a position used once, other
// annotations and beats out of reach left alone.
func TestMoveBeats(t *testing.T) {
	b := func(s int64, c annotate.Code) annotate.Beat { return annotate.Beat{Sample: s, Code: c} }
	cases := []struct {
		name      string
		beats     []annotate.Beat
		positions []int64
		want      []int64
		moved     int
	}{
		{"each to its nearest", []annotate.Beat{b(100, annotate.Normal), b(300, annotate.PVC)}, []int64{95, 320}, []int64{95, 320}, 2},
		{"out of reach stays", []annotate.Beat{b(100, annotate.Normal)}, []int64{200}, []int64{100}, 0},
		{"already there", []annotate.Beat{b(100, annotate.Normal)}, []int64{100}, []int64{100}, 0},
		{"closest pair wins a shared position", []annotate.Beat{b(100, annotate.Normal), b(130, annotate.Normal)}, []int64{125}, []int64{100, 125}, 1},
		{"the loser takes its next nearest", []annotate.Beat{b(100, annotate.Normal), b(130, annotate.Normal)}, []int64{90, 125}, []int64{90, 125}, 2},
		{"non-beats stay", []annotate.Beat{b(100, annotate.Rhythm), b(200, annotate.Normal)}, []int64{105, 210}, []int64{100, 210}, 1},
		{"no positions", []annotate.Beat{b(100, annotate.Normal)}, nil, []int64{100}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := slices.Clone(c.beats)
			got, moved := MoveBeats(c.beats, c.positions, 20)
			var at []int64
			for _, g := range got {
				at = append(at, g.Sample)
			}
			if !slices.Equal(at, c.want) || moved != c.moved {
				t.Errorf("got %v (%d moved), want %v (%d)", at, moved, c.want, c.moved)
			}
			if !slices.EqualFunc(in, c.beats, func(a, b annotate.Beat) bool { return a.Sample == b.Sample && a.Code == b.Code }) {
				t.Errorf("the input changed: %v", c.beats)
			}
		})
	}
}
