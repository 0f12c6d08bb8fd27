package eval

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func rhythm(t int64, aux string) Annotation {
	return Annotation{Sample: t, Code: annotate.Rhythm, Aux: aux}
}

func TestEpisodes(t *testing.T) {
	got := Episodes([]Annotation{rhythm(0, "(N"), ann(10, 1, 0), rhythm(100, "(AFIB"), rhythm(150, "(AFIB"), rhythm(300, "(N")}, 1000)
	want := []annotate.Episode{{Start: 0, End: 100, Rhythm: "N"}, {Start: 100, End: 300, Rhythm: "AFIB"}, {Start: 300, End: 1000, Rhythm: "N"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if g := got[i]; g.Start != want[i].Start || g.End != want[i].End || g.Rhythm != want[i].Rhythm {
			t.Errorf("episode %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestCompareEpisodes(t *testing.T) {
	ep := func(s, e int64, r string) annotate.Episode { return annotate.Episode{Start: s, End: e, Rhythm: r} }
	cases := []struct {
		name      string
		ref, test []annotate.Episode
		o         Options
		want      EpisodeResult
	}{
		{"one overlap detects", []annotate.Episode{ep(100, 200, "AFIB")}, []annotate.Episode{ep(190, 400, "AFIB")}, Options{1, 0, 0},
			EpisodeResult{"AFIB", 1, 0, 1, 0, 100, 10, 210, 10}},
		{"no overlap", []annotate.Episode{ep(100, 200, "AFIB")}, []annotate.Episode{ep(200, 300, "AFIB")}, Options{1, 0, 0},
			EpisodeResult{"AFIB", 0, 1, 0, 1, 100, 0, 100, 0}},
		{"learning period clipped", []annotate.Episode{ep(0, 200, "AFIB")}, []annotate.Episode{ep(0, 50, "AFIB")}, Options{1, 100, 0},
			EpisodeResult{"AFIB", 0, 1, 0, 0, 100, 0, 0, 0}},
		{"reference AFL excluded from AF +P", []annotate.Episode{ep(100, 200, "AFL")}, []annotate.Episode{ep(100, 200, "AFIB")}, Options{1, 0, 0},
			EpisodeResult{"AFIB", 0, 0, 0, 0, 0, 0, 0, 0}},
		{"other rhythms ignored", []annotate.Episode{ep(100, 200, "N")}, []annotate.Episode{ep(100, 200, "N")}, Options{1, 0, 0},
			EpisodeResult{Rhythm: "AFIB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := CompareEpisodes(c.ref, c.test, "AFIB", c.o); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
