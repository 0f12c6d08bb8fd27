package store

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// chunkSpan is a pipeline chunk at 250 Hz: 5 minutes (pipeline.DefaultChunk).
const chunkSpan = 5 * 60 * 250

// chunkOutput returns the model output of chunk i as the pipeline's beat
// stage gives it: a beat every 214 samples (70 bpm) with class
// probabilities, and a noise stretch in every other chunk (the density of
// synth --demo: 2,332 stretches in 14 days).
func chunkOutput(i int) (annotate.ModelOutput, annotate.ModelRegion) {
	start := int64(i) * chunkSpan
	reg := annotate.ModelRegion{Start: start, End: start + chunkSpan, Kinds: annotate.KindBeats | annotate.KindNoise}
	var out annotate.ModelOutput
	for s := start + 100; s < reg.End; s += 214 {
		code := annotate.Normal
		if s%(214*97) == 100 {
			code = annotate.PVC
		}
		out.Beats = append(out.Beats, annotate.Beat{Sample: s, Code: code, Prov: annotate.Provenance{Source: annotate.SourceModel,
			Who: "beatnet@2", Confidence: 0.93, Probs: []float32{0.93, 0.02, 0.03, 0.01, 0.01}}})
	}
	if i%2 == 1 {
		out.Noise = append(out.Noise, annotate.Noise{Start: start + 3000, End: start + 5500, Lead: 0, Reason: "noise",
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "quality@1"}})
	}
	return out, reg
}

// mergeChunks opens a session of reader "bench" on a new record in db and
// merges n chunks into it in order through MergeModelRegion, as the
// window's pre-annotation does; a label view follows the session (inline)
// and reads it again after every tenth chunk, as the window's watcher
// does a few times a second while about 40 chunks a second come in.
func mergeChunks(b *testing.B, db *DB, rec int, n int) {
	id := newRecord(b, db, rec, 0)
	sess, err := annotate.Open(db, id, annotate.Options{Reader: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	v := annotate.NewLabelView(nil)
	v.Open(sess, nil)
	for i := range n {
		out, reg := chunkOutput(i)
		if _, err := sess.MergeModelRegion(out, reg); err != nil {
			b.Fatal(err)
		}
		if i%10 == 9 {
			v.Changed()
		}
	}
	v.Changed()
	if got, want := v.Len(), sess.NumBeats(); got != want || want < n*300 {
		b.Fatalf("the view holds %d beats, the session %d, want %d chunks of about 350", got, want, n)
	}
}

// BenchmarkMergeChunks merges a whole record's pipeline chunks into a
// session on a real label database: 24 h (288 chunks, about 100,000
// beats) and 14 days (4,032 chunks, about 1.4 million beats). An op is a
// whole record; cpu-s is the process's CPU time per op (user and system),
// so a loaded machine shows in wall time but less in it.
func BenchmarkMergeChunks(b *testing.B) {
	for _, size := range []struct {
		name   string
		chunks int
	}{{"24h", 288}, {"3.5d", 84 * 12}, {"14d", 14 * 288}} {
		b.Run(size.name, func(b *testing.B) {
			db, _ := openTestDB(b)
			cpu0, t0, rec := processCPU(), time.Now(), 0
			for b.Loop() {
				mergeChunks(b, db, rec, size.chunks)
				rec++
			}
			n := float64(rec)
			b.ReportMetric(time.Since(t0).Seconds()/n, "wall-s/op")
			b.ReportMetric((processCPU()-cpu0).Seconds()/n, "cpu-s/op")
			b.ReportMetric(float64(time.Since(t0).Microseconds())/n/float64(size.chunks), "us/chunk")
		})
	}
}

// processCPU returns the CPU time (user and system) the process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(fmt.Sprintf("store: getrusage: %v", err))
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
