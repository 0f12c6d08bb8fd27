package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

//go:generate go run . synth --fixtures ../testdata/synth

// synthChunk is the number of samples per lead generated and written at a time.
const synthChunk = 1 << 16

// synthSetting is one flag that changes the synth.Config; the flags are
// applied after parsing, on top of the realistic mix (synth.Mix), the demo
// record (synth.Demo, --demo) or plain sinus rhythm (synth.Default, --plain).
type synthSetting struct {
	name, value string
	apply       func(*synth.Config, string) error
}

// synthOptions are the flags of the synth command that are not Config fields.
type synthOptions struct {
	out, fixtures, noise string
	format               int
	demo, plain          bool
	settings             []synthSetting
}

func runSynth(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("synth", stderr)
	o := &synthOptions{}
	fs.StringVar(&o.out, "out", "", "output record DIR/NAME (writes NAME.hea, NAME.dat, NAME.atr); required")
	fs.IntVar(&o.format, "format", 16, "WFDB signal format: 16, 24, 32, 61 or 160 (16-bit ADC), 212 (12-bit ADC)")
	fs.BoolVar(&o.demo, "demo", false, "the demo record: 30 min (unless --duration) with every arrhythmia once or twice")
	fs.BoolVar(&o.plain, "plain", false, "plain sinus rhythm: no ectopy, episodes or noise bursts (the default is the demo's realistic mix, its episodes every 30 min)")
	fs.StringVar(&o.fixtures, "fixtures", "", "write the committed test fixtures (synth.Fixtures) into this folder and exit")
	fs.StringVar(&o.noise, "noise", "", "recorded noise to mix in, comma-separated names under $ECGDATA/noise (bw, ma, em)")
	o.defineConfigFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: ecgstation synth --out DIR/NAME [--duration 24h] [--plain | --demo] [--fs 250] [--leads 2] [options]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, pos[0])
	}
	if o.fixtures != "" {
		return writeFixtures(o.fixtures, stdout)
	}
	if o.out == "" {
		return fmt.Errorf("%w: --out DIR/NAME is required", errUsage)
	}
	cfg, err := o.config()
	if err != nil {
		return err
	}
	return runSynthRecord(o.out, cfg, o.format, stdout)
}

// config builds the record's Config from the base and the flags given.
func (o *synthOptions) config() (synth.Config, error) {
	if o.demo && o.plain {
		return synth.Config{}, fmt.Errorf("%w: --demo and --plain: choose one (without either, the demo's mix at --duration)", errUsage)
	}
	cfg := o.base()
	for _, s := range o.settings {
		if err := s.apply(&cfg, s.value); err != nil {
			return cfg, fmt.Errorf("%w: --%s %s: %v", errUsage, s.name, s.value, err)
		}
	}
	switch {
	case o.demo: // a shorter demo keeps the events that fit
		cfg.Events = slices.DeleteFunc(cfg.Events, func(e synth.Event) bool { return e.At+e.Length > cfg.Duration })
	case !o.plain: // the mix's episodes over the length asked, around the --event ones
		cfg.Events = mixEvents(synth.Mix(cfg.Duration).Events, cfg.Events)
	}
	bits, ok := synthADCBits[o.format]
	if !ok {
		return cfg, fmt.Errorf("%w: --format %d: use 16, 24, 32, 61, 160 or 212", errUsage, o.format)
	}
	cfg.ADCBits = bits
	if o.noise != "" {
		recs, err := loadNoise(strings.Split(o.noise, ","))
		if err != nil {
			return cfg, err
		}
		cfg.Noise.Real = recs
	}
	return cfg, nil
}

// base is the Config the flags change: plain sinus rhythm with --plain,
// the demo record with --demo, else the realistic mix at the default
// length, without its episodes (config lays them over the length asked).
func (o *synthOptions) base() synth.Config {
	switch {
	case o.plain:
		return synth.Default()
	case o.demo:
		return synth.Demo()
	}
	cfg := synth.Mix(synth.Default().Duration)
	cfg.Events = nil
	return cfg
}

// mixEvents returns the events given with --event and the mix's episodes
// that keep clear of them (2 s apart, as the generator asks).
func mixEvents(mix, given []synth.Event) []synth.Event {
	out := slices.Clone(given)
	for _, m := range mix {
		if !slices.ContainsFunc(given, func(g synth.Event) bool {
			return m.At < g.At+g.Length+2*time.Second && g.At < m.At+m.Length+2*time.Second
		}) {
			out = append(out, m)
		}
	}
	return out
}

// synthADCBits is the ADC resolution the generator uses for each format.
var synthADCBits = map[int]int{16: 16, 24: 16, 32: 16, 61: 16, 160: 16, 212: 12}

// runSynthRecord writes the record and prints what it wrote.
func runSynthRecord(out string, cfg synth.Config, format int, stdout io.Writer) error {
	dir, name := filepath.Split(out)
	if dir == "" {
		dir = "."
	}
	if err := private.MkdirAll(dir); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	t0 := time.Now()
	info, ann, err := writeSynthRecord(dir, name, cfg, format)
	if err != nil {
		return err
	}
	counts := map[annotate.Code]int{}
	for _, b := range ann.Beats {
		counts[b.Code]++
	}
	fmt.Fprintf(stdout, "wrote %s: %d samples x %d leads at %g Hz (%v), format %d, in %.1f s\n",
		out, info.NSamples, len(info.Leads), info.Fs, info.Duration().Round(time.Second), format, time.Since(t0).Seconds())
	fmt.Fprintf(stdout, "beats %d (N %d, A %d, V %d, F %d), episodes %d, noise stretches %d\n",
		len(ann.Beats), counts[annotate.Normal], counts[annotate.APC], counts[annotate.PVC], counts[annotate.Fusion],
		len(ann.Episodes), len(ann.Noise))
	return nil
}

// writeSynthRecord streams the record cfg describes into dir/name.hea, .dat
// and .atr, and returns its info and annotations.
func writeSynthRecord(dir, name string, cfg synth.Config, format int) (annotate.RecordInfo, synth.Annotations, error) {
	var ann synth.Annotations
	g, err := synth.New(cfg)
	if err != nil {
		return annotate.RecordInfo{}, ann, fmt.Errorf("%w: %v", errUsage, err)
	}
	info := g.Info()
	info.Name = name
	w, err := wfdb.Create(dir, name, info, format)
	if err != nil {
		return info, ann, err
	}
	buf := make([][]int32, len(info.Leads))
	for l := range buf {
		buf[l] = make([]int32, synthChunk)
	}
	for n := g.Next(buf); n > 0; n = g.Next(buf) {
		part := make([][]int32, len(buf))
		for l := range buf {
			part[l] = buf[l][:n]
		}
		if err := w.Write(part); err != nil {
			w.Close()
			return info, ann, err
		}
		g.Drain(&ann)
	}
	g.Drain(&ann)
	if err := w.Close(); err != nil {
		return info, ann, err
	}
	atr := filepath.Join(dir, name+".atr")
	if err := wfdb.WriteAnnotationFile(atr, wfdb.FromLabels(wfdb.Labels(ann), info)); err != nil {
		return info, ann, fmt.Errorf("synth: %w", err)
	}
	return info, ann, nil
}

// writeFixtures writes every synth.Fixtures record into dir.
func writeFixtures(dir string, stdout io.Writer) error {
	if err := private.MkdirAll(dir); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	for _, f := range synth.Fixtures() {
		if err := runSynthRecord(filepath.Join(dir, f.Name), f.Config, f.Format, stdout); err != nil {
			return fmt.Errorf("fixture %s: %w", f.Name, err)
		}
	}
	return nil
}

// errNoECGData is returned when --noise is given without ECGDATA.
var errNoECGData = errors.New("--noise needs the environment variable ECGDATA (the shared data folder, e.g. ../shared/data)")

// loadNoise reads noise records from $ECGDATA/noise, in mV.
func loadNoise(names []string) ([]synth.NoiseRecord, error) {
	root := os.Getenv("ECGDATA")
	if root == "" {
		return nil, fmt.Errorf("%w: %w", errUsage, errNoECGData)
	}
	var out []synth.NoiseRecord
	for _, n := range names {
		rec, err := readPhysical(filepath.Join(root, "noise", strings.TrimSpace(n)))
		if err != nil {
			return nil, fmt.Errorf("synth: noise record %q: %w", n, err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// readPhysical reads a whole (short) WFDB record in physical units.
func readPhysical(path string) (synth.NoiseRecord, error) {
	mv, info, err := wfdb.ReadPhysical(path)
	if err != nil {
		return synth.NoiseRecord{}, err
	}
	return synth.NoiseRecord{Name: filepath.Base(path), Fs: info.Fs, Channels: mv}, nil
}

// parseEvent reads RHYTHM@AT+LENGTH, e.g. "AFIB@6m+3m" or "PAUSE@10m+2.5s".
func parseEvent(s string) (synth.Event, error) {
	rhythm, rest, ok1 := strings.Cut(s, "@")
	at, length, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 {
		return synth.Event{}, fmt.Errorf("want RHYTHM@AT+LENGTH, e.g. AFIB@6m+3m")
	}
	a, err := synth.ParseDuration(at)
	if err != nil {
		return synth.Event{}, err
	}
	l, err := synth.ParseDuration(length)
	if err != nil {
		return synth.Event{}, err
	}
	return synth.Event{Rhythm: strings.ToUpper(rhythm), At: a, Length: l}, nil
}

// defineFlag registers a Config flag whose value is applied after parsing.
func (o *synthOptions) defineFlag(fs *flag.FlagSet, name, usage string, apply func(*synth.Config, string) error) {
	fs.Func(name, usage, func(v string) error {
		o.settings = append(o.settings, synthSetting{name: name, value: v, apply: apply})
		return nil
	})
}

// defineConfigFlags registers a flag for every Config setting, showing the
// default of the realistic mix (--plain: synth.Default's).
func (o *synthOptions) defineConfigFlags(fs *flag.FlagSet) {
	def := o.base()
	num := func(name, usage string, get func(*synth.Config) *float64) {
		o.defineFlag(fs, name, fmt.Sprintf("%s (default %g)", usage, *get(&def)), func(c *synth.Config, s string) error {
			v, err := strconv.ParseFloat(s, 64)
			*get(c) = v
			return err
		})
	}
	integer := func(name, usage string, get func(*synth.Config) *int) {
		o.defineFlag(fs, name, fmt.Sprintf("%s (default %d)", usage, *get(&def)), func(c *synth.Config, s string) error {
			v, err := strconv.Atoi(s)
			*get(c) = v
			return err
		})
	}
	dur := func(name, usage string, get func(*synth.Config) *time.Duration) {
		o.defineFlag(fs, name, fmt.Sprintf("%s (default %v)", usage, *get(&def)), func(c *synth.Config, s string) error {
			v, err := synth.ParseDuration(s)
			*get(c) = v
			return err
		})
	}
	o.recordFlags(num, integer, dur)
	o.rhythmFlags(num, integer, dur)
	o.noiseFlags(num)
	o.defineFlag(fs, "seed", "random seed: the same flags and seed give the same bytes (default 0)", func(c *synth.Config, s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		c.Seed = v
		return err
	})
	o.defineFlag(fs, "event", "an episode at a fixed time, RHYTHM@AT+LENGTH with RHYTHM AFIB, AFL, VT, B or PAUSE (repeatable)",
		func(c *synth.Config, s string) error {
			e, err := parseEvent(s)
			c.Events = append(c.Events, e)
			return err
		})
	fs.BoolFunc("pvc-fascicular", "V beats from a left posterior fascicle: a QRS about 110 ms, nearly normal", func(string) error {
		o.settings = append(o.settings, synthSetting{"pvc-fascicular", "true", func(c *synth.Config, _ string) error { c.PVCOrigin = synth.OriginFascicular; return nil }})
		return nil
	})
	fs.BoolFunc("af-onset", "start AF episodes with an atrial premature beat", func(string) error {
		o.settings = append(o.settings, synthSetting{"af-onset", "true", func(c *synth.Config, _ string) error { c.AF.Onset = true; return nil }})
		return nil
	})
	fs.BoolFunc("noise-nst", "mix the recorded noise on the NST schedule (5 min clean, then 2 min noisy / 2 min clean)", func(string) error {
		o.settings = append(o.settings, synthSetting{"noise-nst", "true", func(c *synth.Config, _ string) error { c.Noise.RealNST = true; return nil }})
		return nil
	})
}

type (
	numFlag = func(string, string, func(*synth.Config) *float64)
	intFlag = func(string, string, func(*synth.Config) *int)
	durFlag = func(string, string, func(*synth.Config) *time.Duration)
)

func (o *synthOptions) recordFlags(num numFlag, integer intFlag, dur durFlag) {
	dur("duration", "record length: 90s, 10m, 24h, 7d, up to 14d", func(c *synth.Config) *time.Duration { return &c.Duration })
	num("fs", "sampling frequency, Hz, 128-1000", func(c *synth.Config) *float64 { return &c.Fs })
	integer("leads", "number of leads, 1-12 (II, V1, V5, I, III, ...; 12 = standard order)", func(c *synth.Config) *int { return &c.Leads })
	num("gain", "ADC units per mV", func(c *synth.Config) *float64 { return &c.Gain })
	num("hr", "mean sinus heart rate, bpm", func(c *synth.Config) *float64 { return &c.HR })
	num("hrv", "SD of short-term RR modulation, fraction of RR", func(c *synth.Config) *float64 { return &c.HRV })
	num("lfhf", "LF/HF power ratio of the RR modulation", func(c *synth.Config) *float64 { return &c.LFHF })
	num("circadian", "fractional day/night swing of the heart rate", func(c *synth.Config) *float64 { return &c.Circadian })
}

func (o *synthOptions) rhythmFlags(num numFlag, integer intFlag, dur durFlag) {
	num("pvc-rate", "ventricular premature beats per hour", func(c *synth.Config) *float64 { return &c.PVC.PerHour })
	num("pvc-coupling", "PVC coupling interval, fraction of RR (0 = 0.6)", func(c *synth.Config) *float64 { return &c.PVC.Coupling })
	num("pac-rate", "atrial premature beats per hour", func(c *synth.Config) *float64 { return &c.PAC.PerHour })
	num("pac-coupling", "PAC coupling interval, fraction of RR (0 = 0.7)", func(c *synth.Config) *float64 { return &c.PAC.Coupling })
	num("fusion-rate", "fusion beats per hour", func(c *synth.Config) *float64 { return &c.Fusion.PerHour })
	num("af", "AF episodes per hour", func(c *synth.Config) *float64 { return &c.AF.PerHour })
	dur("af-mean", "mean AF episode length (0 = 1m)", func(c *synth.Config) *time.Duration { return &c.AF.Mean })
	num("af-rate", "mean ventricular rate in AF, bpm (0 = 100)", func(c *synth.Config) *float64 { return &c.AF.Rate })
	num("af-fhz", "f-wave frequency, Hz, 4-9 (0 = 6)", func(c *synth.Config) *float64 { return &c.AF.FHz })
	num("afl", "atrial flutter episodes per hour", func(c *synth.Config) *float64 { return &c.AFL.PerHour })
	dur("afl-mean", "mean flutter episode length (0 = 1m)", func(c *synth.Config) *time.Duration { return &c.AFL.Mean })
	integer("afl-conduction", "flutter AV conduction 2, 3 or 4; 0 varies", func(c *synth.Config) *int { return &c.AFL.Conduction })
	num("vt", "VT runs per hour", func(c *synth.Config) *float64 { return &c.VT.PerHour })
	integer("vt-beats", "mean beats per VT run, >= 3 (0 = 6)", func(c *synth.Config) *int { return &c.VT.Beats })
	num("vt-rate", "VT rate, bpm, > 100 (0 = 160)", func(c *synth.Config) *float64 { return &c.VT.Rate })
	num("svt-rate", "rate of SVTA events (--event SVTA@AT+LEN), bpm, 101-250 (0 = 150)", func(c *synth.Config) *float64 { return &c.SVTRate })
	num("bigeminy", "bigeminy episodes per hour", func(c *synth.Config) *float64 { return &c.Bigeminy.PerHour })
	dur("bigeminy-mean", "mean bigeminy episode length (0 = 1m)", func(c *synth.Config) *time.Duration { return &c.Bigeminy.Mean })
	num("pause", "sinus pauses per hour", func(c *synth.Config) *float64 { return &c.Pause.PerHour })
	dur("pause-length", "mean pause RR interval, >= 2s (0 = 2.5s)", func(c *synth.Config) *time.Duration { return &c.Pause.Length })
}

func (o *synthOptions) noiseFlags(num numFlag) {
	num("wander", "baseline wander amplitude, mV", func(c *synth.Config) *float64 { return &c.Noise.Wander })
	num("emg", "continuous muscle noise, RMS mV", func(c *synth.Config) *float64 { return &c.Noise.EMG })
	num("mains", "power-line interference, mV", func(c *synth.Config) *float64 { return &c.Noise.Mains })
	num("motion", "motion artefact bursts per hour", func(c *synth.Config) *float64 { return &c.Noise.Motion.PerHour })
	num("motion-snr", "mean SNR of motion bursts, dB", func(c *synth.Config) *float64 { return &c.Noise.Motion.SNR })
	num("muscle", "muscle noise bursts per hour", func(c *synth.Config) *float64 { return &c.Noise.Muscle.PerHour })
	num("muscle-snr", "mean SNR of muscle bursts, dB", func(c *synth.Config) *float64 { return &c.Noise.Muscle.SNR })
	num("noise-snr", "SNR of the --noise records, dB (NST definition)", func(c *synth.Config) *float64 { return &c.Noise.RealSNR })
	num("mark-snr", "annotate noise below this SNR, dB (0 = 6)", func(c *synth.Config) *float64 { return &c.Noise.MarkSNR })
}
