package stats

import (
	"math"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// synthRecord is a 4-minute synthetic record with no random ectopy: the
// only ectopic beats are the VT run and the bigeminy of its fixed events, so
// every figure has a known answer.
func synthRecord(t *testing.T) (Input, synth.Config) {
	t.Helper()
	c := synth.Default()
	c.Duration, c.Seed, c.Leads = 4*time.Minute, 7, 1
	c.Noise = synth.NoiseConfig{}
	c.Events = []synth.Event{
		{Rhythm: "AFIB", At: 30 * time.Second, Length: 40 * time.Second},
		{Rhythm: "VT", At: 100 * time.Second, Length: 2 * time.Second},
		{Rhythm: "B", At: 130 * time.Second, Length: 30 * time.Second},
		{Rhythm: "PAUSE", At: 200 * time.Second, Length: 2600 * time.Millisecond},
	}
	info, _, ann, err := synth.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Info: info, Beats: ann.Beats, Episodes: ann.Episodes, Noise: ann.Noise}, c
}

// countIn counts beats of class k inside the first episode of rhythm r.
func countIn(in Input, r string, k annotate.Class) int {
	for _, e := range in.Episodes {
		if e.Rhythm != r {
			continue
		}
		n := 0
		for _, b := range in.Beats {
			if b.Sample >= e.Start && b.Sample < e.End && b.Code.Class() == k {
				n++
			}
		}
		return n
	}
	return -1
}

func TestSynthFigures(t *testing.T) {
	in, c := synthRecord(t)
	s, err := Compute(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	vt, big := countIn(in, "VT", annotate.ClassV), countIn(in, "B", annotate.ClassV)
	if vt < 3 || s.V.Runs != 1 || s.V.LongestRun != vt || s.V.Couplets != 0 {
		t.Errorf("V runs %d (longest %d), couplets %d; want the one VT run of %d beats", s.V.Runs, s.V.LongestRun, s.V.Couplets, vt)
	}
	if s.V.Bigeminy != 1 || s.V.BigeminyBeats != big || s.V.Isolated != big {
		t.Errorf("bigeminy %d of %d beats, isolated V %d; want 1 of %d", s.V.Bigeminy, s.V.BigeminyBeats, s.V.Isolated, big)
	}
	if s.V.Total != vt+big || s.S.Total != 0 {
		t.Errorf("V %d, S %d; want %d and 0", s.V.Total, s.S.Total, vt+big)
	}
	if math.Abs(s.LongestPause.Sec-2.6) > 1.5/in.Info.Fs || s.Pauses != 1 {
		t.Errorf("longest pause %.4f s, %d pauses; want the 2.6-s event, 1", s.LongestPause.Sec, s.Pauses)
	}
	af := c.Events[0].Length.Seconds() / c.Duration.Seconds()
	if math.Abs(s.AF.Fraction-af) > 2.0/c.Duration.Seconds() { // episode edges lie between beats
		t.Errorf("AF burden %.4f, want %.4f (40 s of 240 s) within a beat", s.AF.Fraction, af)
	}
	if math.Abs(s.HR.Mean-c.HR)/c.HR > 0.15 {
		t.Errorf("mean HR %.1f, want about %v bpm", s.HR.Mean, c.HR)
	}
	if len(s.Episodes) != 4 || s.Beats != len(QRS(in.Beats)) {
		t.Errorf("%d episodes, %d beats; want 4 and every beat", len(s.Episodes), s.Beats)
	}
}
