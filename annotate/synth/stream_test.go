package synth

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// everything returns a 6-minute record with every feature, recorded noise
// (a synthetic stand-in at 360 Hz) included.
func everything() Config {
	c := Demo()
	c.Duration = 6 * time.Minute
	c.Leads = 3
	c.Events = []Event{{"AFIB", 30 * time.Second, 40 * time.Second}, {"VT", 80 * time.Second, 2 * time.Second},
		{"AFL", 100 * time.Second, 30 * time.Second}, {"B", 140 * time.Second, 20 * time.Second}, {"PAUSE", 170 * time.Second, 2500 * time.Millisecond}}
	c.Noise.Mains = 0.02
	c.Noise.Real = []NoiseRecord{fakeNoise(360, 2, 60)}
	c.Noise.RealSNR, c.Noise.RealNST = 3, true
	return c
}

// fakeNoise is a noise record of secs seconds: a random walk plus white
// noise, different per channel, in mV.
func fakeNoise(fs float64, chans int, secs float64) NoiseRecord {
	rng := rand.New(rand.NewPCG(7, 7))
	r := NoiseRecord{Name: "fake", Fs: fs}
	for range chans {
		ch := make([]float64, int(fs*secs))
		w := 0.0
		for i := range ch {
			w = 0.999*w + 0.01*rng.NormFloat64()
			ch[i] = w + 0.05*rng.NormFloat64()
		}
		r.Channels = append(r.Channels, ch)
	}
	return r
}

// stream generates c in chunks of n samples, draining after every chunk.
func stream(t testing.TB, c Config, n int) ([][]int32, Annotations) {
	g, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]int32, c.withDefaults().Leads)
	buf := make([][]int32, len(out))
	for l := range buf {
		buf[l] = make([]int32, n)
	}
	var ann Annotations
	for {
		k := g.Next(buf)
		if k == 0 {
			break
		}
		for l := range out {
			out[l] = append(out[l], buf[l][:k]...)
		}
		g.Drain(&ann)
	}
	g.Drain(&ann)
	return out, ann
}

func TestChunkingInvariance(t *testing.T) {
	c := everything()
	want, wantAnn := stream(t, c, 1_000_000)
	for _, n := range []int{1, 1000, 4095, 4097} {
		got, ann := stream(t, c, n)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d: samples differ from chunks of 1e6", n)
		}
		if !reflect.DeepEqual(ann, wantAnn) {
			t.Errorf("chunks of %d: annotations differ from chunks of 1e6", n)
		}
	}
	if len(wantAnn.Beats) == 0 || len(wantAnn.Episodes) < 5 || len(wantAnn.Noise) == 0 {
		t.Errorf("record too plain for the test: %d beats, %d episodes, %d noise stretches",
			len(wantAnn.Beats), len(wantAnn.Episodes), len(wantAnn.Noise))
	}
	if !slices.IsSortedFunc(wantAnn.Beats, func(a, b annotate.Beat) int { return int(a.Sample - b.Sample) }) {
		t.Error("beats out of order")
	}
}

func TestDeterminism(t *testing.T) {
	c := everything()
	_, a, annA, _ := Record(c)
	_, b, annB, _ := Record(c)
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(annA, annB) {
		t.Fatal("same config, different records")
	}
	c.Seed++
	_, d, annD, _ := Record(c)
	if reflect.DeepEqual(a, d) || reflect.DeepEqual(annA.Beats, annD.Beats) {
		t.Fatal("different seeds, same record")
	}
	// The noise has its own random stream: adding it leaves the beats alone.
	c.Seed--
	c.Noise = NoiseConfig{}
	_, _, annE, _ := Record(c)
	if len(annE.Beats) != len(annA.Beats) || annE.Beats[100].Sample != annA.Beats[100].Sample {
		t.Fatal("removing the noise moved the beats")
	}
}

// TestEinthoven checks that the 12 leads are as dependent as real ones:
// II = I + III and aVR + aVL + aVF = 0, to within rounding.
func TestEinthoven(t *testing.T) {
	c := clean(20 * time.Second)
	c.Leads, c.PVC.PerHour = 12, 600
	info, s, _ := mustRecord(t, c)
	idx := map[string]int{}
	for i, l := range info.Leads {
		idx[l.Name] = i
	}
	for i := range s[0] {
		I, II, III := s[idx["I"]][i], s[idx["II"]][i], s[idx["III"]][i]
		aug := s[idx["aVR"]][i] + s[idx["aVL"]][i] + s[idx["aVF"]][i]
		if d := II - I - III; d < -2 || d > 2 || aug < -2 || aug > 2 {
			t.Fatalf("sample %d: II−I−III = %d, aVR+aVL+aVF = %d ADC units", i, d, aug)
		}
	}
}

// TestRealNoiseSNR mixes recorded noise at several SNRs and measures the
// SNR the NST way on the difference between noisy and clean records.
func TestRealNoiseSNR(t *testing.T) {
	for _, snr := range []float64{12, 6, 0, -6} {
		c := clean(3 * time.Minute)
		c.Gain = 1000 // fine quantisation, so rounding does not bias the noise power
		cleanInfo, x, ann := mustRecord(t, c)
		c.Noise.Real = []NoiseRecord{fakeNoise(360, 2, 100)}
		c.Noise.RealSNR = snr
		_, y, nann := mustRecord(t, c)
		for l := range x {
			s := qrsPower(x[l], cleanInfo, l, ann.Beats)
			d := make([]float64, len(x[l]))
			for i := range d {
				d[i] = float64(y[l][i]-x[l][i]) / c.Gain
			}
			got := 10 * math.Log10(s/NSTNoisePower(d, c.Fs))
			if math.Abs(got-snr) > 1 {
				t.Errorf("SNR %g dB, lead %d: measured %.2f dB", snr, l, got)
			}
		}
		if marked := len(nann.Noise) > 0; marked != (snr < 6) {
			t.Errorf("SNR %g dB: noise stretches %v, want marked below 6 dB", snr, nann.Noise)
		}
	}
}

// qrsPower is the NST signal power of lead l: the median peak-to-peak QRS
// amplitude (±60 ms around each beat) squared over 8, in mV².
func qrsPower(x []int32, info annotate.RecordInfo, l int, beats []annotate.Beat) float64 {
	w := int64(0.06 * info.Fs)
	var pp []float64
	for _, b := range beats {
		if b.Code != annotate.Normal || b.Sample < w || b.Sample+w >= int64(len(x)) {
			continue
		}
		seg := x[b.Sample-w : b.Sample+w]
		pp = append(pp, info.Leads[l].Physical(slices.Max(seg))-info.Leads[l].Physical(slices.Min(seg)))
	}
	slices.Sort(pp)
	m := pp[len(pp)/2]
	return m * m / 8
}

// TestNoiseMarks checks that strong bursts are marked and the beats inside
// them flagged, and that weak ones are not.
func TestNoiseMarks(t *testing.T) {
	c := clean(30 * time.Minute)
	c.Noise.Motion = Bursts{EpisodeRate: EpisodeRate{PerHour: 30, Mean: 5 * time.Second}, SNR: 0}
	c.Noise.Muscle = Bursts{EpisodeRate: EpisodeRate{PerHour: 30, Mean: 5 * time.Second}, SNR: 30}
	_, _, ann := mustRecord(t, c)
	if len(ann.Noise) == 0 {
		t.Fatal("no noise marked")
	}
	for _, n := range ann.Noise {
		if n.Reason != "motion" {
			t.Errorf("marked %s noise at 24-36 dB SNR", n.Reason)
		}
	}
	flagged := 0
	for _, b := range ann.Beats {
		in := false
		for _, n := range ann.Noise {
			in = in || (b.Sample >= n.Start && b.Sample < n.End)
		}
		if in != (b.Flags&annotate.FlagNoisy != 0) {
			t.Fatalf("beat at %d: inside noise %v, flagged %v", b.Sample, in, !in)
		}
		if in {
			flagged++
		}
	}
	if flagged == 0 {
		t.Error("no beat flagged noisy")
	}
}

func TestLeadNames(t *testing.T) {
	tests := []struct {
		n    int
		want []string
	}{
		{1, []string{"II"}},
		{2, []string{"II", "V1"}},
		{3, []string{"II", "V1", "V5"}},
		{12, []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}},
	}
	for _, tt := range tests {
		if got := LeadNames(tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LeadNames(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

var durationTests = []struct {
	in   string
	want time.Duration
	err  bool
}{
	{"90s", 90 * time.Second, false},
	{"10m", 10 * time.Minute, false},
	{"24h", 24 * time.Hour, false},
	{"1h30m", 90 * time.Minute, false},
	{"7d", 7 * 24 * time.Hour, false},
	{"14d", 14 * 24 * time.Hour, false},
	{"1.5d", 36 * time.Hour, false},
	{"1d12h", 36 * time.Hour, false},
	{"", 0, true},
	{"d", 0, true},
	{"xd", 0, true},
	{"-1d", 0, true},
	{"-5m", 0, true},
	{"10", 0, true},
	{"3 days", 0, true},
	{"1d-2h", 0, true},
}

func TestParseDuration(t *testing.T) {
	for _, tt := range durationTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.err {
				if !errors.Is(err, ErrDuration) {
					t.Fatalf("ParseDuration(%q) = %v, %v; want ErrDuration", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, tt := range durationTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v: negative", s, d)
		}
		if err != nil && !errors.Is(err, ErrDuration) {
			t.Fatalf("ParseDuration(%q): error %v does not wrap ErrDuration", s, err)
		}
	})
}

// FuzzNew feeds New arbitrary settings: it must return a record or a
// *ConfigError, never panic, and a record must be as long as asked.
func FuzzNew(f *testing.F) {
	f.Add(uint64(1), 250.0, 2, 70.0, 0.04, 100.0, 50.0, 0.6, 3.0, 0.05)
	f.Add(uint64(2), 1000.0, 12, 200.0, 0.2, 3000.0, 0.0, 0.35, 0.0, 5.0)
	f.Add(uint64(3), 127.9, 0, 29.0, -1.0, -5.0, 1e9, 2.0, -1.0, math.NaN())
	f.Fuzz(func(t *testing.T, seed uint64, fs float64, leads int, hr, hrv, pvc, pac, coupling, secs, wander float64) {
		c := Default()
		c.Seed, c.Fs, c.Leads, c.HR, c.HRV = seed, fs, leads, hr, hrv
		c.PVC.PerHour, c.PAC.PerHour, c.PVC.Coupling, c.Noise.Wander = pvc, pac, coupling, wander
		c.Duration = time.Duration(min(max(secs, -1e6), 20) * float64(time.Second))
		c.Events = []Event{{"VT", time.Second, 2 * time.Second}}
		info, s, _, err := Record(c)
		var ce *ConfigError
		if err != nil {
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *ConfigError", err)
			}
			return
		}
		if int64(len(s[0])) != info.NSamples || info.NSamples != int64(math.Round(c.Duration.Seconds()*info.Fs)) {
			t.Fatalf("%d samples for %v at %g Hz", len(s[0]), c.Duration, info.Fs)
		}
	})
}
