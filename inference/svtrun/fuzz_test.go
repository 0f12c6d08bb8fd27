package svtrun

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// FuzzRelabel builds marks from bytes (each byte pair an interval in
// samples, 0 included, and a code) and checks that Relabel does not panic
// and returns, ascending, only indexes of N beats.
func FuzzRelabel(f *testing.F) {
	f.Add([]byte{200, 1, 200, 1, 200, 1, 100, 1, 100, 1, 100, 1, 100, 1, 200, 1}, 250.0)
	f.Add([]byte{0, 1, 0, 1, 0, 5}, 1.0)
	f.Fuzz(func(t *testing.T, data []byte, fs float64) {
		codes := []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC, annotate.Rhythm}
		var marks []rhythm.Mark
		s := int64(0)
		for i := 0; i+1 < len(data); i += 2 {
			s += int64(data[i])
			marks = append(marks, rhythm.Mark{Sample: s, Code: codes[int(data[i+1])%len(codes)]})
		}
		got := Relabel(marks, fs, nil)
		if !slices.IsSorted(got) {
			t.Fatalf("indexes not ascending: %v", got)
		}
		for _, i := range got {
			if marks[i].Code != annotate.Normal {
				t.Fatalf("mark %d (%v) relabelled", i, marks[i].Code)
			}
		}
	})
}
