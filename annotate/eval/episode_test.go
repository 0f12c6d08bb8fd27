package eval

import (
	"math"
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
			EpisodeResult{"AFIB", 1, 0, 1, 0, 100, 10, 210, 10, 0, 0, 0, 0}},
		{"no overlap", []annotate.Episode{ep(100, 200, "AFIB")}, []annotate.Episode{ep(200, 300, "AFIB")}, Options{1, 0, 0},
			EpisodeResult{"AFIB", 0, 1, 0, 1, 100, 0, 100, 0, 0, 0, 0, 0}},
		{"learning period clipped", []annotate.Episode{ep(0, 200, "AFIB")}, []annotate.Episode{ep(0, 50, "AFIB")}, Options{1, 100, 0},
			EpisodeResult{"AFIB", 0, 1, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0}},
		{"reference AFL excluded from AF +P", []annotate.Episode{ep(100, 200, "AFL")}, []annotate.Episode{ep(100, 200, "AFIB")}, Options{1, 0, 0},
			EpisodeResult{"AFIB", 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0}},
		{"scored period: specificity counts", []annotate.Episode{ep(100, 200, "AFIB")}, []annotate.Episode{ep(150, 300, "AFIB")}, Options{1, 0, 1000},
			EpisodeResult{"AFIB", 1, 0, 1, 0, 100, 50, 150, 50, 1000, 0, 0, 0}},
		{"record without AF: time called AF", []annotate.Episode{ep(100, 200, "N")}, []annotate.Episode{ep(150, 300, "AFIB")}, Options{1, 100, 1100},
			EpisodeResult{"AFIB", 0, 0, 0, 1, 0, 0, 150, 0, 1000, 0, 1000, 150}},
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

func TestEpisodeSpecificity(t *testing.T) {
	cases := []struct {
		name     string
		r        EpisodeResult
		sp, none float64
		ok       bool
	}{
		// 1000 scored, 100 AF (50 found), 150 called: 100 false of 900 non-AF.
		{"one record", EpisodeResult{RefDur: 100, RefOverlap: 50, TestDur: 150, TestOverlap: 50, Period: 1000}, 100 * 800.0 / 900, 0, true},
		// AFL is neither AF nor non-AF: 1000 - 100 AF - 200 AFL = 700 non-AF.
		{"flutter left out", EpisodeResult{RefDur: 100, TestDur: 70, Period: 1000, Excluded: 200, NoneTime: 500, NoneCalled: 10}, 100 * 630.0 / 700, 2, true},
		{"no period", EpisodeResult{RefDur: 100}, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp, ok := c.r.DurationSp()
			if ok != c.ok || (ok && math.Abs(sp-c.sp) > 1e-9) {
				t.Errorf("DurationSp = %v, %v; want %v, %v", sp, ok, c.sp, c.ok)
			}
			if none, ok := c.r.NoneCalledPct(); ok && math.Abs(none-c.none) > 1e-9 {
				t.Errorf("NoneCalledPct = %v, want %v", none, c.none)
			}
		})
	}
}
