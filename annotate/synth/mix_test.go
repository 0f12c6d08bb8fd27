package synth

import (
	"reflect"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestMix: the realistic mix is the demo's settings with its 30-minute
// schedule of episodes repeated over the length asked, keeping only the
// episodes that end in time; 30 minutes is exactly the demo record.
func TestMix(t *testing.T) {
	cases := []struct {
		d      time.Duration
		events int
	}{
		{time.Minute, 0},
		{10 * time.Minute, 1},          // the AF episode at 6 min
		{30 * time.Minute, 7},          // the demo's seven
		{45 * time.Minute, 10},         // and AF, VT, bigeminy of the second half hour
		{24 * time.Hour, 48 * 7},       // 48 half hours
		{14 * 24 * time.Hour, 672 * 7}, // the longest record the generator makes
		{90*time.Minute + time.Second, 21},
	}
	for _, c := range cases {
		cfg := Mix(c.d)
		if cfg.Duration != c.d || len(cfg.Events) != c.events {
			t.Errorf("Mix(%v): %v long, %d episodes, want %d", c.d, cfg.Duration, len(cfg.Events), c.events)
		}
		for _, e := range cfg.Events {
			if e.At+e.Length > c.d {
				t.Errorf("Mix(%v): %s at %v runs past the end", c.d, e.Rhythm, e.At)
			}
		}
		if cfg.PVC.PerHour != Demo().PVC.PerHour || !reflect.DeepEqual(cfg.Noise, Demo().Noise) {
			t.Errorf("Mix(%v) has not the demo's ectopy and noise", c.d)
		}
		if _, err := New(cfg); err != nil {
			t.Errorf("Mix(%v) is refused: %v", c.d, err)
		}
	}
	if !reflect.DeepEqual(Mix(30*time.Minute), Demo()) {
		t.Error("Mix(30 min) is not the demo record")
	}
}

// TestMixRecord generates an hour of the mix and counts its episodes by
// rhythm: twice the demo's.
func TestMixRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("an hour of ECG")
	}
	_, _, ann := mustRecord(t, Mix(time.Hour))
	got := map[string]int{}
	for _, e := range ann.Episodes {
		got[e.Rhythm]++
	}
	want := map[string]int{"AFIB": 2, "VT": 4, "B": 2, "AFL": 2, "PAUSE": 4}
	for r, n := range want {
		if got[r] != n {
			t.Errorf("%d %s episodes, want %d (all: %v)", got[r], r, n, got)
		}
	}
	var v int
	for _, b := range ann.Beats {
		if b.Code == annotate.PVC {
			v++
		}
	}
	if v < 90 {
		t.Errorf("%d V beats in an hour, want the demo's 90 an hour and the VT runs' beats", v)
	}
}
