package check

import (
	"cmp"
	"slices"
)

// Priority lists the rules in the order a reader should look at them,
// the most urgent first:
//
//   - pause-unmarked: a long RR interval with no PAUSE episode may be a
//     missed pause, heart block or asystole, absent from the report;
//   - vt-few-v, vt-slow: a VT episode that the beats do not bear out
//     reports a life-threatening rhythm wrongly (or an idioventricular one);
//   - beats-too-close: a double detection doubles the rate and makes a
//     false tachycardia;
//   - pause-no-pause: a PAUSE episode over no long RR reports a pause that
//     is not there;
//   - s-in-af, af-short: mislabelled beats in AF and AF too short to
//     count distort the arrhythmia burden;
//   - beat-in-noise, episode-overlap: labels in unreadable signal and
//     duplicated episodes, cleanup;
//   - signed-unreviewed last: bookkeeping, one finding per unreviewed
//     model episode, which would otherwise bury the rest.
var Priority = []Rule{PauseUnmarked, VTFewV, VTSlow, BeatsTooClose, PauseNoPause,
	SInAF, AFShort, BeatInNoise, EpisodeOverlap, SignedUnreviewed}

// Group is the findings (or items made of them) of one rule.
type Group[T any] struct {
	Rule  Rule
	Title string // the rule's title from Rules; the rule's name for a rule Rules does not list
	Items []T    // in the order given
}

// Summarize groups findings by rule, the groups in Priority order, each
// group's findings in the order given (Run's: by sample).
func Summarize(fs []Finding) []Group[Finding] {
	return GroupBy(fs, func(f Finding) Rule { return f.Rule })
}

// GroupBy groups xs by the rule of each, the groups in Priority order
// (rules Priority does not list last, by name), each group's items in the
// order of xs. len(group.Items) is the group's count.
func GroupBy[T any](xs []T, rule func(T) Rule) []Group[T] {
	at := map[Rule]int{}
	var out []Group[T]
	for _, x := range xs {
		r := rule(x)
		i, ok := at[r]
		if !ok {
			i = len(out)
			at[r] = i
			out = append(out, Group[T]{Rule: r, Title: title(r)})
		}
		out[i].Items = append(out[i].Items, x)
	}
	slices.SortStableFunc(out, func(a, b Group[T]) int {
		return cmp.Or(cmp.Compare(rank(a.Rule), rank(b.Rule)), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// rank returns r's place in Priority, or len(Priority) when not there.
func rank(r Rule) int {
	if i := slices.Index(Priority, r); i >= 0 {
		return i
	}
	return len(Priority)
}

// title returns r's title from Rules, or its name.
func title(r Rule) string {
	for _, x := range Rules {
		if x.Rule == r {
			return x.Title
		}
	}
	return string(r)
}
