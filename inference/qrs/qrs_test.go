package qrs

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/dsp"
)

// synth builds a two-lead ECG-like signal at fs: Gaussian R waves (1 mV lead 0,
// -0.6 mV lead 1, 10 ms sigma) with broad T waves (0.4 mV, 250 ms after R),
// RR intervals from rr (s), optional baseline wander (0.3 Hz, 1 mV), white
// noise (mV rms), and gain change factor applied from the middle on.
func synth(fs float64, rr []float64, wander, noise, ampChange float64, seed uint64) (*annotate.MemSignal, []int64) {
	var beats []int64
	t := 0.5
	for _, r := range rr {
		beats = append(beats, int64(t*fs))
		t += r
	}
	n := int64((t + 0.5) * fs)
	rng := rand.New(rand.NewPCG(seed, 1))
	const gain = 200.0
	x := [][]int32{make([]int32, n), make([]int32, n)}
	amp := [2]float64{1, -0.6}
	for k := int64(0); k < n; k++ {
		ts := float64(k) / fs
		for l := 0; l < 2; l++ {
			v := wander * math.Sin(2*math.Pi*0.3*ts+float64(l))
			v += noise * rng.NormFloat64()
			scale := 1.0
			if k > n/2 {
				scale = ampChange
			}
			for _, b := range beats {
				dt := ts - float64(b)/fs
				if dt < -0.2 || dt > 0.6 {
					continue
				}
				v += scale * amp[l] * math.Exp(-dt*dt/(2*0.01*0.01))
				v += scale * 0.4 * math.Exp(-(dt-0.25)*(dt-0.25)/(2*0.04*0.04))
			}
			x[l][k] = int32(math.Round(v * gain))
		}
	}
	info := annotate.RecordInfo{Name: "synth", Fs: fs, NSamples: n,
		Leads: []annotate.Lead{{Name: "I", Gain: gain, ADCRes: 12}, {Name: "II", Gain: gain, ADCRes: 12}}}
	return &annotate.MemSignal{Meta: info, Samples: x}, beats
}

func rrs(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]float64, n)
	for i := range out {
		out[i] = 0.6 + 0.5*rng.Float64()
	}
	return out
}

// matchAll checks that every true beat has exactly one detection within
// 50 ms and that there are no other detections.
func matchAll(t *testing.T, got []annotate.Beat, want []int64, fs float64) {
	t.Helper()
	tol := int64(0.05 * fs)
	j := 0
	for _, w := range want {
		for j < len(got) && got[j].Sample < w-tol {
			t.Errorf("extra beat at %d", got[j].Sample)
			j++
		}
		if j == len(got) || got[j].Sample > w+tol {
			t.Errorf("missed beat at %d", w)
			continue
		}
		j++
	}
	for ; j < len(got); j++ {
		t.Errorf("extra beat at %d", got[j].Sample)
	}
}

func TestDetectSynthetic(t *testing.T) {
	cases := []struct {
		name                       string
		fs, wander, noise, ampStep float64
	}{
		{"128 Hz clean", 128, 0, 0.005, 1},
		{"250 Hz baseline wander", 250, 1, 0.01, 1},
		{"360 Hz noise", 360, 0.3, 0.05, 1},
		{"500 Hz amplitude drop to a third", 500, 0, 0.01, 0.33},
		{"1000 Hz amplitude rise x4", 1000, 0.3, 0.01, 4},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sig, want := synth(c.fs, rrs(120, uint64(i)), c.wander, c.noise, c.ampStep, uint64(i))
			got, err := Detect(sig, Options{})
			if err != nil {
				t.Fatal(err)
			}
			matchAll(t, got, want, c.fs)
			for _, b := range got {
				if b.Prov.Confidence < 0 || b.Prov.Confidence > 1 || b.Prov.Source != annotate.SourceDetector {
					t.Fatalf("bad provenance %+v", b.Prov)
				}
			}
		})
	}
}

func TestPushChunkSizesAgree(t *testing.T) {
	sig, _ := synth(360, rrs(60, 9), 0.5, 0.02, 1, 9)
	whole, err := Detect(sig, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 7, 1000, 100000} {
		d, _ := New(sig.Meta, Options{})
		var got []annotate.Beat
		for s := 0; s < len(sig.Samples[0]); s += size {
			e := min(s+size, len(sig.Samples[0]))
			got = append(got, d.Push([][]int32{sig.Samples[0][s:e], sig.Samples[1][s:e]}, e-s)...)
		}
		got = append(got, d.Flush()...)
		if len(got) != len(whole) {
			t.Fatalf("chunk %d: %d beats, want %d", size, len(got), len(whole))
		}
		for i := range got {
			if got[i].Sample != whole[i].Sample {
				t.Fatalf("chunk %d: beat %d at %d, want %d", size, i, got[i].Sample, whole[i].Sample)
			}
		}
	}
}

func TestNewErrors(t *testing.T) {
	lead := annotate.Lead{Gain: 200}
	cases := []struct {
		name string
		info annotate.RecordInfo
		o    Options
		want error
	}{
		{"fs too low", annotate.RecordInfo{Fs: 50, Leads: []annotate.Lead{lead}}, Options{}, ErrFs},
		{"fs NaN", annotate.RecordInfo{Fs: math.NaN(), Leads: []annotate.Lead{lead}}, Options{}, ErrFs},
		{"no leads", annotate.RecordInfo{Fs: 360}, Options{}, ErrLeads},
		{"lead out of range", annotate.RecordInfo{Fs: 360, Leads: []annotate.Lead{lead}}, Options{Leads: []int{1}}, ErrLeads},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := New(c.info, c.o); !errors.Is(err, c.want) {
				t.Errorf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestShortAndEmptyRecords(t *testing.T) {
	info := annotate.RecordInfo{Fs: 360, Leads: []annotate.Lead{{Gain: 200}}}
	d, _ := New(info, Options{})
	if b := d.Flush(); len(b) != 0 {
		t.Errorf("empty record gave %d beats", len(b))
	}
	d, _ = New(info, Options{})
	d.Push([][]int32{make([]int32, 100)}, 100)
	if b := d.Flush(); len(b) != 0 {
		t.Errorf("flat record gave %d beats", len(b))
	}
}

func TestButterworth(t *testing.T) {
	for _, fs := range []float64{128, 360, 1000} {
		lp, hp := dsp.LowPass(15, fs), dsp.HighPass(5, fs)
		if g := cmplxAbs(lp.Response(0, fs)); math.Abs(g-1) > 1e-9 {
			t.Errorf("fs %g: LP DC gain %g, want 1", fs, g)
		}
		if g := cmplxAbs(hp.Response(0, fs)); g > 1e-9 {
			t.Errorf("fs %g: HP DC gain %g, want 0", fs, g)
		}
		if g := cmplxAbs(lp.Response(15, fs)); math.Abs(g-math.Sqrt2/2) > 1e-6 {
			t.Errorf("fs %g: LP gain at corner %g, want 1/sqrt2", fs, g)
		}
	}
}

func cmplxAbs(c complex128) float64 { return math.Hypot(real(c), imag(c)) }

// TestDetectOneLeadArtefacts checks that artefacts confined to one lead of
// two do not become beats, and that beats are still found when one lead is
// lost: the clean lead vetoes what it does not see, and stops vetoing once
// it no longer shows the beats.
func TestDetectOneLeadArtefacts(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(x []int32, beats []int64, fs float64)
	}{
		{"2 mV steps in lead II between beats", func(x []int32, beats []int64, fs float64) {
			for i := 20; i+1 < len(beats); i += 7 {
				mid := (beats[i] + beats[i+1]) / 2
				for k := mid; k < int64(len(x)); k++ {
					x[k] += 400 * int32(1-2*(i/7%2))
				}
			}
		}},
		{"spikes in lead II between beats", func(x []int32, beats []int64, fs float64) {
			for i := 20; i+1 < len(beats); i += 5 {
				mid := (beats[i] + beats[i+1]) / 2
				for k := mid; k < mid+int64(0.02*fs); k++ {
					x[k] += 600
				}
			}
		}},
		{"lead II saturates from the middle", func(x []int32, beats []int64, fs float64) {
			for k := len(x) / 2; k < len(x); k++ {
				x[k] = 1000
			}
		}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const fs = 360
			sig, want := synth(fs, rrs(150, uint64(20+i)), 0.1, 0.01, 1, uint64(20+i))
			c.spoil(sig.Samples[1], want, fs)
			got, err := Detect(sig, Options{})
			if err != nil {
				t.Fatal(err)
			}
			matchAll(t, got, want, fs)
		})
	}
}
