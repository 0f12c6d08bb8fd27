package sim

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// TestChecksFixSInAF: the model calls S some beats of a stretch it also
// calls AF. Where those beats are truly N, the reader fixes them all from
// the consistency checks (a key to open them, a click on the finding, a
// click on Fix); where they are truly S, the fix would break them and the
// reader leaves it.
func TestChecksFixSInAF(t *testing.T) {
	cases := []struct {
		name     string
		truthS   bool  // the beats called S are truly S
		checks   bool  // the reader uses the checks (a "checks" phase)
		want     Tally // that phase's keys, clicks and relabels
		wantLeft int   // beats the last scan relabels
	}{
		{"fix pays", false, true, Tally{Keys: 1, Clicks: 2, Relabels: 6}, 0},
		{"checks off: the last scan fixes them", false, false, Tally{}, 6},
		{"true S beats are left", true, true, Tally{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, ann := synthRecord(t)
			rec.Templates, rec.Splitter = nil, nil
			first, last := afStretch(t, rec, ann, c.truthS)
			rec.Episodes = []annotate.Episode{{Rhythm: "AFIB", Start: rec.Model[first].Sample - 10,
				End: rec.Model[last].Sample + 10, Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "test@1"}}}
			costs := DefaultCosts()
			costs.Patience, costs.Checks = 0, c.checks
			res := run(t, rec, Templates, costs)
			if c.checks {
				ph := phaseNamed(t, res, "checks")
				if got := (Tally{Keys: ph.Keys, Clicks: ph.Clicks, Relabels: ph.Relabels}); got != c.want {
					t.Errorf("checks phase %+v, want %+v", got, c.want)
				}
			}
			for _, p := range res.Phases {
				if p.Name == "checks" && !c.checks {
					t.Errorf("a checks phase with Costs.Checks off: %+v", p)
				}
			}
			if left := phaseNamed(t, res, "left"); left.Relabels != c.wantLeft {
				t.Errorf("last scan relabelled %d beats, want %d", left.Relabels, c.wantLeft)
			}
		})
	}
}

// afStretch finds 30 consecutive model beats that are all truly N and
// makes the model call 6 of them S; with truthS the reference calls those
// S too. It returns the stretch's first and last index.
func afStretch(t *testing.T, rec Record, ann synth.Annotations, truthS bool) (int, int) {
	t.Helper()
	first, run := -1, 0
	for i := range rec.Model {
		if run = run + 1; truthOf(ann, rec.Model[i].Sample) != annotate.ClassN {
			run = 0
		}
		if run == 30 {
			first = i - 29
			break
		}
	}
	if first < 0 {
		t.Fatal("no 30 N beats in a row")
	}
	for i := first; i < first+30; i += 5 {
		rec.Model[i] = modelBeat(rec.Model[i].Sample, annotate.ClassS, annotate.ClassS)
	}
	if truthS { // the reference calls them S too
		for i := first; i < first+30; i++ {
			if rec.Model[i].Code.Class() == annotate.ClassS {
				setTruth(rec, rec.Model[i].Sample, annotate.APC)
			}
		}
	}
	return first, first + 29
}

func phaseNamed(t *testing.T, res Result, name string) Phase {
	t.Helper()
	for _, p := range res.Phases {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no phase %q in %+v", name, res.Phases)
	return Phase{}
}

// setTruth gives the reference beat at s the code c.
func setTruth(rec Record, s int64, c annotate.Code) {
	for i := range rec.Reference {
		if rec.Reference[i].Sample == s {
			rec.Reference[i].Code = c
		}
	}
}
