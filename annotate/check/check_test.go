package check

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

const fs = 100.0

// base is 60 N beats 1 s apart on a 70-s record, all read by a reader.
func base() Input {
	var b []annotate.Beat
	for i := range 60 {
		b = append(b, annotate.Beat{Sample: int64(i) * 100, Code: annotate.Normal,
			Prov: annotate.Provenance{Source: annotate.SourceReader}, Review: annotate.Changed})
	}
	return Input{Input: stats.Input{Info: annotate.RecordInfo{Name: "t", Fs: fs, NSamples: 7000}, Beats: b}}
}

func ep(r string, start, end int64) annotate.Episode {
	return annotate.Episode{Rhythm: r, Start: start, End: end, Prov: annotate.Provenance{Source: annotate.SourceReader}}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(in *Input)
		want   Rule
		sample int64
		count  int
	}{
		{"vt with 2 V", func(in *Input) {
			in.Beats[10].Code, in.Beats[11].Code = annotate.PVC, annotate.PVC
			in.Beats[11].Sample = 1040 // 150 bpm
			in.Episodes = []annotate.Episode{ep("VT", 950, 1070)}
		}, VTFewV, 950, 2},
		{"slow vt", func(in *Input) {
			for i := 10; i < 14; i++ {
				in.Beats[i].Code = annotate.PVC
			}
			in.Episodes = []annotate.Episode{ep("VT", 950, 1350)}
		}, VTSlow, 950, 4},
		{"unmarked pause", func(in *Input) {
			in.Beats = slices.Delete(in.Beats, 20, 22) // 1900 -> 2200: 3 s
		}, PauseUnmarked, 1900, 2},
		{"pause episode without pause", func(in *Input) {
			in.Episodes = []annotate.Episode{ep("PAUSE", 1000, 1100)}
		}, PauseNoPause, 1000, 0},
		{"S in AF", func(in *Input) {
			in.Beats[31].Code, in.Beats[33].Code = annotate.APC, annotate.SVPB
			in.Episodes = []annotate.Episode{ep("AFIB", 2950, 6000)}
		}, SInAF, 3100, 2},
		{"beats in whole-record noise", func(in *Input) {
			in.Noise = []annotate.Noise{{Start: 4050, End: 4350, Lead: -1}}
		}, BeatInNoise, 4100, 3},
		{"beats in their lead's noise", func(in *Input) {
			in.Beats[5].Chan = 1
			in.Noise = []annotate.Noise{{Start: 450, End: 650, Lead: 1}}
		}, BeatInNoise, 500, 1},
		{"signed off unreviewed", func(in *Input) {
			in.Status = annotate.Status{State: annotate.StateSignedOff, By: "ann"}
			in.Beats[7].Prov, in.Beats[7].Review = annotate.Provenance{Source: annotate.SourceModel}, annotate.Unreviewed
			in.Beats[9].Prov, in.Beats[9].Review = annotate.Provenance{Source: annotate.SourceModel}, annotate.Unreviewed
		}, SignedUnreviewed, 700, 2},
		{"signed off unreviewed episode", func(in *Input) {
			in.Status = annotate.Status{State: annotate.StateSignedOff, By: "ann"}
			e := ep("AFIB", 100, 5000)
			e.Prov.Source = annotate.SourceModel
			in.Episodes = []annotate.Episode{e}
		}, SignedUnreviewed, 100, 1},
		{"double detection", func(in *Input) {
			in.Beats = slices.Insert(in.Beats, 41, annotate.Beat{Sample: 4012, Code: annotate.Normal})
		}, BeatsTooClose, 4012, 2},
		{"short AF", func(in *Input) {
			in.Episodes = []annotate.Episode{ep("AFIB", 150, 2150)}
		}, AFShort, 150, 0},
		{"overlapping episodes", func(in *Input) {
			in.Episodes = []annotate.Episode{ep("AFIB", 150, 3550), ep("AFIB", 3000, 6550)}
		}, EpisodeOverlap, 3000, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(&in)
			fs, err := Run(in, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Rule != tt.want || fs[0].Sample != tt.sample || fs[0].Count != tt.count {
				t.Fatalf("findings %+v; want one %s at %d counting %d", fs, tt.want, tt.sample, tt.count)
			}
			if fs[0].Message == "" || fs[0].Start > fs[0].Sample || fs[0].End <= fs[0].Sample {
				t.Errorf("finding %+v: want a message and a span holding its sample", fs[0])
			}
		})
	}
}

func TestClean(t *testing.T) {
	in := base()
	in.Status = annotate.Status{State: annotate.StateSignedOff, By: "ann", At: time.Unix(0, 0)}
	if fs, err := Run(in, DefaultOptions()); err != nil || len(fs) != 0 {
		t.Errorf("clean label set: %+v, %v; want no findings", fs, err)
	}
}

func TestErrors(t *testing.T) {
	bad := base()
	bad.Info.Fs = 0
	o := DefaultOptions()
	o.MinAF = 0
	if _, err := Run(base(), o); !errors.Is(err, ErrOptions) {
		t.Errorf("zero MinAF: %v, want ErrOptions", err)
	}
	if _, err := Run(bad, DefaultOptions()); !errors.Is(err, stats.ErrFs) {
		t.Errorf("no fs: %v, want stats.ErrFs", err)
	}
}

// TestSynth checks the generator's own labels (no findings: the generator
// is consistent) and then spoils them one rule at a time.
func TestSynth(t *testing.T) {
	c := synth.Default()
	c.Duration, c.Seed, c.Leads, c.PAC.PerHour = 3*time.Minute, 5, 1, 0
	c.Noise = synth.NoiseConfig{}
	c.Events = []synth.Event{
		{Rhythm: "AFIB", At: 30 * time.Second, Length: 40 * time.Second},
		{Rhythm: "VT", At: 100 * time.Second, Length: 2 * time.Second},
		{Rhythm: "PAUSE", At: 140 * time.Second, Length: 2600 * time.Millisecond},
	}
	info, _, ann, err := synth.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Input: stats.Input{Info: info, Beats: ann.Beats, Episodes: ann.Episodes}}
	if fs, err := Run(in, DefaultOptions()); err != nil || len(fs) != 0 {
		t.Fatalf("synthetic labels: %+v, %v; want none", fs, err)
	}
	var pause, af annotate.Episode
	var rest []annotate.Episode
	for _, e := range ann.Episodes {
		switch e.Rhythm {
		case "PAUSE":
			pause = e
		case "AFIB":
			af, rest = e, append(rest, e)
		default:
			rest = append(rest, e)
		}
	}
	in.Episodes = rest // the pause is no longer marked
	i, _ := slices.BinarySearchFunc(in.Beats, af.Start+int64(10*info.Fs), func(b annotate.Beat, t int64) int { return int(b.Sample - t) })
	in.Beats = slices.Clone(in.Beats)
	in.Beats[i].Code = annotate.APC
	fs, err := Run(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		r  Rule
		at int64
	}{{SInAF, in.Beats[i].Sample}, {PauseUnmarked, pause.Start}}
	if len(fs) != len(want) {
		t.Fatalf("findings %+v, want %v", fs, want)
	}
	for k, w := range want {
		if fs[k].Rule != w.r || fs[k].Sample != w.at {
			t.Errorf("finding %d = %s at %d, want %s at %d", k, fs[k].Rule, fs[k].Sample, w.r, w.at)
		}
	}
}
