package rhythm

import (
	"math"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// TestPauseUnderArtefactAgrees runs the rules and the report's summary on a
// synthetic record, sinus rhythm at 60 bpm (fs 250) with a 6-s asystole,
// under marks of one lead that touch the asystole (a 1-s baseline-excursion
// artefact on lead 1, noise on lead 0) or none: the PAUSE episode, the
// summary's pauses and longest pause, and its list to check all show the
// asystole, flagged marked when a mark touches it, and the minimum heart rate
// does not come from it when marked.
func TestPauseUnderArtefactAgrees(t *testing.T) {
	const fs = 250.0
	var beats []annotate.Beat
	for s := int64(0); s < 120*fs; s += fs {
		if s > 60*fs && s < 66*fs {
			continue // asystole from 60 s to 66 s
		}
		beats = append(beats, annotate.Beat{Sample: s, Code: annotate.Normal})
	}
	cases := []struct {
		name  string
		noise []annotate.Noise
	}{
		{"clean", nil},
		{"artefact on lead 1", []annotate.Noise{{Start: 62 * fs, End: 63 * fs, Lead: 1, Reason: "artefact"}}},
		{"noise on lead 0 at the end beat", []annotate.Noise{{Start: 65.5 * fs, End: 67 * fs, Lead: 0, Reason: "noise"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eps, err := Detect(Input{Beats: beats, Fs: fs, Noise: c.noise}, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			s, err := stats.Compute(stats.Input{Info: annotate.RecordInfo{Name: "asystole", Fs: fs, NSamples: 120 * fs},
				Beats: beats, Noise: c.noise, Episodes: eps}, stats.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			checkAsystole(t, s, len(c.noise) > 0, 60*fs, 66*fs)
		})
	}
}

// checkAsystole checks that the summary s shows the asystole [a, b] as its
// only pause, its longest pause and a PAUSE episode, and, when marked, in
// its list to check and not as the minimum heart rate.
func checkAsystole(t *testing.T, s *stats.Summary, marked bool, a, b int64) {
	t.Helper()
	n := 0
	if marked {
		n = 1
	}
	if p := s.LongestPause; p.Prev != a || p.Sample != b || math.Abs(p.Sec-6) > 1e-9 || p.Valid == marked {
		t.Errorf("longest pause %+v, want the 6-s asystole from %d, valid %v", p, a, !marked)
	}
	if s.Pauses != 1 || s.PausesMarked != n {
		t.Errorf("%d pauses (%d marked), want 1 (%d)", s.Pauses, s.PausesMarked, n)
	}
	var pauses []stats.EpisodeSummary
	for _, e := range s.Episodes {
		if e.Rhythm == Pause {
			pauses = append(pauses, e)
		}
	}
	if len(pauses) != s.Pauses || len(pauses) == 0 || pauses[0].Start != a || pauses[0].End != b {
		t.Errorf("PAUSE episodes %+v, want the summary's %d pauses: the asystole [%d, %d]", pauses, s.Pauses, a, b)
	}
	if len(s.LongRRToCheck) != n || (marked && s.LongRRToCheck[0].Prev != a) {
		t.Errorf("to check %+v, want the asystole %v", s.LongRRToCheck, marked)
	}
	if marked && s.HR.Min.BPM < 59 {
		t.Errorf("min HR %.1f bpm, from the marked asystole; want 60", s.HR.Min.BPM)
	}
}
