package quality

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

var lead = annotate.Lead{Gain: 200, ADCRes: 11, ADCZero: 0}

// testWindow returns 1 s at 360 Hz of kind: an ECG-like pulse train, a flat
// line, a saturated line, or white noise.
func testWindow(kind string, rng *rand.Rand) []int32 {
	x := make([]int32, 360)
	for k := range x {
		t := float64(k) / 360
		switch kind {
		case "ecg":
			x[k] = int32(200 * math.Exp(-math.Pow(math.Mod(t, 0.8)-0.4, 2)/(2*0.01*0.01)))
		case "flat":
			x[k] = 3
		case "saturated":
			x[k] = 1023
		case "noise":
			x[k] = int32(100 * rng.NormFloat64())
		}
	}
	return x
}

func TestJudge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct{ kind, want string }{
		{"ecg", ""}, {"flat", ReasonLeadOff}, {"saturated", ReasonSaturation}, {"noise", ReasonNoise},
	} {
		t.Run(c.kind, func(t *testing.T) {
			if got := measureLead(testWindow(c.kind, rng), lead).judge(lead, 0); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestAssessAndFlag(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var a, b []int32
	// lead 0: ecg ecg noise noise ecg; lead 1: ecg ecg noise flat ecg
	for _, k := range []string{"ecg", "ecg", "noise", "noise", "ecg"} {
		a = append(a, testWindow(k, rng)...)
	}
	for _, k := range []string{"ecg", "ecg", "noise", "flat", "ecg"} {
		b = append(b, testWindow(k, rng)...)
	}
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 360, NSamples: int64(len(a)), Leads: []annotate.Lead{lead, lead}}, Samples: [][]int32{a, b}}
	got, err := Assess(sig)
	if err != nil {
		t.Fatal(err)
	}
	want := []annotate.Noise{
		{Start: 720, End: 1440, Lead: 0, Reason: ReasonNoise},
		{Start: 720, End: 1080, Lead: 1, Reason: ReasonNoise},
		{Start: 1080, End: 1440, Lead: 1, Reason: ReasonLeadOff},
		{Start: 720, End: 1440, Lead: -1, Reason: "unreadable"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		g := got[i]
		if g.Start != want[i].Start || g.End != want[i].End || g.Lead != want[i].Lead || g.Reason != want[i].Reason {
			t.Errorf("stretch %d = %+v, want %+v", i, g, want[i])
		}
	}
	beats := []annotate.Beat{{Sample: 100}, {Sample: 720}, {Sample: 1439}, {Sample: 1440}}
	if n := Flag(beats, got); n != 2 || beats[0].Flags != 0 || beats[1].Flags&annotate.FlagNoisy == 0 || beats[3].Flags != 0 {
		t.Errorf("flagged %d: %+v", n, beats)
	}
}

func TestAssessErrors(t *testing.T) {
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 0, Leads: []annotate.Lead{lead}}, Samples: [][]int32{nil}}
	if _, err := Assess(sig); !errors.Is(err, ErrFs) {
		t.Errorf("got %v, want ErrFs", err)
	}
}
