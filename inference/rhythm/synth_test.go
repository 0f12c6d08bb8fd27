package rhythm

import (
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// TestSynthetic runs the rules on the exact reference beats of synthetic
// records (annotate/synth) and compares their VT runs, bigeminy and pauses
// with the generator's own episodes, episode by episode (eval, as epicmp):
// every reference episode found, nothing else found, and the durations
// overlapping by at least 90% both ways (the generator starts bigeminy at its
// first sinus beat, the rule at the first N before a V).
func TestSynthetic(t *testing.T) {
	demo := synth.Demo()
	demo.Noise = synth.NoiseConfig{}
	more := synth.Default()
	more.Duration, more.Seed, more.HR = 20*time.Minute, 7, 64
	more.VT = synth.VTConfig{PerHour: 12}
	more.Bigeminy = synth.EpisodeRate{PerHour: 6, Mean: 40 * time.Second}
	more.Pause = synth.PauseConfig{PerHour: 9}
	more.PVC.PerHour = 30
	for _, c := range []struct {
		name string
		cfg  synth.Config
	}{{"demo", demo}, {"random episodes", more}} {
		t.Run(c.name, func(t *testing.T) {
			info, _, ann, err := synth.Record(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Detect(Input{Beats: ann.Beats, Fs: info.Fs}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range []string{VT, Bigeminy, Pause} {
				checkAgainst(t, r, ann.Episodes, got, info)
			}
		})
	}
}

func checkAgainst(t *testing.T, rhythm string, ref, got []annotate.Episode, info annotate.RecordInfo) {
	t.Helper()
	res := eval.CompareEpisodes(ref, got, rhythm, eval.Options{End: info.NSamples})
	se, _ := res.EpisodeSe()
	pp, _ := res.EpisodePP()
	dse, _ := res.DurationSe()
	dpp, _ := res.DurationPP()
	t.Logf("%-5s %d reference episodes: episode Se %.1f +P %.1f, duration Se %.1f +P %.1f", rhythm, res.TPs+res.FN, se, pp, dse, dpp)
	if res.TPs+res.FN == 0 {
		t.Errorf("%s: the record has no reference episode to check", rhythm)
		return
	}
	if res.FN > 0 || res.FP > 0 || dse < 90 || dpp < 90 {
		t.Errorf("%s: %+v", rhythm, res)
	}
}
