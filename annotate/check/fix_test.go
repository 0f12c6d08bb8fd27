package check

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func TestFixOf(t *testing.T) {
	afWithS := func(in *Input) {
		in.Beats[31].Code, in.Beats[33].Code, in.Beats[40].Code = annotate.APC, annotate.Aberr, annotate.PVC
		in.Beats[20].Code = annotate.APC // before the episode: not part of its fix
		in.Beats[50].Code = annotate.APC // after it: nor this one
		in.Episodes = []annotate.Episode{ep("AFL", 2950, 4550)}
	}
	tests := []struct {
		name     string
		edit     func(in *Input)
		rule     Rule
		relabel  func(in *Input) // after the finding, before the fix is asked for
		want     []int64
		wantText string
	}{
		{"S in flutter become N, V stays", afWithS, SInAF, nil, []int64{3100, 3300}, "2 S beats to N"},
		{"one S left", afWithS, SInAF, func(in *Input) { in.Beats[31].Code = annotate.Normal }, []int64{3300}, "1 S beat to N"},
		{"nothing left to fix", afWithS, SInAF, func(in *Input) {
			in.Beats[31].Code, in.Beats[33].Code = annotate.Normal, annotate.Normal
		}, nil, ""},
		{"a rule without a fix", func(in *Input) {
			in.Noise = []annotate.Noise{{Start: 4050, End: 4350, Lead: -1}}
		}, BeatInNoise, nil, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(&in)
			f := findingOf(t, in, tc.rule)
			if tc.relabel != nil {
				tc.relabel(&in)
			}
			fix, ok := FixOf(f, in.Beats)
			if ok != (tc.want != nil) || !slices.Equal(fix.Samples, tc.want) || fix.What != tc.wantText {
				t.Fatalf("FixOf = %+v, %v; want samples %v (%q)", fix, ok, tc.want, tc.wantText)
			}
			if ok && fix.Code != annotate.Normal {
				t.Errorf("fix code %v, want N", fix.Code)
			}
		})
	}
}

// findingOf runs the checks and returns the one finding of rule.
func findingOf(t *testing.T, in Input, rule Rule) Finding {
	t.Helper()
	fs, err := Run(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no %s finding in %+v", rule, fs)
	return Finding{}
}
