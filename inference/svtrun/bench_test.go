package svtrun

import (
	"math/rand/v2"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// BenchmarkRelabel100k runs the rule on 100,000 beats (about a day at
// 70 bpm) with a few SVT runs.
func BenchmarkRelabel100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	marks := make([]rhythm.Mark, 100_000)
	s := int64(0)
	for i := range marks {
		rr := 0.85 + 0.05*rng.NormFloat64()
		if i%5000 >= 4000 && i%5000 < 4100 {
			rr = 0.4
		}
		s += int64(rr * fs)
		marks[i] = rhythm.Mark{Sample: s, Code: annotate.Normal}
	}
	b.ResetTimer()
	for b.Loop() {
		Relabel(marks, fs, nil)
	}
}
