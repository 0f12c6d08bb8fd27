package main

import (
	"math"
	"path/filepath"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/edf"
)

// pulseFirstPath is the committed fixture of a record whose first
// channels are not ECG: testdata/channels/pulse_first.edf.
var pulseFirstPath = filepath.Join("..", "testdata", "channels", "pulse_first.edf")

// pulseFirstConfig is the synthetic ECG of the fixture: 30 s at 250 Hz,
// leads II and V1, with PVCs.
func pulseFirstConfig() synth.Config {
	cfg := synth.Default()
	cfg.Duration, cfg.Fs, cfg.Leads, cfg.Seed, cfg.PVC.PerHour = 30*time.Second, 250, 2, 22, 240
	return cfg
}

// writePulseFirst writes the fixture to path with the project's EDF+
// writer and returns the synthetic ECG's reference beats: channel 1 a
// test pulse in µV (2 mV for 40 ms every 0.77 s, out of step with the
// heart: a voltage that is not an ECG), channel 2 a respiration in Ohm,
// then the generator's leads II and V1.
func writePulseFirst(path string) ([]annotate.Beat, error) {
	info, ecg, ann, err := synth.Record(pulseFirstConfig())
	if err != nil {
		return nil, err
	}
	fs, n := int(info.Fs), int(info.NSamples)
	pulse, resp := make([]int32, n), make([]int32, n)
	for k := range n {
		if k%int(0.77*float64(fs)) < fs/25 {
			pulse[k] = 2000
		}
		resp[k] = int32(math.Round(400 * math.Sin(2*math.Pi*0.25*float64(k)/float64(fs))))
	}
	chans := [][]int32{pulse, resp, ecg[0], ecg[1]}
	spec := edf.Spec{Plus: true, Start: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), RecordDuration: 1,
		Records: int64(n / fs), Signals: []edf.SignalSpec{
			rawSignal("Pulse", "uV", fs, 1), rawSignal("Resp", "Ohm", fs, 1),
			rawSignal(info.Leads[0].Name, "mV", fs, info.Leads[0].Gain), rawSignal(info.Leads[1].Name, "mV", fs, info.Leads[1].Gain)}}
	recs := make([]edf.Record, spec.Records)
	for r := range recs {
		recs[r].Samples = make([][]int32, len(chans))
		for c, x := range chans {
			recs[r].Samples[c] = x[r*fs : (r+1)*fs]
		}
	}
	return ann.Beats, edf.WriteFile(path, spec, recs)
}

// rawSignal is a 16-bit signal of fs samples a record at gain digital
// units per physical unit (the full digital range).
func rawSignal(label, dim string, fs int, gain float64) edf.SignalSpec {
	return edf.SignalSpec{Label: label, Dimension: dim, DigMin: -32768, DigMax: 32767,
		PhysMin: -32768 / gain, PhysMax: 32767 / gain, Samples: fs}
}
