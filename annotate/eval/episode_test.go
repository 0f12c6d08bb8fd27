package eval

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

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
