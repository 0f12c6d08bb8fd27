package synth

import (
	"errors"
	"fmt"
	"time"
)

// MaxDuration is the longest record the generator makes: 14 days.
const MaxDuration = 14 * 24 * time.Hour

// Config says what record to generate. Start from Default (or Demo) and
// change fields. The rule for zero values: rates, probabilities and
// amplitudes that are zero mean "none"; every other zero field (Fs, Leads,
// Gain, HR, couplings, episode rates in bpm...) means its default.
type Config struct {
	Duration time.Duration // record length, 1 s to 14 days
	Fs       float64       // sampling frequency, Hz, 128 to 1000 (default 250)
	Leads    int           // number of leads, 1 to 12 (default 2); see LeadNames
	Gain     float64       // ADC units per mV (default 200)
	Baseline int32         // ADC value that stands for 0 mV (default 0)
	ADCBits  int           // 12 or 16 (default 16); samples are clipped to ±(2^(ADCBits-1)-1)
	Start    time.Time     // wall-clock time of sample 0, sets the circadian phase (default 2000-01-01 08:00 UTC)
	Seed     uint64        // every random choice follows from it: same Config, same bytes

	HR        float64 // mean heart rate of sinus rhythm, beats/min, 30 to 200 (default 70)
	HRV       float64 // SD of the short-term RR modulation as a fraction of the mean RR (0.04 is typical)
	LFHF      float64 // power ratio of the LF (0.1 Hz) and HF (respiratory) RR modulation (default 1.5)
	RespHz    float64 // respiration rate, Hz (default 0.25): HF modulation, wander, QRS axis swing
	Circadian float64 // fractional day/night swing of HR: HR(t) = HR·(1 + Circadian·cos(2π(hour−15)/24))

	PVC    Ectopy // ventricular premature beats (V): wide QRS, discordant T, compensatory pause
	PAC    Ectopy // atrial premature beats (A): narrow QRS, abnormal early P, sinus reset
	Fusion Ectopy // fusion beats (F): QRS and T between N and V, on sinus time

	// PVCOrigin is where the V beats (PVCs, VT, the V part of fusions)
	// start: OriginOutflow (the default: right-ventricular outflow and
	// left-ventricular foci, QRS 140-160 ms) or OriginFascicular.
	PVCOrigin Origin

	AF       AFConfig      // atrial fibrillation episodes
	AFL      FlutterConfig // atrial flutter episodes
	VT       VTConfig      // runs of ventricular tachycardia
	Bigeminy EpisodeRate   // ventricular bigeminy episodes (N V N V ...)
	Pause    PauseConfig   // sinus arrest
	SVTRate  float64       // rate of the SVTA events (paroxysmal SVT), beats/min, 101 to 250 (default 150)
	Events   []Event       // episodes at fixed times, on top of the random ones

	Noise NoiseConfig
}

// Origin is the ventricular origin of the V beats.
type Origin uint8

// The ventricular origins.
const (
	// OriginOutflow: two foci, right-ventricular outflow (LBBB-like,
	// inferior axis) and left-ventricular (RBBB-like, superior axis); 85%
	// of the PVCs from the patient's dominant one.
	OriginOutflow Origin = iota
	// OriginFascicular: the left posterior fascicle. The impulse enters
	// the conduction system, so the QRS is nearly narrow (about 110 ms),
	// RBBB-like with a superior axis, and the T wave is low: a V beat that
	// looks much like a normal one (fascicular PVCs are often misread as
	// supraventricular).
	OriginFascicular
)

// Ectopy sets one kind of premature beat.
type Ectopy struct {
	PerHour  float64 // mean count per hour of sinus rhythm
	Coupling float64 // coupling interval as a fraction of the sinus RR (defaults: V 0.6, A 0.7, F 0.97)
}

// EpisodeRate sets how often an episode starts and how long it lasts. Start
// times form a Poisson process; lengths are exponential with mean Mean.
type EpisodeRate struct {
	PerHour float64       // mean number of episodes per hour
	Mean    time.Duration // mean length (default 1 min)
}

// AFConfig sets atrial fibrillation: no P waves, fibrillatory f-waves on the
// baseline, and an irregularly irregular ventricular response.
type AFConfig struct {
	EpisodeRate
	Rate  float64 // mean ventricular rate, beats/min (default 100)
	CV    float64 // coefficient of variation of the RR intervals (default 0.22)
	FAmp  float64 // f-wave amplitude on the f-wave axis, mV (default 0.08)
	FHz   float64 // mean f-wave frequency, Hz, 4 to 9 (default 6)
	Onset bool    // start each episode with an atrial premature beat (A) as trigger
}

// FlutterConfig sets atrial flutter: sawtooth F waves and regular conduction.
type FlutterConfig struct {
	EpisodeRate
	Rate       float64 // atrial (flutter wave) rate, per minute, 200 to 400 (default 300)
	Conduction int     // AV conduction ratio 2, 3 or 4; 0 varies between 2:1 and 4:1
	Amp        float64 // flutter wave amplitude, mV (default 0.2)
}

// VTConfig sets runs of ventricular tachycardia (3 or more V beats above 100 bpm).
type VTConfig struct {
	PerHour float64 // mean number of runs per hour
	Beats   int     // mean beats per run, at least 3 (default 6)
	Rate    float64 // beats/min, above 100 (default 160)
}

// PauseConfig sets sinus arrest: no beat for Length after a sinus beat.
type PauseConfig struct {
	PerHour float64       // mean number of pauses per hour
	Length  time.Duration // mean RR interval of the pause, at least 2 s (default 2.5 s)
}

// Event is an episode at a fixed time. Rhythm is one of "AFIB", "AFL", "VT",
// "B" (bigeminy), "PAUSE" or "SVTA" (paroxysmal SVT: S beats of normal
// shape at Config.SVTRate, starting and ending abruptly). The episode
// starts at the first beat at or after At. Length is the episode length;
// for "PAUSE" it is the RR interval of the pause, and for "VT" it sets the
// number of beats at the VT rate.
type Event struct {
	Rhythm string
	At     time.Duration
	Length time.Duration
}

// NoiseConfig sets the noise added to the clean ECG. SNR figures follow the
// MIT-BIH Noise Stress Test definition (see the package comment).
type NoiseConfig struct {
	Wander  float64 // baseline wander amplitude, mV: respiratory swing plus slow drift
	EMG     float64 // continuous muscle noise, RMS mV
	Mains   float64 // power-line interference amplitude, mV
	MainsHz float64 // power-line frequency, Hz (default 50)

	Motion Bursts // electrode motion artefacts (low-frequency, large)
	Muscle Bursts // bursts of muscle noise

	Real     []NoiseRecord // recorded noise (e.g. nstdb bw, ma, em) mixed in at RealSNR
	RealSNR  float64       // SNR of the mixed recorded noise, dB
	RealNST  bool          // follow the NST schedule: 5 min clean, then 2 min noisy / 2 min clean
	MarkSNR  float64       // stretches whose SNR is below this are annotated as noise, dB (default 6)
	MarkNone bool          // never annotate noise

	Dropouts []Dropout // lead off or saturation on every lead, at fixed times (always annotated)
}

// Bursts sets noise bursts: Poisson start times, exponential lengths, and an
// SNR drawn uniformly from SNR-6 to SNR+6 dB per burst.
type Bursts struct {
	EpisodeRate
	SNR float64 // mean SNR of a burst, dB
}

// NoiseRecord is a recorded noise signal, in mV, one slice per channel, all
// the same length, sampled at Fs. Lead l of the output takes channel
// l mod len(Channels). The generator resamples it to the record's Fs and
// loops it when the record is longer.
type NoiseRecord struct {
	Name     string
	Fs       float64
	Channels [][]float64
}

// Errors returned by New, wrapped in a *ConfigError.
var (
	ErrRange    = errors.New("out of range")
	ErrRhythm   = errors.New("unknown rhythm")
	ErrTooDense = errors.New("ectopic beats too frequent")
	ErrNoise    = errors.New("bad noise record")
)

// ConfigError says which Config field is wrong and why.
type ConfigError struct {
	Field string // e.g. "Fs", "Events[2].Rhythm"
	Value any
	Err   error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("synth: Config.%s = %v: %v", e.Field, e.Value, e.Err)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// Default returns a sinus-rhythm record of 1 minute at 250 Hz with 2 leads,
// normal heart-rate variability, a circadian trend and light noise.
func Default() Config {
	return Config{
		Duration:  time.Minute,
		Fs:        250,
		Leads:     2,
		Gain:      200,
		ADCBits:   16,
		HR:        70,
		HRV:       0.04,
		LFHF:      1.5,
		RespHz:    0.25,
		Circadian: 0.1,
		Noise:     NoiseConfig{Wander: 0.05, EMG: 0.005},
	}
}
