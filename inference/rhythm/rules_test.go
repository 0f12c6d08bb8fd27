package rhythm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

const fs = 250.0

// seg is a stretch of beats: the classes as symbols ("NNV") and the RR
// interval (seconds) that ends each of them.
type seg struct {
	pattern string
	rr      float64
}

// build lays out the segments one after another; the first beat is at 1 s.
func build(segs ...seg) []annotate.Beat {
	var beats []annotate.Beat
	t := 1.0
	for _, s := range segs {
		for _, c := range s.pattern {
			if len(beats) > 0 {
				t += s.rr
			}
			code, _ := annotate.ParseSymbol(string(c))
			beats = append(beats, annotate.Beat{Sample: int64(t*fs + 0.5), Code: code})
		}
	}
	return beats
}

// want is an expected episode given by its first and last beat (indices
// into the built beats); PAUSE episodes give the beats before and after.
type want struct {
	rhythm      string
	first, last int
}

func (w want) episode(b []annotate.Beat) annotate.Episode {
	if w.rhythm == Pause {
		return annotate.Episode{Start: b[w.first].Sample, End: b[w.last].Sample, Rhythm: Pause}
	}
	start, end := b[w.first].Sample, b[w.last].Sample+1
	if w.first > 0 {
		start = (b[w.first-1].Sample + b[w.first].Sample) / 2
	}
	if w.last < len(b)-1 {
		end = (b[w.last].Sample + b[w.last+1].Sample) / 2
	}
	return annotate.Episode{Start: start, End: end, Rhythm: w.rhythm}
}

func n(k int) string { return strings.Repeat("N", k) }

// TestRules checks each rule on beat sequences whose answer follows from
// the definitions in the package comment (the beat indices are worked out
// by hand in each case's comment).
func TestRules(t *testing.T) {
	cases := []struct {
		name  string
		beats []annotate.Beat
		noise []annotate.Noise
		want  []want
	}{
		{"sinus 75 bpm", build(seg{n(60), 0.8}), nil, nil},
		// beats 0..19 N, 20..22 V at 0.4 s (150 bpm), 23.. N
		{"VT of 3 at 150 bpm", build(seg{n(20), 0.8}, seg{"VVV", 0.4}, seg{n(20), 0.8}), nil,
			[]want{{VT, 20, 22}}},
		{"V triplet at 92 bpm is not VT", build(seg{n(20), 0.8}, seg{"VVV", 0.65}, seg{n(20), 0.8}), nil, nil},
		{"V couplet is not VT", build(seg{n(20), 0.8}, seg{"VV", 0.4}, seg{n(20), 0.8}), nil, nil},
		// beats 10..14 S at 0.5 s (120 bpm)
		{"SVT run of 5", build(seg{n(10), 0.8}, seg{"SSSSS", 0.5}, seg{n(20), 0.8}), nil,
			[]want{{SVT, 10, 14}}},
		{"S pair is no SVT run", build(seg{n(10), 0.8}, seg{"SS", 0.5}, seg{n(20), 0.8}), nil, nil},
		// beats 10..17 are N V N V N V N V: four cycles
		{"bigeminy of 4 cycles", build(seg{n(10), 0.8}, seg{"VNVNVNV", 0.8}, seg{n(10), 0.8}), nil,
			[]want{{Bigeminy, 9, 16}}},
		// beats 10..15 are N V N V N V: three cycles, the fewest
		{"bigeminy of 3 cycles", build(seg{n(10), 0.8}, seg{"VNVNV", 0.8}, seg{n(10), 0.8}), nil,
			[]want{{Bigeminy, 9, 14}}},
		{"2 cycles are no bigeminy", build(seg{n(10), 0.8}, seg{"VNV", 0.8}, seg{n(10), 0.8}), nil, nil},
		{"2 trigeminal cycles are none", build(seg{n(10), 0.8}, seg{"VNNV", 0.8}, seg{n(10), 0.8}), nil, nil},
		// beats 8..19: N N V four times
		{"trigeminy of 4 cycles", build(seg{n(10), 0.8}, seg{"VNNVNNVNNV", 0.8}, seg{n(10), 0.8}), nil,
			[]want{{Trigeminy, 8, 19}}},
		// beat 10 comes 2.0 s after beat 9
		{"pause of 2.0 s", build(seg{n(10), 0.8}, seg{"N", 2.0}, seg{n(10), 0.8}), nil,
			[]want{{Pause, 9, 10}}},
		{"1.96 s is no pause", build(seg{n(10), 0.8}, seg{"N", 1.96}, seg{n(10), 0.8}), nil, nil},
		{"pause where every lead is off", build(seg{n(10), 0.8}, seg{"N", 2.5}, seg{n(10), 0.8}),
			[]annotate.Noise{{Start: 9 * fs, End: 11 * fs, Lead: -1, Reason: "lead off"}}, nil},
		{"pause where every lead is saturated", build(seg{n(10), 0.8}, seg{"N", 2.5}, seg{n(10), 0.8}),
			[]annotate.Noise{{Start: 9 * fs, End: 11 * fs, Lead: -1, Reason: "saturation"}}, nil},
		{"pause under noise on every lead stays", build(seg{n(10), 0.8}, seg{"N", 2.5}, seg{n(10), 0.8}),
			[]annotate.Noise{{Start: 9 * fs, End: 11 * fs, Lead: -1, Reason: "unreadable"}}, []want{{Pause, 9, 10}}},
		{"pause under a reader's noise mark stays", build(seg{n(10), 0.8}, seg{"N", 2.5}, seg{n(10), 0.8}),
			[]annotate.Noise{{Start: 9 * fs, End: 11 * fs, Lead: -1, Reason: "noise"}}, []want{{Pause, 9, 10}}},
		{"pause with one lead noisy", build(seg{n(10), 0.8}, seg{"N", 2.5}, seg{n(10), 0.8}),
			[]annotate.Noise{{Start: 9 * fs, End: 11 * fs, Lead: 0}}, []want{{Pause, 9, 10}}},
		// beats 40..69 end RR intervals of 1.5 s (40 bpm, 45 s): the centred
		// 8-interval rate is below 50 bpm (5 of 8 intervals long) from beat 40 to beat 68
		{"bradycardia of 45 s", build(seg{n(40), 0.8}, seg{n(30), 1.5}, seg{n(40), 0.8}), nil,
			[]want{{Brady, 40, 68}}},
		{"bradycardia of 15 s is not sustained", build(seg{n(40), 0.8}, seg{n(10), 1.5}, seg{n(40), 0.8}), nil, nil},
		// beats 40..119 at 0.5 s (120 bpm, 40 s), against 0.8 s (75 bpm):
		// the centred rate is above 100 bpm (6 of 8 intervals short) from beat 41 to beat 117
		{"tachycardia of 40 s", build(seg{n(40), 0.8}, seg{n(80), 0.5}, seg{n(40), 0.8}), nil,
			[]want{{Tachy, 41, 117}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Detect(Input{Beats: c.beats, Fs: fs, Noise: c.noise}, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			checkEpisodes(t, got, c.beats, c.want)
		})
	}
}

func checkEpisodes(t *testing.T, got []annotate.Episode, beats []annotate.Beat, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d episodes %v, want %d %v", len(got), got, len(wants), wants)
	}
	for i, w := range wants {
		e := w.episode(beats)
		g := got[i]
		if g.Rhythm != e.Rhythm || g.Start != e.Start || g.End != e.End {
			t.Errorf("episode %d: got %s [%d, %d), want %s [%d, %d)", i, g.Rhythm, g.Start, g.End, e.Rhythm, e.Start, e.End)
		}
		if g.Prov.Source != annotate.SourceModel || g.Prov.Who != RulesWho {
			t.Errorf("episode %d: provenance %+v, want the rules'", i, g.Prov)
		}
	}
}

// TestOptions checks that the thresholds are options: the same sequence
// gives an episode or not as they move.
func TestOptions(t *testing.T) {
	beats := build(seg{n(20), 0.8}, seg{"VV", 0.4}, seg{n(20), 0.8}, seg{"N", 1.6}, seg{n(5), 0.8})
	cases := []struct {
		name string
		opt  Options
		want []want
	}{
		{"defaults", DefaultOptions(), nil},
		{"VT from 2 beats", Options{VTBeats: 2}, []want{{VT, 20, 21}}},
		{"pauses from 1.5 s", Options{Pause: 1500 * time.Millisecond}, []want{{Pause, 41, 42}}},
		{"VT from 2 beats above 160 bpm", Options{VTBeats: 2, VTRate: 160}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Detect(Input{Beats: beats, Fs: fs}, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkEpisodes(t, got, beats, c.want)
		})
	}
}

func TestInputErrors(t *testing.T) {
	beats := build(seg{n(5), 0.8})
	swapped := build(seg{n(5), 0.8})
	swapped[2], swapped[3] = swapped[3], swapped[2]
	cases := []struct {
		name string
		in   Input
		msg  string
	}{
		{"no fs", Input{Beats: beats}, "sampling frequency 0 Hz"},
		{"beats out of order", Input{Beats: swapped, Fs: fs}, "beat 3 at sample 650 does not follow the beat at sample 850"},
		{"windows beyond the beats", Input{Beats: beats, Fs: fs, Model: &Windows{Starts: []int{3}, Segment: 4,
			Classes: []string{"AFIB", "OTHER"}, Probs: []float32{1, 0}}}, "model window 0: beats 3..6, but there are 5 beats"},
		{"windows without probabilities", Input{Beats: beats, Fs: fs, Model: &Windows{Starts: []int{0}, Segment: 2,
			Classes: []string{"AFIB", "OTHER"}}}, "2 classes, segment 2, 0 probabilities for 1 segments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Detect(c.in, Options{})
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %v, want ErrInput saying %q", err, c.msg)
			}
		})
	}
}

// TestNonBeats checks that non-beat annotations (rhythm changes, noise
// marks) neither break runs nor count as beats.
func TestNonBeats(t *testing.T) {
	beats := build(seg{n(20), 0.8}, seg{"VVV", 0.4}, seg{n(20), 0.8})
	with := append([]annotate.Beat(nil), beats[:21]...)
	with = append(with, annotate.Beat{Sample: beats[20].Sample + 1, Code: annotate.Rhythm})
	with = append(with, beats[21:]...)
	got, err := Detect(Input{Beats: with, Fs: fs}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkEpisodes(t, got, beats, []want{{VT, 20, 22}})
}
