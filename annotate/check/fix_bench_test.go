package check

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// BenchmarkFixOf asks for the fix of every s-in-af finding of a 14-day
// record (about 1.4 million beats, 500 AF episodes each with two S beats),
// as the checks view does for its list after every check.
func BenchmarkFixOf(b *testing.B) {
	const n, eps = 1_400_000, 500
	beats := make([]annotate.Beat, n)
	for i := range beats {
		beats[i] = annotate.Beat{Sample: int64(i) * 216, Code: annotate.Normal}
	}
	var fs []Finding
	for e := range eps {
		i := e * (n / eps)
		beats[i+3].Code, beats[i+7].Code = annotate.APC, annotate.APC
		fs = append(fs, Finding{Rule: SInAF, Start: beats[i].Sample, End: beats[i+100].Sample})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, f := range fs {
			if fix, ok := FixOf(f, beats); !ok || len(fix.Samples) != 2 {
				b.Fatalf("fix %+v, %v", fix, ok)
			}
		}
	}
}
