package synth

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// clean returns a noise-free config of length d.
func clean(d time.Duration) Config {
	c := Default()
	c.Duration = d
	c.Noise = NoiseConfig{}
	return c
}

func mustRecord(t testing.TB, c Config) (annotate.RecordInfo, [][]int32, Annotations) {
	t.Helper()
	info, s, ann, err := Record(c)
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	return info, s, ann
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
		err   error
	}{
		{"zero duration", func(c *Config) { c.Duration = 0 }, "Duration", ErrRange},
		{"15 days", func(c *Config) { c.Duration = 15 * 24 * time.Hour }, "Duration", ErrRange},
		{"fs too low", func(c *Config) { c.Fs = 100 }, "Fs", ErrRange},
		{"13 leads", func(c *Config) { c.Leads = 13 }, "Leads", ErrRange},
		{"HR 300", func(c *Config) { c.HR = 300 }, "HR", ErrRange},
		{"NaN HRV", func(c *Config) { c.HRV = math.NaN() }, "HRV", ErrRange},
		{"10-bit ADC", func(c *Config) { c.ADCBits = 10 }, "ADCBits", ErrRange},
		{"baseline outside 12 bits", func(c *Config) { c.ADCBits, c.Baseline = 12, 3000 }, "Baseline", ErrRange},
		{"slow VT", func(c *Config) { c.VT.Rate = 90 }, "VT.Rate", ErrRange},
		{"unknown PVC origin", func(c *Config) { c.PVCOrigin = OriginFascicular + 1 }, "PVCOrigin", ErrRange},
		{"short pause", func(c *Config) { c.Pause.Length = time.Second }, "Pause.Length", ErrRange},
		{"f-waves 12 Hz", func(c *Config) { c.AF.FHz = 12 }, "AF.FHz", ErrRange},
		{"1:1 flutter", func(c *Config) { c.AFL.Conduction = 1 }, "AFL.Conduction", ErrRange},
		{"unknown rhythm", func(c *Config) { c.Events = []Event{{Rhythm: "SVT", At: 0, Length: time.Second}} }, "Events[0].Rhythm", ErrRhythm},
		{"event after end", func(c *Config) { c.Events = []Event{{Rhythm: "AFIB", At: 2 * time.Minute, Length: time.Minute}} }, "Events[0].At", ErrRange},
		{"pause event 1 s", func(c *Config) { c.Events = []Event{{Rhythm: "PAUSE", At: time.Second, Length: time.Second}} }, "Events[0].Length", ErrRange},
		{"overlapping events", func(c *Config) {
			c.Events = []Event{{Rhythm: "AFIB", At: 20 * time.Second, Length: 30 * time.Second}, {Rhythm: "VT", At: 10 * time.Second, Length: 20 * time.Second}}
		}, "Events[0].At", ErrOverlap},
		{"ectopy too dense", func(c *Config) { c.PVC.PerHour, c.PAC.PerHour = 2000, 2000 }, "PVC/PAC/Fusion.PerHour", ErrTooDense},
		{"negative EMG", func(c *Config) { c.Noise.EMG = -1 }, "Noise.EMG", ErrRange},
		{"noise record too short", func(c *Config) {
			c.Noise.Real = []NoiseRecord{{Name: "em", Fs: 360, Channels: [][]float64{make([]float64, 100)}}}
		}, "Noise.Real[0]", ErrNoise},
		{"noise record with NaN", func(c *Config) {
			ch := make([]float64, 1000)
			ch[500] = math.NaN()
			c.Noise.Real = []NoiseRecord{{Name: "em", Fs: 360, Channels: [][]float64{ch}}}
		}, "Noise.Real[0]", ErrNoise},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(&c)
			_, err := New(c)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !errors.Is(err, tt.err) {
				t.Fatalf("New: got %v, want a ConfigError on %s wrapping %v", err, tt.field, tt.err)
			}
		})
	}
}

// TestPeaksExact checks that every annotated sample is where lead 0 peaks
// on a noise-free record: the largest |x − baseline| within ±60 ms lies
// within ±2 samples of it, or the annotated sample is within one ADC unit
// of that largest value (broad V peaks at 1000 Hz are flat to within the
// quantisation, so the first maximum can be several samples away).
func TestPeaksExact(t *testing.T) {
	mix := func(c Config) Config {
		c.PVC.PerHour, c.PAC.PerHour, c.Fusion.PerHour = 300, 300, 100
		return c
	}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"sinus 250 Hz", clean(2 * time.Minute)},
		{"ectopy 250 Hz", mix(clean(5 * time.Minute))},
		{"ectopy 128 Hz", func() Config { c := mix(clean(5 * time.Minute)); c.Fs = 128; return c }()},
		{"ectopy 1000 Hz 12 leads", func() Config { c := mix(clean(2 * time.Minute)); c.Fs, c.Leads = 1000, 12; return c }()},
		{"tachycardia and AF", func() Config {
			c := clean(3 * time.Minute)
			c.HR = 150
			c.Events = []Event{{"VT", 20 * time.Second, 10 * time.Second}, {"AFIB", time.Minute, time.Minute}, {"AFL", 130 * time.Second, 30 * time.Second}}
			return c
		}()},
		{"baseline 1024, 12 bit", func() Config {
			c := mix(clean(3 * time.Minute))
			c.Baseline, c.ADCBits = 1024, 12
			return c
		}()},
		{"demo without noise", func() Config { c := Demo(); c.Noise = NoiseConfig{}; return c }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, s, ann := mustRecord(t, tt.cfg)
			if len(ann.Beats) == 0 {
				t.Fatal("no beats")
			}
			win := int64(0.06 * info.Fs)
			bad := 0
			for _, b := range ann.Beats {
				if b.Flags&annotate.FlagNoisy != 0 {
					continue
				}
				base := info.Leads[0].Baseline
				at := argmaxAbs(s[0], base, b.Sample-win, b.Sample+win)
				tie := abs32(s[0][at]-base)-abs32(s[0][b.Sample]-base) <= 1
				if d := at - b.Sample; (d < -2 || d > 2) && !tie {
					bad++
					if bad < 5 {
						t.Errorf("beat %s at %d: lead 0 peaks at %d", b.Code, b.Sample, at)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d beats off their peak", bad, len(ann.Beats))
			}
		})
	}
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

func argmaxAbs(x []int32, base int32, lo, hi int64) int64 {
	lo, hi = max(lo, 0), min(hi, int64(len(x)-1))
	best, at := int32(-1), lo
	for i := lo; i <= hi; i++ {
		v := x[i] - base
		if v < 0 {
			v = -v
		}
		if v > best {
			best, at = v, i
		}
	}
	return at
}

// rrStats returns the RR intervals (s) between consecutive beats whose
// codes are both in codes.
func rrs(ann Annotations, fs float64, keep func(a, b annotate.Beat) bool) []float64 {
	var out []float64
	for i := 1; i < len(ann.Beats); i++ {
		if keep(ann.Beats[i-1], ann.Beats[i]) {
			out = append(out, float64(ann.Beats[i].Sample-ann.Beats[i-1].Sample)/fs)
		}
	}
	return out
}

func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

func TestRRStatistics(t *testing.T) {
	tests := []struct {
		name    string
		hr, hrv float64
		seed    uint64
	}{
		{"60 bpm HRV 3%", 60, 0.03, 1},
		{"70 bpm HRV 5%", 70, 0.05, 2},
		{"120 bpm HRV 2%", 120, 0.02, 3},
		{"45 bpm HRV 8%", 45, 0.08, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clean(20 * time.Minute)
			c.HR, c.HRV, c.Seed, c.Circadian = tt.hr, tt.hrv, tt.seed, 0
			info, _, ann := mustRecord(t, c)
			all := func(a, b annotate.Beat) bool { return true }
			mean, sd := meanSD(rrs(ann, info.Fs, all))
			if hr := 60 / mean; math.Abs(hr-tt.hr)/tt.hr > 0.02 {
				t.Errorf("mean HR %.2f bpm, want %g ± 2%%", hr, tt.hr)
			}
			want := tt.hrv * 60 / tt.hr
			if sd < 0.75*want || sd > 1.25*want {
				t.Errorf("SDNN %.1f ms, want %.1f ms ± 25%%", sd*1000, want*1000)
			}
		})
	}
}

// TestCircadian checks that over a whole day the circadian swing leaves the
// mean heart rate at HR, and that the night is slower than the afternoon.
func TestCircadian(t *testing.T) {
	if testing.Short() {
		t.Skip("24 h record")
	}
	c := clean(24 * time.Hour)
	c.Circadian, c.Leads = 0.15, 1
	g, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]int32{make([]int32, 1<<16)}
	var ann Annotations
	for g.Next(buf) > 0 {
	}
	g.Drain(&ann)
	hr := float64(len(ann.Beats)) / 1440
	if math.Abs(hr-c.HR)/c.HR > 0.02 {
		t.Errorf("24 h mean HR %.2f bpm, want %g ± 2%%", hr, c.HR)
	}
	count := func(h0 float64) int { // beats in the hour that starts h0 hours after 08:00
		n := 0
		for _, b := range ann.Beats {
			if h := float64(b.Sample) / c.Fs / 3600; h >= h0 && h < h0+1 {
				n++
			}
		}
		return n
	}
	if day, night := count(7), count(19); float64(day) < 1.2*float64(night) {
		t.Errorf("15:00 hour has %d beats, 03:00 hour %d: want a day/night swing", day, night)
	}
}
