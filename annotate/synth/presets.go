package synth

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Demo returns the demo record: 30 minutes, 2 leads at 250 Hz, with
// PVCs, PACs and fusion beats, an AF episode, atrial flutter, two VT runs,
// a minute of bigeminy, two sinus pauses, baseline wander, muscle noise and
// motion artefacts.
func Demo() Config {
	c := Default()
	c.Duration = 30 * time.Minute
	c.Seed = 1
	c.HR = 72
	c.PVC.PerHour = 90
	c.PAC.PerHour = 60
	c.Fusion.PerHour = 10
	c.Events = []Event{
		{Rhythm: "AFIB", At: 6 * time.Minute, Length: 3 * time.Minute},
		{Rhythm: "VT", At: 10*time.Minute + 30*time.Second, Length: 3 * time.Second},
		{Rhythm: "B", At: 12 * time.Minute, Length: time.Minute},
		{Rhythm: "PAUSE", At: 15 * time.Minute, Length: 2800 * time.Millisecond},
		{Rhythm: "AFL", At: 18 * time.Minute, Length: 2 * time.Minute},
		{Rhythm: "VT", At: 22 * time.Minute, Length: 1500 * time.Millisecond},
		{Rhythm: "PAUSE", At: 25 * time.Minute, Length: 2200 * time.Millisecond},
	}
	c.Noise = NoiseConfig{
		Wander: 0.08, EMG: 0.006,
		Motion: Bursts{EpisodeRate: EpisodeRate{PerHour: 4, Mean: 6 * time.Second}, SNR: 0},
		Muscle: Bursts{EpisodeRate: EpisodeRate{PerHour: 6, Mean: 8 * time.Second}, SNR: 6},
	}
	return c
}

// demoLength is the demo record's length: the period Mix repeats the demo's
// episodes at.
const demoLength = 30 * time.Minute

// Mix returns the demo record's realistic mix at length d: its ectopy
// (PVCs, PACs and fusion beats at the demo's hourly rates), its noise, and
// its 30-minute schedule of episodes (AF, a VT run, bigeminy, a pause,
// flutter, a second VT run, a second pause) repeated every 30 minutes; an
// episode that would run past the end is left out. Mix(30*time.Minute) is
// Demo().
func Mix(d time.Duration) Config {
	c := Demo()
	schedule := c.Events
	c.Duration, c.Events = d, nil
	for off := time.Duration(0); off < d; off += demoLength {
		for _, e := range schedule {
			if e.At += off; e.At+e.Length <= d {
				c.Events = append(c.Events, e)
			}
		}
	}
	return c
}

// Fixture is a small record committed under testdata/synth for other
// packages' tests: Name is the WFDB record name, Format the WFDB signal
// format to write it in (212 or 16).
type Fixture struct {
	Name   string
	Format int
	Config Config
}

// Fixtures returns the committed test records, each well under 100 KB:
//
//	synth60   60 s, 2 leads, 250 Hz, format 212: N, A and V beats, an AF episode, a pause
//	synthvt   60 s, 1 lead, 360 Hz, format 16: a VT run, bigeminy, fusion beats, flutter, motion noise
//	synth12   10 s, 12 leads, 250 Hz, format 16: sinus rhythm with PVCs, no noise
func Fixtures() []Fixture {
	a := Default()
	a.Seed, a.HR, a.ADCBits = 60, 75, 12
	a.PVC.PerHour, a.PAC.PerHour = 400, 700
	a.Events = []Event{
		{Rhythm: "AFIB", At: 25 * time.Second, Length: 15 * time.Second},
		{Rhythm: "PAUSE", At: 48 * time.Second, Length: 2500 * time.Millisecond},
	}
	b := Default()
	b.Seed, b.Fs, b.Leads, b.HR = 2, 360, 1, 68
	b.Fusion.PerHour = 300
	b.Events = []Event{
		{Rhythm: "VT", At: 8 * time.Second, Length: 2500 * time.Millisecond},
		{Rhythm: "B", At: 18 * time.Second, Length: 12 * time.Second},
		{Rhythm: "AFL", At: 38 * time.Second, Length: 14 * time.Second},
	}
	b.Noise.Motion = Bursts{EpisodeRate: EpisodeRate{PerHour: 120, Mean: 3 * time.Second}, SNR: -3}
	c := Default()
	c.Duration, c.Seed, c.Leads, c.HR, c.PVC.PerHour = 10*time.Second, 12, 12, 80, 1400
	c.Noise = NoiseConfig{}
	return []Fixture{{"synth60", 212, a}, {"synthvt", 16, b}, {"synth12", 16, c}}
}

// ErrDuration is returned by ParseDuration for text it cannot read.
var ErrDuration = errors.New("synth: bad duration")

// ParseDuration reads a record length: Go durations ("90s", "10m",
// "1h30m", "24h") and whole or decimal days ("7d", "14d", "1.5d", "1d12h").
func ParseDuration(s string) (time.Duration, error) {
	days := 0.0
	rest := s
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || v < 0 || v > 1e4 {
			return 0, fmt.Errorf("%w %q: the days part %q is not a number", ErrDuration, s, s[:i])
		}
		days, rest = v, s[i+1:]
	}
	var d time.Duration
	if rest != "" || days == 0 {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("%w %q: %v", ErrDuration, s, err)
		}
	}
	if d < 0 {
		return 0, fmt.Errorf("%w %q: negative", ErrDuration, s)
	}
	return d + time.Duration(days*24*float64(time.Hour)), nil
}
