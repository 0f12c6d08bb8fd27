package check

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// Fix is what a finding's one-key fix does: relabel Samples to Code.
type Fix struct {
	Samples []int64
	Code    annotate.Code
	What    string // the fix in words, for a button: "2 S beats to N"
}

// FixOf returns the fix of finding f over the record's beats (sorted by
// Sample, as LabelSet.Beats), and false when f's rule has none or nothing
// is left to fix. Only s-in-af has one: its S beats become N, since without
// P waves an atrial premature beat cannot be told inside atrial
// fibrillation or flutter (a beat that is aberrant or ventricular needs the
// reader's own label, not this fix).
func FixOf(f Finding, beats []annotate.Beat) (Fix, bool) {
	if f.Rule != SInAF {
		return Fix{}, false
	}
	s := sBeats(beatsIn(beats, f.Start, f.End))
	if len(s) == 0 {
		return Fix{}, false
	}
	return Fix{Samples: s, Code: annotate.Normal, What: countBeats(len(s), "S ") + " to N"}, true
}

// sBeats returns the samples of the S beats of beats, in their order: what
// s-in-af finds in an episode and its fix relabels.
func sBeats(beats []annotate.Beat) []int64 {
	var s []int64
	for _, b := range beats {
		if b.Code.Class() == annotate.ClassS {
			s = append(s, b.Sample)
		}
	}
	return s
}

// countBeats counts n beats in words: "1 S beat", "3 S beats".
func countBeats(n int, kind string) string {
	if n == 1 {
		return "1 " + kind + "beat"
	}
	return fmt.Sprintf("%d %sbeats", n, kind)
}
