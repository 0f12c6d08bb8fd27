package adapt

import (
	"errors"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestCutWindows compares CutWindows with slicing the samples directly,
// edges included, across chunk boundaries.
func TestCutWindows(t *testing.T) {
	n := windowChunk + 5000
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 250, NSamples: int64(n), Leads: make([]annotate.Lead, 2)},
		Samples: [][]int32{make([]int32, n), make([]int32, n)}}
	for i := range n {
		sig.Samples[0][i], sig.Samples[1][i] = int32(i%9973), int32(-i)
	}
	at := []int64{0, 3, 1000, windowChunk - 2, windowChunk + 40, int64(n) - 2}
	var beats []annotate.Beat
	for _, s := range at {
		beats = append(beats, annotate.Beat{Sample: s})
	}
	got, err := CutWindows(sig, 1, beats, 5, 8)
	if err != nil {
		t.Fatal(err)
	}
	var want []float32
	for _, s := range at {
		for x := s - 5; x < s+8; x++ {
			want = append(want, float32(sig.Samples[1][min(max(x, 0), int64(n)-1)]))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("windows differ from the samples")
	}
}

func TestCutWindowsBadInput(t *testing.T) {
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 250, NSamples: 100, Leads: make([]annotate.Lead, 1)},
		Samples: [][]int32{make([]int32, 100)}}
	beats := []annotate.Beat{{Sample: 50}}
	for _, tt := range []struct {
		name           string
		lead, pre, pos int
	}{{"lead", 1, 5, 5}, {"negative lead", -1, 5, 5}, {"no post", 0, 5, 0}, {"negative pre", 0, -1, 5}} {
		if _, err := CutWindows(sig, tt.lead, beats, tt.pre, tt.pos); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	short := &annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 250, NSamples: 100, Leads: make([]annotate.Lead, 1)},
		Samples: [][]int32{make([]int32, 10)}} // the header says more than the samples hold
	if _, err := CutWindows(short, 0, beats, 5, 5); !errors.Is(err, annotate.ErrOutOfRange) {
		t.Errorf("reading past the samples: %v, want ErrOutOfRange", err)
	}
}
