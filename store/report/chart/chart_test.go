package chart

import (
	"errors"
	"flag"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/annotate/synth"
	goldenpng "github.com/ecgstation/ecgstation/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden PNG files")

// record is a 2.5-hour synthetic record with every kind of event, so
// every plot has something to show; the detector-like test beats are the
// reader's with every 40th beat missing and a spurious beat every 300th.
func record(t testing.TB) (stats.Input, stats.Input) {
	t.Helper()
	c := synth.Default()
	c.Duration, c.Seed, c.Leads, c.Fs = 150*time.Minute, 11, 1, 128
	c.PVC.PerHour, c.PAC.PerHour = 120, 80
	c.Noise = synth.NoiseConfig{}
	c.Events = []synth.Event{
		{Rhythm: "AFIB", At: 20 * time.Minute, Length: 50 * time.Minute},
		{Rhythm: "VT", At: 80 * time.Minute, Length: 4 * time.Second},
		{Rhythm: "B", At: 95 * time.Minute, Length: 5 * time.Minute},
		{Rhythm: "PAUSE", At: 110 * time.Minute, Length: 3 * time.Second},
		{Rhythm: "AFIB", At: 125 * time.Minute, Length: 10 * time.Minute},
	}
	g, err := synth.New(c)
	if err != nil {
		t.Fatal(err)
	}
	buf := [][]int32{make([]int32, 1<<16)}
	var ann synth.Annotations
	for n := g.Next(buf); n > 0; n = g.Next(buf) {
		g.Drain(&ann)
	}
	g.Drain(&ann)
	ref := stats.Input{Info: g.Info(), Beats: ann.Beats, Episodes: ann.Episodes}
	test := stats.Input{Info: g.Info()}
	for i, b := range ann.Beats {
		if i%40 != 39 {
			test.Beats = append(test.Beats, b)
		}
		if i%300 == 150 && i+1 < len(ann.Beats) {
			test.Beats = append(test.Beats, annotate.Beat{Sample: (b.Sample + ann.Beats[i+1].Sample) / 2, Code: annotate.Normal})
		}
	}
	return ref, test
}

func TestGolden(t *testing.T) {
	ref, test := record(t)
	for _, k := range Kinds {
		t.Run(k.Name, func(t *testing.T) {
			p, err := Make(k.Name, Data{Reader: ref, Test: test, TestName: "detector"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := Render(p, 480, 320, "png")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, k.Name, got)
		})
	}
}

// golden compares a PNG with testdata/NAME.png (see package golden).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenpng.PNG(t, name, got, *update)
}

func TestHRAgreement(t *testing.T) {
	// The reader: a beat every second for 10 minutes (60 bpm every
	// minute). The test: the same plus one beat halfway through the first
	// interval of minute 3, which makes that minute 61 intervals in 60 s.
	info := annotate.RecordInfo{Name: "t", Fs: 100, NSamples: 60000}
	ref := stats.Input{Info: info}
	for i := range 600 {
		ref.Beats = append(ref.Beats, annotate.Beat{Sample: int64(i) * 100, Code: annotate.Normal})
	}
	test := stats.Input{Info: info, Beats: append([]annotate.Beat{}, ref.Beats...)}
	test.Beats = append(test.Beats[:181], append([]annotate.Beat{{Sample: 18050, Code: annotate.Normal}}, test.Beats[181:]...)...)
	g := HRAgreement(ref, test)
	// d = 1 in one minute of 10: bias 0.1, SD sqrt((0.81 + 9*0.01)/9) = sqrt(0.1).
	if g.N != 10 || math.Abs(g.Bias-0.1) > 1e-9 || math.Abs(g.SD-math.Sqrt(0.1)) > 1e-9 {
		t.Errorf("agreement N %d bias %v SD %v; want 10, 0.1, %v", g.N, g.Bias, g.SD, math.Sqrt(0.1))
	}
	if math.Abs(g.Upper-(0.1+1.96*math.Sqrt(0.1))) > 1e-9 {
		t.Errorf("upper limit %v", g.Upper)
	}
}

func TestSD12(t *testing.T) {
	// Points on the identity line: no beat-to-beat change (SD1 0), and
	// SD2 = sqrt(2) SD(RR) with RR 800, 800, 1000, 1000, 1200, 1200 ms
	// (sample variance 32000 ms²): sqrt(64000).
	sd1, sd2 := sd12([][2]float64{{800, 800}, {1000, 1000}, {1200, 1200}})
	if sd1 != 0 || math.Abs(sd2-math.Sqrt(64000)) > 1e-9 {
		t.Errorf("SD1 %v SD2 %v; want 0 and %v", sd1, sd2, math.Sqrt(64000))
	}
}

func TestErrors(t *testing.T) {
	empty := stats.Input{Info: annotate.RecordInfo{Name: "e", Fs: 100, NSamples: 6000}}
	nolen := stats.Input{Info: annotate.RecordInfo{Name: "z", Fs: 100}}
	p, err := AFBurden(empty)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"hr without beats", func() error { _, err := HRTrend(empty); return err }, ErrNoData},
		{"rr without beats", func() error { _, err := Tachogram(empty); return err }, ErrNoData},
		{"poincare without beats", func() error { _, err := Poincare(empty); return err }, ErrNoData},
		{"hourly without length", func() error { _, err := Ectopy(nolen); return err }, ErrNoData},
		{"bland-altman without beats", func() error { _, _, err := BlandAltman(empty, empty, "m"); return err }, ErrNoData},
		{"unknown kind", func() error { _, err := Make("pie", Data{Reader: empty}); return err }, ErrKind},
		{"format", func() error { _, err := Render(p, 100, 100, "gif"); return err }, ErrFormat},
		{"size", func() error { _, err := Render(p, 0, 100, "png"); return err }, ErrSize},
		{"image size", func() error { _, err := Image(p, 100, 1<<20); return err }, ErrSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	ref, _ := record(t)
	p, err := HRTrend(ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ format, magic string }{{"png", "\x89PNG"}, {"svg", "<?xml"}, {"pdf", "%PDF"}} {
		b, err := Render(p, 400, 300, f.format)
		if err != nil || !strings.HasPrefix(string(b), f.magic) {
			t.Errorf("%s: %q..., %v; want %q", f.format, b[:min(8, len(b))], err, f.magic)
		}
	}
	img, err := Image(p, 400, 300)
	if err != nil || img.Bounds().Dx() != 400 || img.Bounds().Dy() != 300 {
		t.Errorf("image %v, %v; want 400 x 300", img.Bounds(), err)
	}
}
