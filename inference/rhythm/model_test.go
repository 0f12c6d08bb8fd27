package rhythm

import (
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// perBeat returns windows of one beat each, so every beat's probability is
// exactly its own row: AFIB p, OTHER 1-p.
func perBeat(p []float32) *Windows {
	w := &Windows{Segment: 1, Classes: []string{"AFIB", "OTHER"}, Who: "rhythm@1"}
	for i, v := range p {
		w.Starts = append(w.Starts, i)
		w.Probs = append(w.Probs, v, 1-v)
	}
	return w
}

func repeat(v float32, k int) []float32 { return slices.Repeat([]float32{v}, k) }

// TestModelEpisodes checks the hysteresis: enter at 0.6, stay while >= 0.4.
func TestModelEpisodes(t *testing.T) {
	beats := build(seg{n(100), 0.8})
	noPost := Options{Post: map[string]Post{"AFIB": {}}}
	cases := []struct {
		name string
		p    []float32
		opt  Options
		want []want
	}{
		{"never reaches enter", repeat(0.55, 100), noPost, nil},
		// beats 10..49: 0.65 then 0.45 (stays on), beat 50 drops to 0.3
		{"enter and stay above exit", slices.Concat(repeat(0.1, 10), repeat(0.65, 5), repeat(0.45, 35), repeat(0.3, 50)),
			noPost, []want{{AF, 10, 49}}},
		{"two episodes", slices.Concat(repeat(0.1, 10), repeat(0.9, 10), repeat(0.2, 10), repeat(0.9, 10), repeat(0.1, 60)),
			noPost, []want{{AF, 10, 19}, {AF, 30, 39}}},
		{"runs to the last beat", slices.Concat(repeat(0.1, 90), repeat(0.9, 10)), noPost, []want{{AF, 90, 99}}},
		// 8 s apart: merged across the default 10 s gap; 35 s long in all
		{"default post merges a short gap", slices.Concat(repeat(0.1, 10), repeat(0.9, 20), repeat(0.2, 10), repeat(0.9, 20), repeat(0.1, 40)),
			Options{}, []want{{AF, 10, 59}}},
		{"default post drops 16 s", slices.Concat(repeat(0.1, 10), repeat(0.9, 20), repeat(0.1, 70)), Options{}, nil},
		{"background classes make none", repeat(0.1, 100), noPost, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Detect(Input{Beats: beats, Fs: fs, Model: perBeat(c.p)}, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i, w := range c.want {
				e := w.episode(beats)
				if g := got[i]; g.Rhythm != e.Rhythm || g.Start != e.Start || g.End != e.End || g.Prov.Who != "rhythm@1" {
					t.Errorf("episode %d: got %+v, want %s [%d, %d) by rhythm@1", i, g, e.Rhythm, e.Start, e.End)
				}
			}
		})
	}
}

// TestBeatProbs checks the averaging over overlapping segments: segments of
// 4 beats from beats 0, 2 and 4 over 8 beats.
func TestBeatProbs(t *testing.T) {
	w := Windows{Starts: []int{0, 2, 4}, Segment: 4, Classes: []string{"AFIB", "OTHER"},
		Probs: []float32{0.2, 0.8, 0.6, 0.4, 1, 0}}
	p, held, err := w.BeatProbs(9)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.2, 0.2, 0.4, 0.4, 0.8, 0.8, 1, 1, 0}
	for i, v := range want {
		if d := p[2*i] - v; d > 1e-6 || d < -1e-6 {
			t.Errorf("beat %d: AFIB %v, want %v", i, p[2*i], v)
		}
		if held[i] != (i < 8) {
			t.Errorf("beat %d: held %v", i, held[i])
		}
	}
}

func TestSegmentStarts(t *testing.T) {
	cases := []struct {
		name           string
		n, seg, stride int
		want           []int
	}{
		{"fewer beats than a segment", 5, 8, 4, nil},
		{"exactly one segment", 8, 8, 4, []int{0}},
		{"stride 4", 20, 8, 4, []int{0, 4, 8, 12}},
		{"last segment ends at the last beat", 21, 8, 4, []int{0, 4, 8, 12, 13}},
		{"stride 0 means 1", 10, 8, 0, []int{0, 1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SegmentStarts(c.n, c.seg, c.stride); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestClean checks merging across gaps and the minimum duration, per
// rhythm, at 100 Hz.
func TestClean(t *testing.T) {
	ep := func(r string, s, e int64) annotate.Episode {
		return annotate.Episode{Start: s, End: e, Rhythm: r, Prov: annotate.Provenance{Who: "m", Confidence: 1}}
	}
	o := Options{Post: map[string]Post{
		"X": {MergeGap: time.Second, MinDuration: 5 * time.Second},
	}}
	cases := []struct {
		name string
		in   []annotate.Episode
		want []annotate.Episode
	}{
		{"gap of 1 s merges", []annotate.Episode{ep("X", 0, 300), ep("X", 400, 700)}, []annotate.Episode{ep("X", 0, 700)}},
		{"gap over 1 s does not", []annotate.Episode{ep("X", 0, 600), ep("X", 701, 1300)}, []annotate.Episode{ep("X", 0, 600), ep("X", 701, 1300)}},
		{"short ones dropped after merging", []annotate.Episode{ep("X", 0, 200), ep("X", 1000, 1400)}, nil},
		{"rhythms do not merge", []annotate.Episode{ep("X", 0, 600), ep("VT", 650, 700)}, []annotate.Episode{ep("X", 0, 600), ep("VT", 650, 700)}},
		{"overlapping ones merge, unsorted", []annotate.Episode{ep("X", 400, 900), ep("X", 0, 500)}, []annotate.Episode{ep("X", 0, 900)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Clean(c.in, 100, o)
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i].Start != c.want[i].Start || got[i].End != c.want[i].End || got[i].Rhythm != c.want[i].Rhythm {
					t.Errorf("episode %d: got %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}
