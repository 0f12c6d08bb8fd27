package store

import (
	"math"
	"testing"

	"github.com/ecgstation/ecgstation/store/edf"
)

// FuzzFromEDF checks the mapping of EDF+ annotation texts to labels on any
// text, onset and duration: it never panics, every beat carries a beat code
// and comes from a text that names one, and episodes never end before they
// start.
func FuzzFromEDF(f *testing.F) {
	for _, s := range []string{"N", "V", "normal beat", "premature ventricular contraction",
		"atrial premature contraction", "rhythm change", "(AFIB", "Sleep stage W", ""} {
		f.Add(s, 1.25, 0.0)
		f.Add(s, 3.5, 2.0)
	}
	f.Fuzz(func(t *testing.T, text string, onset, dur float64) {
		if math.IsNaN(onset) || math.IsInf(onset, 0) || math.Abs(onset) > 1e9 || math.IsNaN(dur) || dur < 0 || dur > 1e9 {
			return // the TAL parser only yields finite numbers of at most a few digits
		}
		beats, eps := FromEDF([]edf.Annotation{{Onset: onset, Duration: dur, Text: text}}, 360)
		if len(beats)+len(eps) > 1 {
			t.Fatalf("one annotation gave %d beats and %d episodes", len(beats), len(eps))
		}
		for _, b := range beats {
			if !b.Code.IsBeat() {
				t.Errorf("%q gave beat code %v", text, b.Code)
			}
		}
		for _, e := range eps {
			if e.End < e.Start {
				t.Errorf("%q gave episode %d..%d", text, e.Start, e.End)
			}
		}
	})
}
