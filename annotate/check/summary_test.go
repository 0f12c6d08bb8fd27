package check

import (
	"slices"
	"testing"
)

func TestSummarize(t *testing.T) {
	f := func(r Rule, at int64) Finding { return Finding{Rule: r, Sample: at} }
	type grp struct {
		rule    Rule
		samples []int64
	}
	tests := []struct {
		name string
		in   []Finding
		want []grp
	}{
		{"none", nil, nil},
		{"one kind keeps the order given", []Finding{f(SignedUnreviewed, 5), f(SignedUnreviewed, 1), f(SignedUnreviewed, 9)},
			[]grp{{SignedUnreviewed, []int64{5, 1, 9}}}},
		{"bookkeeping after a missed pause", []Finding{f(SignedUnreviewed, 1), f(SignedUnreviewed, 2), f(PauseUnmarked, 3), f(SignedUnreviewed, 4)},
			[]grp{{PauseUnmarked, []int64{3}}, {SignedUnreviewed, []int64{1, 2, 4}}}},
		{"priority order", []Finding{f(EpisodeOverlap, 1), f(SInAF, 2), f(VTSlow, 3), f(BeatsTooClose, 4), f(VTFewV, 5), f(AFShort, 6), f(SInAF, 7)},
			[]grp{{VTFewV, []int64{5}}, {VTSlow, []int64{3}}, {BeatsTooClose, []int64{4}}, {SInAF, []int64{2, 7}}, {AFShort, []int64{6}}, {EpisodeOverlap, []int64{1}}}},
		{"an unknown rule last", []Finding{f("zz-new", 1), f(SignedUnreviewed, 2), f("aa-new", 3)},
			[]grp{{SignedUnreviewed, []int64{2}}, {"aa-new", []int64{3}}, {"zz-new", []int64{1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("%d groups %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				var at []int64
				for _, x := range g.Items {
					at = append(at, x.Sample)
				}
				if g.Rule != w.rule || !slices.Equal(at, w.samples) || g.Title == "" {
					t.Errorf("group %d: %s %q %v, want %s %v", i, g.Rule, g.Title, at, w.rule, w.samples)
				}
			}
		})
	}
}

// TestPriorityListsEveryRule keeps Priority and Rules in step.
func TestPriorityListsEveryRule(t *testing.T) {
	if len(Priority) != len(Rules) {
		t.Fatalf("%d rules in Priority, %d in Rules", len(Priority), len(Rules))
	}
	for _, r := range Rules {
		if !slices.Contains(Priority, r.Rule) {
			t.Errorf("%s missing from Priority", r.Rule)
		}
	}
	if g := Summarize([]Finding{{Rule: SignedUnreviewed}}); g[0].Title != "signed off with unreviewed labels" {
		t.Errorf("title %q", g[0].Title)
	}
}
