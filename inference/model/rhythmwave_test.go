package model

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// beatTwin is the beat model whose windows a rhythm model's waveform
// input holds: the same rate, leads and normalisation, its window the
// rhythm model's beat window (metadata only: PrepareBeats needs no graph).
func beatTwin(t testing.TB, rhythm map[string]string) *Model {
	props := maps.Clone(rhythm)
	props[KeyTask], props[KeyClasses], props[KeyInputs] = "beat", "N,S,V,F,Q", "x:waveform"
	props[KeyWindow] = props[KeyBeatWindow]
	for _, k := range []string{KeyBeatWindow, KeyRRFeatures} {
		delete(props, k)
	}
	return metaModel(t, props)
}

// servedRows returns, for each start, the beat path's windows (PrepareBeats
// of twin) of beats s ... s+seg-1 laid end to end: what row j of a rhythm
// model's waveform input must hold.
func servedRows(t *testing.T, twin *Model, sig annotate.Signal, peaks []int64, starts []int, seg int) []float32 {
	t.Helper()
	var index []int
	for _, s := range starts {
		for k := range seg {
			index = append(index, s+k)
		}
	}
	b, err := twin.PrepareBeats(sig, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	return b.Waveform
}

// TestRhythmWaveformIsBeatWindows checks that row j of a rhythm model's
// waveform input holds, beat after beat, exactly the windows the beat path
// serves a beat model of the same rate, leads, window and normalisation:
// resampled (250 Hz records, 180 Hz models), z-scored or in mV, a one-lead
// record under a two-lead model (the second lead off: zeros), leads by
// name from the whole record when handed the leads chosen for the models,
// and a beat 5 samples after the record's start (its window reaches
// before it: the first sample repeated). The starts are out of order, one
// is repeated and the segments overlap, touch and stand apart.
func TestRhythmWaveformIsBeatWindows(t *testing.T) {
	two, peaks := beatRecord(250, 0.8, 60, "II", "V1")
	one, _ := beatRecord(250, 0.8, 60, "II")
	three, _ := beatRecord(250, 0.8, 60, "pulse", "II", "V1")
	chosen, err := annotate.SelectLeads(three, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	peaks[0] = 5
	starts := []int{8, 0, 40, 8, 16, 32, len(peaks) - 32}
	cases := []struct {
		name  string
		props map[string]string
		sig   annotate.Signal
		off   bool // the model's second lead is off
	}{
		{"2 leads zscore", with(rhythmWaveProps(), KeyLeads, "2"), two, false},
		{"1 lead mv", with(rhythmWaveProps(), KeyNormalize, "mv"), two, false},
		{"one-lead record, 2-lead model", with(rhythmWaveProps(), KeyLeads, "2"), one, true},
		{"one-lead record, 1-lead model", rhythmWaveProps(), one, false},
		{"lead V1 by name of the chosen leads", with(rhythmWaveProps(), KeyLeads, "V1", KeyBeatWindow, "40,60"), chosen, false},
		{"normalize none, before 0", with(rhythmWaveProps(), KeyNormalize, "none", KeyBeatWindow, "0,36"), two, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := metaModel(t, c.props)
			seg := m.meta.Segment
			b, err := m.PrepareRhythm(c.sig, peaks, starts)
			if err != nil {
				t.Fatal(err)
			}
			want := servedRows(t, beatTwin(t, c.props), c.sig, peaks, starts, seg)
			assertBitEqual(t, "rhythm waveform", b.Waveform, want)
			if len(b.Waveform) != len(starts)*seg*m.meta.Leads*m.meta.WindowLen() {
				t.Fatalf("%d values for %d segments", len(b.Waveform), len(starts))
			}
			if !c.off {
				return
			}
			n := m.meta.WindowLen()
			for r := 0; r < len(b.Waveform); r += 2 * n {
				assertClose(t, "lead 2 (off)", b.Waveform[r+n:r+2*n], make([]float32, n), 0)
			}
		})
	}
	m := metaModel(t, rhythmWaveProps())
	if b, _ := m.PrepareRhythm(two, peaks, []int{0}); b.Waveform[0] == b.Waveform[m.meta.Before] {
		t.Errorf("the beat at sample 5: window starts at %v as at the R peak", b.Waveform[0])
	}
}

// TestRhythmWaveformErrors: a rhythm model that reads the waveform needs
// the record's leads; one that does not reads only the sampling frequency.
func TestRhythmWaveformErrors(t *testing.T) {
	none, peaks := beatRecord(250, 0.8, 40)
	two, _ := beatRecord(250, 0.8, 40, "II", "V1")
	cases := []struct {
		name  string
		props map[string]string
		sig   annotate.Signal
		peaks []int64
		says  string
	}{
		{"no leads", rhythmWaveProps(), none, peaks, "the model needs 1 leads, the record has none"},
		{"lead not found", with(rhythmWaveProps(), KeyLeads, "MLII"), two, peaks, "the model needs lead MLII, the record has II, V1"},
		{"negative peak", rhythmWaveProps(), two, append([]int64{-3}, peaks[1:]...), "before the record starts"},
		{"no sampling frequency", rhythmWaveProps(), &annotate.MemSignal{}, peaks, "sampling frequency 0 Hz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := metaModel(t, c.props).PrepareRhythm(c.sig, c.peaks, []int{0})
			if err == nil || !strings.Contains(err.Error(), c.says) || !errors.Is(err, ErrInput) {
				t.Errorf("error = %v, want ErrInput saying %q", err, c.says)
			}
		})
	}
	if _, err := metaModel(t, rhythmProps()).PrepareRhythm(none, peaks, []int{0}); err != nil {
		t.Errorf("RR features alone, a record without leads: %v", err)
	}
}

// TestSegmentRuns checks the stretches of beats that segments cover and
// where each segment's beats lie among the beats cut once.
func TestSegmentRuns(t *testing.T) {
	cases := []struct {
		starts []int
		seg    int
		want   beatRuns
	}{
		{nil, 4, nil},
		{[]int{0}, 4, beatRuns{{0, 4, 0}}},
		{[]int{8, 0, 2, 0}, 4, beatRuns{{0, 6, 0}, {8, 12, 6}}},
		{[]int{0, 4, 8}, 4, beatRuns{{0, 12, 0}}},
		{[]int{0, 1, 2, 30}, 32, beatRuns{{0, 62, 0}}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.starts), func(t *testing.T) {
			got := segmentRuns(c.starts, c.seg)
			if !slices.Equal(got, c.want) {
				t.Fatalf("runs %v, want %v", got, c.want)
			}
			beats := got.beats()
			for _, s := range c.starts {
				off := got.offset(s)
				for k := range c.seg {
					if beats[off+k] != s+k {
						t.Fatalf("segment %d at row %d: beat %d is %d", s, off, k, beats[off+k])
					}
				}
			}
		})
	}
}

// TestClassifyRhythmWaveform runs rhythm_wave.onnx (testdata/models: RR
// features and a 1-lead 72+36 window at 180 Hz of each of 32 beats) through
// ONNX Runtime on a 250 Hz record: every segment gets valid probabilities,
// the same whether it is run with others or alone, and they depend on the
// waveform (a flat lead changes them).
func TestClassifyRhythmWaveform(t *testing.T) {
	m := loadTest(t, "rhythm_wave.onnx")
	if want, _ := m.want(Port{"x", Waveform}); !slices.Equal(want, []int64{anyDim, 32, 1, 108}) {
		t.Fatalf("waveform shape %v", want)
	}
	sig, peaks := beatRecord(250, 0.8, 60, "II")
	starts := rhythmStarts(len(peaks), 32, 8)
	res, err := m.ClassifyRhythm(sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	if res.N != len(starts) || len(res.Probs) != 3*len(starts) {
		t.Fatalf("result: %d rows, %d values", res.N, len(res.Probs))
	}
	last := len(starts) - 1
	alone, err := m.ClassifyRhythm(sig, peaks, starts[last:])
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "last segment alone", alone.Row(0), res.Row(last), 1e-6)
	flat, _ := beatRecord(250, 0.8, 60, "II")
	clear(flat.Samples[0])
	off, err := m.ClassifyRhythm(flat, peaks, starts[last:])
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(off.Row(0), res.Row(last)) {
		t.Errorf("a flat lead gives the probabilities of the ECG, %v: is the waveform fed?", off.Row(0))
	}
}

// rhythmStarts is every stride-th segment start of seg beats in n beats.
func rhythmStarts(n, seg, stride int) []int {
	var starts []int
	for s := 0; s+seg <= n; s += stride {
		starts = append(starts, s)
	}
	return starts
}

// TestRhythmWaveformIsTrainingWindows checks that a rhythm model's
// waveform rows are the beat windows `export` writes for training, cropped
// and z-scored (by beatwin.ZScore, the serving function; training/data.py's
// zscore computes the same in float64), bit for bit (records as in
// TestServedWindowsAreTrainingWindows: synthetic at 128, 250 and 360 Hz,
// MIT-BIH 100 and SVDB 803 with ECGDATA), for a 2-lead model at 180 Hz
// with a 72+36 beat window, segments of 32 beats every 8.
func TestRhythmWaveformIsTrainingWindows(t *testing.T) {
	recs := parityRecords(t)
	db := parityDB(t, recs)
	m := metaModel(t, with(rhythmWaveProps(), KeyLeads, "2"))
	md := m.meta
	for _, r := range recs {
		t.Run(r.name, func(t *testing.T) {
			_, x, peaks := exportWindows(t, db, r, md)
			rec, err := store.Open(r.path)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Close()
			starts := rhythmStarts(len(peaks), md.Segment, 8)
			b, err := m.PrepareRhythm(rec.Signal, peaks, starts)
			if err != nil {
				t.Fatal(err)
			}
			beats := trainingWindows(md, x, len(peaks))
			bl := m.beatLen()
			want := make([]float32, 0, len(b.Waveform))
			for _, s := range starts {
				want = append(want, beats[s*bl:(s+md.Segment)*bl]...)
			}
			n := assertBitEqual(t, "rhythm waveform", b.Waveform, want)
			t.Logf("%d segments of %d beats, %d values equal", len(starts), md.Segment, n)
		})
	}
}
