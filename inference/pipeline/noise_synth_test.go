package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/quality"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// noiseCase is one synthetic record of TestPauseIsNeverNoise and what the
// pipeline must make of it.
type noiseCase struct {
	name  string
	cfg   func(*synth.Config)
	pause bool   // the reference pause must be listed, and no mark may touch it
	drop  string // the dropout's record-wide reason, covering most of it
}

// TestPauseIsNeverNoise runs the pipeline (no models) on synthetic records
// with pauses, asystole, lead off and saturation (issue 20): a flat stretch
// between two QRS complexes is a pause, listed and never marked; a dead
// flat or saturated signal on every lead is marked unreadable for what it
// is, and hides no pause.
func TestPauseIsNeverNoise(t *testing.T) {
	pause := func(d time.Duration, emg float64) func(*synth.Config) {
		return func(c *synth.Config) {
			c.Events = []synth.Event{{Rhythm: "PAUSE", At: 40 * time.Second, Length: d}}
			c.Noise.EMG = emg
		}
	}
	drop := func(kind string) func(*synth.Config) {
		return func(c *synth.Config) {
			c.Noise.Dropouts = []synth.Dropout{{Kind: kind, At: 40 * time.Second, Length: 20 * time.Second}}
		}
	}
	for _, c := range []noiseCase{
		{"pause 3 s", pause(3*time.Second, 0.005), true, ""},
		{"pause 6 s", pause(6*time.Second, 0.005), true, ""},
		{"pause 6 s, more muscle noise", pause(6*time.Second, 0.02), true, ""},
		{"pause 6 s, clean", pause(6*time.Second, 0), true, ""},
		{"asystole 15 s", pause(15*time.Second, 0.005), true, ""},
		{"lead off", drop(synth.DropLeadOff), false, quality.ReasonLeadOff},
		{"saturation", drop(synth.DropSaturation), false, quality.ReasonSaturation},
	} {
		t.Run(c.name, func(t *testing.T) { checkNoiseCase(t, c) })
	}
}

func checkNoiseCase(t *testing.T, c noiseCase) {
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 2*time.Minute, 7
	c.cfg(&cfg)
	res, ann := runSynth(t, cfg)
	marks := union(res.Output.Noise)
	listed := pauseEpisodes(res.Output.Episodes)
	n := 0
	for _, e := range ann.Episodes {
		if e.Rhythm != rhythm.Pause || !c.pause {
			continue
		}
		n++
		if overlaps(marks, e.Start, e.End) {
			t.Errorf("pause [%d, %d) under a mark: %v", e.Start, e.End, res.Output.Noise)
		}
		if !overlaps(listed, e.Start, e.End) {
			t.Errorf("pause [%d, %d) not listed: %v", e.Start, e.End, res.Output.Episodes)
		}
	}
	if c.pause && n == 0 {
		t.Fatal("the reference has no pause")
	}
	if c.drop == "" {
		return
	}
	d := cfg.Noise.Dropouts[0]
	a, b := int64(d.At.Seconds()*cfg.Fs), int64((d.At+d.Length).Seconds()*cfg.Fs)
	var got []iv
	for _, z := range res.Output.Noise {
		if z.Lead < 0 && z.Reason == c.drop {
			got = append(got, iv{z.Start, z.End})
		}
	}
	if cover := total(intersect(merge(got), []iv{{a, b}})); float64(cover) < 0.9*float64(b-a) {
		t.Errorf("%s marks cover %d of the %d samples of the dropout: %v", c.drop, cover, b-a, res.Output.Noise)
	}
	if overlaps(listed, a+int64(cfg.Fs), b-int64(cfg.Fs)) {
		t.Errorf("a pause listed inside the %s: %v", c.drop, res.Output.Episodes)
	}
}

// runSynth makes the record of cfg and runs the pipeline on it.
func runSynth(t *testing.T, cfg synth.Config) (*Result, synth.Annotations) {
	t.Helper()
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Signal: newView(info, samples, 0), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res, ann
}

// markedShare returns the share of the reference noise of ann that the
// result's marks cover.
func markedShare(res *Result, ann synth.Annotations) float64 {
	ref := union(ann.Noise)
	return ratio(total(intersect(union(res.Output.Noise), ref)), total(ref))
}

// TestMuscleNoiseStaysNoise checks that heavy muscle noise is still marked:
// continuous EMG far above the QRS complexes, and bursts of muscle noise at
// a low SNR.
func TestMuscleNoiseStaysNoise(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  func(*synth.Config)
		want float64 // share of the reference noise marked, at least
	}{
		{"continuous EMG 0.5 mV", func(c *synth.Config) { c.Noise.EMG = 0.5 }, 0.8},
		{"muscle bursts at -6 dB", func(c *synth.Config) {
			c.Noise.Muscle = synth.Bursts{EpisodeRate: synth.EpisodeRate{PerHour: 60, Mean: 10 * time.Second}, SNR: -6}
		}, 0.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := synth.Default()
			cfg.Duration, cfg.Seed = 5*time.Minute, 11
			c.cfg(&cfg)
			res, ann := runSynth(t, cfg)
			if len(ann.Noise) == 0 {
				t.Fatal("the reference marks no noise")
			}
			if got := markedShare(res, ann); got < c.want {
				t.Errorf("%.2f of the reference noise marked, want >= %.2f", got, c.want)
			}
			t.Logf("%.2f of the reference noise marked", markedShare(res, ann))
		})
	}
}
