package adapt

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// benchInput is a 24 h record's worth of beats (100,000) with a 32-value
// embedding, 160-sample windows and 200 reader labels of three classes, the
// rest model labels.
func benchInput() Input {
	rng := rand.New(rand.NewPCG(5, 6))
	in := randomInput(rng, 0)
	in.EmbDim, in.WinLen = 32, 160
	at := int64(0)
	for i := range 100_000 {
		at += 180 + rng.Int64N(60)
		k := []annotate.Code{annotate.Normal, annotate.Normal, annotate.Normal, annotate.APC, annotate.PVC}[rng.IntN(5)]
		b := annotate.Beat{Sample: at, Code: annotate.Normal, Prov: annotate.Provenance{Source: annotate.SourceModel}}
		if i%500 == 0 {
			b.Code, b.Prov.Source, b.Review = k, annotate.SourceReader, annotate.Changed
		}
		in.Beats = append(in.Beats, b)
		for c := range popClasses {
			in.Probs = append(in.Probs, float32(1+c)*rng.Float32())
		}
		shift := float64(k) // the class moves the embedding and the window
		for range in.EmbDim {
			in.Emb = append(in.Emb, float32(rng.NormFloat64()+shift))
		}
		for t := range in.WinLen {
			in.Windows = append(in.Windows, float32(rng.NormFloat64()+shift*float64(t%7)))
		}
	}
	return in
}

// BenchmarkAdapt100k times one adaptation of a 24 h record. Besides the
// wall time it reports cpu-ms/op, the process's user+system CPU time per
// adaptation (garbage collection included), which a machine shared with
// other work does not inflate.
func BenchmarkAdapt100k(b *testing.B) { benchAdapt(b, benchInput(), Options{}) }

// BenchmarkAdaptProduct100k is BenchmarkAdapt100k with the product's
// options: MinConfidence and the local gates, the beats in 40 look-alike
// groups (by their embedding's first value), every group holding reader
// labels.
func BenchmarkAdaptProduct100k(b *testing.B) {
	in := benchInput()
	in.Group = make([]int, len(in.Beats))
	for i := range in.Group {
		in.Group[i] = min(39, max(0, int(10*(in.Emb[i*in.EmbDim]+2))))
	}
	benchAdapt(b, in, Product())
}

func benchAdapt(b *testing.B, in Input, opt Options) {
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		res, err := Adapt(in, opt)
		if err != nil || res.Learned != 200 {
			b.Fatal(res.Learned, err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n)/1e6, "cpu-ms/op")
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
