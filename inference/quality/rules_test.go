package quality

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

const ruleFs = 360

// ecg returns 20 s of one lead in mV: a QRS complex (1 mV) and T wave at
// each beat time (seconds), respiratory wander of 0.05 mV and white noise
// of rms mV.
func ecg(beats []float64, rms float64, rng *rand.Rand) []float64 {
	x := make([]float64, 20*ruleFs)
	for k := range x {
		t := float64(k) / ruleFs
		x[k] = 0.05*math.Sin(2*math.Pi*0.25*t) + rms*rng.NormFloat64()
		for _, b := range beats {
			x[k] += math.Exp(-math.Pow(t-b, 2)/(2*0.01*0.01)) + 0.3*math.Exp(-math.Pow(t-b-0.25, 2)/(2*0.04*0.04))
		}
	}
	return x
}

// beatTimes returns beats every 0.8 s from 0.4 s, with one RR interval of
// pause seconds after the beat at 8 s (none when pause is 0).
func beatTimes(pause float64) []float64 {
	var out []float64
	for t := 0.4; t < 20; t += 0.8 {
		if t > 8 && t < 8+pause {
			continue
		}
		out = append(out, t)
	}
	if pause > 0 {
		out = append(out, 8+pause)
	}
	return out
}

// ruleCase is a two-lead record of 20 s and what Assess and KeepPauses
// must say of [a, b) seconds.
type ruleCase struct {
	name   string
	beats  []float64
	edit   func(x []float64, k int) // changes lead x (mV) at sample k
	a, b   float64
	reason string // the record-wide reason covering [a, b); "": no mark of any lead touches it
}

// TestRules checks each rule of the package on synthetic signals: a pause
// or asystole on a live baseline with small noise is never marked; a lead
// off (dead flat at zero or at the rail, every lead) and saturation are
// unreadable; muscle noise stays noise; a baseline excursion of 3 mV is
// artefact, while breathing's slow wander of 1.5 mV is not.
func TestRules(t *testing.T) {
	between := func(a, b float64, f func(x []float64, k int)) func([]float64, int) {
		return func(x []float64, k int) {
			if t := float64(k) / ruleFs; t >= a && t < b {
				f(x, k)
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	muscle := func(x []float64, k int) { x[k] += 0.4 * rng.NormFloat64() }
	quiet := func(x []float64, k int) { x[k] = 0.004 * rng.NormFloat64() } // alive: not one constant value
	for _, c := range []ruleCase{
		{"pause 3 s", beatTimes(3), nil, 8, 11, ""},
		{"pause 6 s", beatTimes(6), nil, 8, 14, ""},
		{"asystole 10 s", beatTimes(10), nil, 8, 18, ""},
		{"pause 6 s on a quiet baseline", beatTimes(6), between(8.3, 13.7, quiet), 8, 14, ""},
		{"lead off at zero", beatTimes(0), between(8, 14, func(x []float64, k int) { x[k] = 0 }), 8, 14, ReasonLeadOff},
		{"lead off at the rail", beatTimes(0), between(8, 14, func(x []float64, k int) { x[k] = 1023.0 / 200 }), 8, 14, ReasonSaturation},
		{"saturation", beatTimes(0), between(8, 14, func(x []float64, k int) { x[k] += 10 * math.Sin(2*math.Pi*float64(k)/ruleFs) }), 8, 14, ReasonSaturation},
		{"muscle noise", beatTimes(0), between(8, 14, muscle), 8, 14, ReasonUnreadable},
		{"baseline excursion of 3 mV", beatTimes(0), between(8, 14, excursion(8, 3)), 8, 11, ReasonUnreadable},
		{"respiratory wander of 1.5 mV", beatTimes(0), wander(1.5), 0, 20, ""},
		{"pause 3 s after an excursion", beatTimes(3), between(2, 6, excursion(2, 3)), 8, 11, ""},
	} {
		t.Run(c.name, func(t *testing.T) { checkRule(t, c, rng) })
	}
}

// excursion returns an edit that lifts the baseline by mv at t0 seconds,
// decaying with a time constant of 2 s: electrode motion.
func excursion(t0, mv float64) func([]float64, int) {
	return func(x []float64, k int) {
		x[k] += mv * math.Exp(-(float64(k)/ruleFs-t0)/2)
	}
}

// wander returns an edit that adds a slow sine of mv amplitude (0.15 Hz):
// breathing, which a QRS detector filters out and is no artefact.
func wander(mv float64) func([]float64, int) {
	return func(x []float64, k int) {
		x[k] += mv * math.Sin(2*math.Pi*0.15*float64(k)/ruleFs)
	}
}

func checkRule(t *testing.T, c ruleCase, rng *rand.Rand) {
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: ruleFs, NSamples: 20 * ruleFs, Leads: []annotate.Lead{lead, lead}}}
	for range 2 {
		x := ecg(c.beats, 0.01, rng)
		q := make([]int32, len(x))
		for k := range x {
			if c.edit != nil {
				c.edit(x, k)
			}
			q[k] = int32(math.Round(min(max(x[k]*200, -1024), 1023)))
		}
		sig.Samples = append(sig.Samples, q)
	}
	noise, err := Assess(sig)
	if err != nil {
		t.Fatal(err)
	}
	var beats []annotate.Beat
	for _, b := range c.beats {
		beats = append(beats, annotate.Beat{Sample: int64(b * ruleFs), Code: annotate.Normal})
	}
	noise = KeepPauses(noise, beats, ruleFs)
	a, b := int64(c.a*ruleFs), int64(c.b*ruleFs)
	var cover int64
	for _, z := range noise {
		if c.reason == "" && z.Start < b && a < z.End {
			t.Errorf("%+v marks the pause [%d, %d)", z, a, b)
		}
		if z.Lead < 0 && z.Reason == c.reason {
			cover += max(0, min(b, z.End)-max(a, z.Start))
		}
	}
	if c.reason != "" && float64(cover) < 0.8*float64(b-a) {
		t.Errorf("%q covers %d of %d samples: %+v", c.reason, cover, b-a, noise)
	}
}

// TestKeepPauses checks that only flat stretches with a QRS complex close
// to both edges are cleared.
func TestKeepPauses(t *testing.T) {
	beat := func(s int64) annotate.Beat { return annotate.Beat{Sample: s, Code: annotate.Normal} }
	flat := annotate.Noise{Start: 1000, End: 3000, Lead: -1, Reason: ReasonFlat}
	for _, c := range []struct {
		name  string
		z     annotate.Noise
		beats []annotate.Beat
		kept  bool
	}{
		{"between two QRS", flat, []annotate.Beat{beat(900), beat(3100)}, false},
		{"no QRS after", flat, []annotate.Beat{beat(900), beat(3000 + 600)}, true},
		{"no QRS before", flat, []annotate.Beat{beat(1000 - 600), beat(3100)}, true},
		{"a non-beat after", flat, []annotate.Beat{beat(900), {Sample: 3100, Code: annotate.NoiseAnn}}, true},
		{"lead off between two QRS", annotate.Noise{Start: 1000, End: 3000, Lead: -1, Reason: ReasonLeadOff},
			[]annotate.Beat{beat(900), beat(3100)}, true},
	} {
		got := KeepPauses([]annotate.Noise{c.z}, c.beats, 360)
		if (len(got) == 1) != c.kept {
			t.Errorf("%s: got %+v, kept want %v", c.name, got, c.kept)
		}
	}
}

// TestLoneNoise checks that a lone second just above NoiseTV is cleared,
// while a lone second above NoiseStrong, or two seconds in a row, stay.
func TestLoneNoise(t *testing.T) {
	win := func(tvr float64) window {
		return window{m: []measures{{rng: 100, tv: 100 * tvr}}}
	}
	quiet, weak, strong := 5.0, NoiseTV+0.5, NoiseStrong+0.5
	for _, c := range []struct {
		name string
		tvr  []float64
		want []string
	}{
		{"lone weak", []float64{quiet, weak, quiet}, []string{"", "", ""}},
		{"lone strong", []float64{quiet, strong, quiet}, []string{"", ReasonNoise, ""}},
		{"two weak", []float64{quiet, weak, weak}, []string{"", ReasonNoise, ReasonNoise}},
		{"weak at the edge", []float64{weak, quiet}, []string{"", ""}},
	} {
		var ws []window
		for _, v := range c.tvr {
			ws = append(ws, win(v))
		}
		got := judgeAll(ws, []annotate.Lead{lead})
		for k := range got {
			if got[k][0] != c.want[k] {
				t.Errorf("%s: window %d = %q, want %q", c.name, k, got[k][0], c.want[k])
			}
		}
	}
}
