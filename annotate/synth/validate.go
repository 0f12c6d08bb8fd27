package synth

import (
	"fmt"
	"math"
	"time"
)

// defaultStart is the wall-clock time of sample 0 when Config.Start is zero.
var defaultStart = time.Date(2000, 1, 1, 8, 0, 0, 0, time.UTC)

// withDefaults returns c with every zero field that has a default filled in.
func (c Config) withDefaults() Config {
	def := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	defDur := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	def(&c.Fs, 250)
	def(&c.Gain, 200)
	def(&c.HR, 70)
	def(&c.LFHF, 1.5)
	def(&c.RespHz, 0.25)
	def(&c.PVC.Coupling, 0.6)
	def(&c.PAC.Coupling, 0.7)
	def(&c.Fusion.Coupling, 0.97)
	def(&c.AF.Rate, 100)
	def(&c.AF.CV, 0.22)
	def(&c.AF.FAmp, 0.08)
	def(&c.AF.FHz, 6)
	def(&c.AFL.Rate, 300)
	def(&c.AFL.Amp, 0.2)
	def(&c.VT.Rate, 160)
	def(&c.SVTRate, 150)
	def(&c.Noise.MainsHz, 50)
	def(&c.Noise.MarkSNR, 6)
	defDur(&c.AF.Mean, time.Minute)
	defDur(&c.AFL.Mean, time.Minute)
	defDur(&c.Bigeminy.Mean, time.Minute)
	defDur(&c.Pause.Length, 2500*time.Millisecond)
	defDur(&c.Noise.Motion.Mean, 5*time.Second)
	defDur(&c.Noise.Muscle.Mean, 10*time.Second)
	if c.Leads == 0 {
		c.Leads = 2
	}
	if c.ADCBits == 0 {
		c.ADCBits = 16
	}
	if c.VT.Beats == 0 {
		c.VT.Beats = 6
	}
	if c.Start.IsZero() {
		c.Start = defaultStart
	}
	return c
}

// check is one range test of validate.
type check struct {
	field  string
	value  float64
	lo, hi float64
}

// validate reports the first field of c (defaults applied) that is wrong.
func (c Config) validate() error {
	checks := []check{
		{"Duration", c.Duration.Seconds(), 1, MaxDuration.Seconds()},
		{"Fs", c.Fs, 128, 1000},
		{"Leads", float64(c.Leads), 1, MaxLeads},
		{"Gain", c.Gain, 1, 1e5},
		{"HR", c.HR, 30, 200},
		{"HRV", c.HRV, 0, 0.2},
		{"LFHF", c.LFHF, 0.01, 100},
		{"RespHz", c.RespHz, 0.1, 0.6},
		{"Circadian", c.Circadian, 0, 0.5},
		{"PVC.PerHour", c.PVC.PerHour, 0, 3600},
		{"PVC.Coupling", c.PVC.Coupling, 0.35, 0.9},
		{"PVCOrigin", float64(c.PVCOrigin), 0, float64(OriginFascicular)},
		{"PAC.PerHour", c.PAC.PerHour, 0, 3600},
		{"PAC.Coupling", c.PAC.Coupling, 0.4, 0.9},
		{"Fusion.PerHour", c.Fusion.PerHour, 0, 3600},
		{"Fusion.Coupling", c.Fusion.Coupling, 0.85, 1},
		{"AF.PerHour", c.AF.PerHour, 0, 60},
		{"AF.Rate", c.AF.Rate, 40, 200},
		{"AF.CV", c.AF.CV, 0, 0.5},
		{"AF.FAmp", c.AF.FAmp, 0, 0.5},
		{"AF.FHz", c.AF.FHz, 4, 9},
		{"AFL.PerHour", c.AFL.PerHour, 0, 60},
		{"AFL.Rate", c.AFL.Rate, 200, 400},
		{"AFL.Conduction", float64(c.AFL.Conduction), 0, 4},
		{"AFL.Amp", c.AFL.Amp, 0, 0.5},
		{"VT.PerHour", c.VT.PerHour, 0, 60},
		{"VT.Beats", float64(c.VT.Beats), 3, 1000},
		{"VT.Rate", c.VT.Rate, 101, 250},
		{"SVTRate", c.SVTRate, 101, 250},
		{"Bigeminy.PerHour", c.Bigeminy.PerHour, 0, 60},
		{"Pause.PerHour", c.Pause.PerHour, 0, 600},
		{"Pause.Length", c.Pause.Length.Seconds(), 2, 10},
	}
	for _, k := range checks {
		if !(k.value >= k.lo && k.value <= k.hi) {
			return &ConfigError{k.field, k.value, fmt.Errorf("%w [%g, %g]", ErrRange, k.lo, k.hi)}
		}
	}
	if err := c.validateMeans(); err != nil {
		return err
	}
	if err := c.validateADC(); err != nil {
		return err
	}
	if err := c.validateDropouts(); err != nil {
		return err
	}
	if err := c.validateEvents(); err != nil {
		return err
	}
	if err := c.validateDensity(); err != nil {
		return err
	}
	return c.Noise.validate()
}

// validateMeans checks the mean lengths of the random episodes.
func (c Config) validateMeans() error {
	means := []struct {
		field string
		d     time.Duration
	}{
		{"AF.Mean", c.AF.Mean}, {"AFL.Mean", c.AFL.Mean}, {"Bigeminy.Mean", c.Bigeminy.Mean},
		{"Noise.Motion.Mean", c.Noise.Motion.Mean}, {"Noise.Muscle.Mean", c.Noise.Muscle.Mean},
	}
	for _, m := range means {
		if m.d < time.Second || m.d > 24*time.Hour {
			return &ConfigError{m.field, m.d, fmt.Errorf("%w [1s, 24h]", ErrRange)}
		}
	}
	if c.AFL.Conduction == 1 {
		return &ConfigError{"AFL.Conduction", 1, fmt.Errorf("%w: 0, 2, 3 or 4", ErrRange)}
	}
	return nil
}

// validateADC checks the ADC resolution and that the baseline fits in it.
func (c Config) validateADC() error {
	if c.ADCBits != 12 && c.ADCBits != 16 {
		return &ConfigError{"ADCBits", c.ADCBits, fmt.Errorf("%w: 12 or 16", ErrRange)}
	}
	lim := int32(1)<<(c.ADCBits-1) - 1
	if c.Baseline < -lim || c.Baseline > lim {
		return &ConfigError{"Baseline", c.Baseline, fmt.Errorf("%w [%d, %d]", ErrRange, -lim, lim)}
	}
	return nil
}

// validateEvents checks the fixed-time episodes.
func (c Config) validateEvents() error {
	for i, e := range c.Events {
		f := fmt.Sprintf("Events[%d]", i)
		if _, ok := rhythmKinds[e.Rhythm]; !ok {
			return &ConfigError{f + ".Rhythm", e.Rhythm, ErrRhythm}
		}
		if e.At < 0 || e.At >= c.Duration {
			return &ConfigError{f + ".At", e.At, fmt.Errorf("%w [0, %v)", ErrRange, c.Duration)}
		}
		lo := time.Second
		if e.Rhythm == "PAUSE" {
			lo = 2 * time.Second
		}
		if e.Length < lo || e.Length > 24*time.Hour {
			return &ConfigError{f + ".Length", e.Length, fmt.Errorf("%w [%v, 24h]", ErrRange, lo)}
		}
	}
	return nil
}

// validateDensity refuses ectopy so frequent that premature beats would make
// up more than 40% of the beats at the fastest sinus rate.
func (c Config) validateDensity() error {
	rrMin := 60 / (c.HR * (1 + c.Circadian))
	perSec := (c.PVC.PerHour + c.PAC.PerHour + c.Fusion.PerHour) / 3600
	if perSec*rrMin > 0.4 {
		return &ConfigError{"PVC/PAC/Fusion.PerHour", perSec * 3600, ErrTooDense}
	}
	return nil
}

// validate checks the noise settings and recorded noise.
func (n NoiseConfig) validate() error {
	amps := []check{
		{"Noise.Wander", n.Wander, 0, 5}, {"Noise.EMG", n.EMG, 0, 5},
		{"Noise.Mains", n.Mains, 0, 5}, {"Noise.MainsHz", n.MainsHz, 40, 70},
		{"Noise.Motion.PerHour", n.Motion.PerHour, 0, 600},
		{"Noise.Muscle.PerHour", n.Muscle.PerHour, 0, 600},
		{"Noise.Motion.SNR", n.Motion.SNR, -30, 60}, {"Noise.Muscle.SNR", n.Muscle.SNR, -30, 60},
		{"Noise.RealSNR", n.RealSNR, -30, 60}, {"Noise.MarkSNR", n.MarkSNR, -30, 60},
	}
	for _, k := range amps {
		if !(k.value >= k.lo && k.value <= k.hi) {
			return &ConfigError{k.field, k.value, fmt.Errorf("%w [%g, %g]", ErrRange, k.lo, k.hi)}
		}
	}
	for i, r := range n.Real {
		if err := r.validate(); err != nil {
			return &ConfigError{fmt.Sprintf("Noise.Real[%d]", i), r.Name, err}
		}
	}
	return nil
}

// validate checks that a noise record has usable samples.
func (r NoiseRecord) validate() error {
	if !(r.Fs >= 50 && r.Fs <= 10000) {
		return fmt.Errorf("%w: Fs %g Hz outside [50, 10000]", ErrNoise, r.Fs)
	}
	if len(r.Channels) == 0 {
		return fmt.Errorf("%w: no channels", ErrNoise)
	}
	n := len(r.Channels[0])
	if float64(n) < 2*r.Fs {
		return fmt.Errorf("%w: %d samples, need at least 2 s", ErrNoise, n)
	}
	for c, ch := range r.Channels {
		if len(ch) != n {
			return fmt.Errorf("%w: channel %d has %d samples, channel 0 has %d", ErrNoise, c, len(ch), n)
		}
		for i, v := range ch {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e3 {
				return fmt.Errorf("%w: channel %d sample %d is %g", ErrNoise, c, i, v)
			}
		}
	}
	return nil
}
