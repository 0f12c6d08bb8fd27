package pipeline

import (
	"fmt"
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/quality"
)

// span is one chunk of a run: [start, end) in samples, and its index.
type span struct {
	i          int
	start, end int64
}

// done is what a worker hands back for one chunk.
type done struct {
	span
	chunk  Chunk
	timing Timing
	err    error
}

// worker holds one worker's read buffer.
type worker struct {
	p   *Pipeline
	buf [][]int32
}

// beatStage runs detect, quality, classify and embed on one chunk, and
// then the quality model, which reads the beat model's classes.
func (w *worker) beatStage(sp span) done {
	d := done{span: sp, chunk: Chunk{Start: sp.start, End: sp.end, Stage: StageBeats}}
	t := time.Now()
	v, err := w.read(sp)
	d.timing.Read, t = time.Since(t), time.Now()
	if err != nil {
		d.err = err
		return d
	}
	all, err := w.detect(v)
	d.timing.Detect, t = time.Since(t), time.Now()
	if err != nil {
		d.err = err
		return d
	}
	lo, hi := inside(all, sp)
	beats := all[lo:hi]
	noise, err := quality.Assess(v.sub(sp.start, sp.end))
	if err == nil {
		shiftNoise(noise, sp.start)
		noise = quality.KeepPauses(noise, all, w.p.info.Fs)
		quality.Flag(beats, noise)
		annotate.MapNoiseLeads(noise, w.p.cfg.Signal) // the record's leads, when the models read some of them
	}
	d.timing.Quality = time.Since(t)
	if err != nil {
		d.err = fmt.Errorf("pipeline: quality of %s at sample %d: %w", w.p.info.Name, sp.start, err)
		return d
	}
	d.chunk.Output = annotate.ModelOutput{Beats: beats, Noise: noise}
	if d.err = w.p.classify(v, all, lo, hi, &d.chunk, &d.timing); d.err == nil {
		d.err = w.p.addModelNoise(v, all, sp, &d)
	}
	return d
}

// read reads the chunk and its margins into the worker's buffer.
func (w *worker) read(sp span) (*view, error) {
	m := int64(math.Round(Margin.Seconds() * w.p.info.Fs))
	a, b := max(0, sp.start-m), min(w.p.info.NSamples, sp.end+m)
	n := int(b - a)
	if w.buf == nil || cap(w.buf[0]) < n {
		w.buf = make([][]int32, len(w.p.info.Leads))
		for l := range w.buf {
			w.buf[l] = make([]int32, n)
		}
	}
	for l := range w.buf {
		w.buf[l] = w.buf[l][:n]
	}
	for got := 0; got < n; {
		part := make([][]int32, len(w.buf))
		for l := range part {
			part[l] = w.buf[l][got:]
		}
		k, err := w.p.cfg.Signal.Read(part, a+int64(got))
		if err != nil {
			return nil, fmt.Errorf("pipeline: read %s at sample %d: %w", w.p.info.Name, a+int64(got), err)
		}
		if k == 0 {
			return nil, fmt.Errorf("pipeline: read %s at sample %d: the record ends before its %d samples", w.p.info.Name, a+int64(got), w.p.info.NSamples)
		}
		got += k
	}
	return newView(w.p.info, w.buf, a), nil
}

// detect runs a fresh detector over the whole view; beats are in record
// samples.
func (w *worker) detect(v *view) ([]annotate.Beat, error) {
	d, err := qrs.New(v.info, qrs.Options{})
	if err != nil {
		return nil, fmt.Errorf("pipeline: detect %s: %w", v.info.Name, err)
	}
	const step = 4096 // small pieces: the detector's warm-up takes the whole first piece
	var beats []annotate.Beat
	part := make([][]int32, len(v.data))
	for a := 0; a < len(v.data[0]); a += step {
		b := min(len(v.data[0]), a+step)
		for l := range part {
			part[l] = v.data[l][a:b]
		}
		beats = append(beats, d.Push(part, b-a)...)
	}
	beats = append(beats, d.Flush()...)
	for i := range beats {
		beats[i].Sample += v.off
	}
	return beats, nil
}

// inside returns the range of beats within the chunk.
func inside(beats []annotate.Beat, sp span) (int, int) {
	lo := 0
	for lo < len(beats) && beats[lo].Sample < sp.start {
		lo++
	}
	hi := lo
	for hi < len(beats) && beats[hi].Sample < sp.end {
		hi++
	}
	return lo, hi
}

func shiftNoise(ns []annotate.Noise, off int64) {
	for i := range ns {
		ns[i].Start += off
		ns[i].End += off
	}
}

// Region is the part of the model layer the chunk replaces, for
// Session.MergeModelRegion: its span, and the kinds of labels its stage
// makes (beats and noise, episodes, or re-classified beats).
func (c Chunk) Region() annotate.ModelRegion {
	kinds := annotate.KindBeats
	switch c.Stage {
	case StageBeats:
		kinds |= annotate.KindNoise
	case StageRhythm:
		kinds = annotate.KindEpisodes | annotate.KindRelabel // and the SVT run rule's beats
	}
	return annotate.ModelRegion{Start: c.Start, End: c.End, Kinds: kinds}
}
