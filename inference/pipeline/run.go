package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/inference/sched"
	"github.com/ecgstation/ecgstation/inference/svtrun"
)

// runner is one run over a region.
type runner struct {
	p      *Pipeline
	start  time.Time
	res    *Result
	chunks []Chunk // by span index; with Config.Stream only those held back
	// marks are the run's beats as the rhythm stage reads them, in
	// sample order once every chunk is in; with Config.Discard the
	// chunks' marks wait in discards until then, by span index.
	marks    []rhythm.Mark
	discards [][]rhythm.Mark
	next     int          // with Config.Stream: the span to hand over next
	held     map[int]bool // with Config.Stream: finished spans waiting for those before them
	labelled int          // beats labelled so far
	frac     float64
}

// queue hands out the spans of a run, nearest the focus first.
type queue struct {
	mu      sync.Mutex
	p       *Pipeline
	pending []span
}

// next removes and returns the pending span nearest the focus: the one that
// holds it, then alternately after and before it.
func (q *queue) next() (span, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return span{}, false
	}
	f := q.p.focus.Load()
	best, bestKey := 0, int64(-1)
	for k, s := range q.pending {
		var key int64
		switch {
		case f >= s.end:
			key = 2*((f-s.end)/q.p.chunk) + 2
		case f < s.start:
			key = 2*((s.start-f)/q.p.chunk) + 1
		}
		if bestKey < 0 || key < bestKey {
			best, bestKey = k, key
		}
	}
	s := q.pending[best]
	q.pending = slices.Delete(q.pending, best, best+1)
	return s, true
}

// split cuts [start, end) into chunks on the pipeline's chunk grid.
func (p *Pipeline) split(start, end int64) []span {
	var out []span
	for a := start; a < end; {
		b := min(end, (a/p.chunk+1)*p.chunk)
		out = append(out, span{i: len(out), start: a, end: b})
		a = b
	}
	return out
}

// beats runs the per-chunk stages on the workers and hands the chunks over
// as they come.
func (r *runner) beats(ctx context.Context, start, end int64) error {
	spans := r.p.split(start, end)
	r.chunks = make([]Chunk, len(spans))
	if r.p.cfg.Discard {
		r.discards = make([][]rhythm.Mark, len(spans))
	}
	r.held = map[int]bool{}
	q := &queue{p: r.p, pending: slices.Clone(spans)}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan done)
	var wg sync.WaitGroup
	for range min(r.p.cfg.Workers, len(spans)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Background() // the window draws first; this thread ends with the goroutine
			r.p.work(ctx, q, out)
		}()
	}
	go func() { wg.Wait(); close(out) }()
	var first error
	for d := range out {
		if d.err != nil && first == nil {
			first = d.err
			cancel()
		}
		if first == nil && ctx.Err() == nil {
			r.take(d, float64(d.end-d.start)/float64(end-start))
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	if first != nil {
		return first
	}
	r.assemble()
	return nil
}

// work processes spans from q until it is empty or ctx is done.
func (p *Pipeline) work(ctx context.Context, q *queue, out chan<- done) {
	w := &worker{p: p}
	for ctx.Err() == nil {
		sp, ok := q.next()
		if !ok {
			return
		}
		d := w.safeBeatStage(sp)
		select {
		case out <- d:
		case <-ctx.Done():
			return
		}
	}
}

// take hands one finished chunk over: at once, or with Config.Stream once
// every chunk before it was handed over.
func (r *runner) take(d done, frac float64) {
	r.chunks[d.i] = d.chunk
	r.res.Timing.add(d.timing)
	if !r.p.cfg.Stream {
		r.handOver(d.i)
		if r.p.cfg.Discard { // only its marks and noise stay, for the rhythm stage
			r.discards[d.i] = rhythm.MarksOf(d.chunk.Output.Beats)
			r.chunks[d.i] = Chunk{Output: annotate.ModelOutput{Noise: d.chunk.Output.Noise}}
		}
	} else {
		r.held[d.i] = true
		for ; r.held[r.next]; r.next++ {
			delete(r.held, r.next)
			r.handOver(r.next)
			r.chunks[r.next] = Chunk{} // a streamed chunk is not kept
		}
	}
	r.frac += frac
	r.progress(StageBeats, min(r.frac, 1))
}

// handOver gives chunk i to OnChunk.
func (r *runner) handOver(i int) {
	c := r.chunks[i]
	r.labelled += len(c.Output.Beats)
	if r.p.cfg.Stream {
		r.keep(c)
	}
	if f := r.p.cfg.OnChunk; f != nil {
		f(c)
	}
}

// keep adds a chunk's beats, without their probabilities, to Marks (and
// as rhythm marks to the run's) and its noise to the result.
func (r *runner) keep(c Chunk) {
	r.res.Marks = append(r.res.Marks, marks(c.Output.Beats)...)
	r.marks = append(r.marks, rhythm.MarksOf(c.Output.Beats)...)
	r.res.Output.Noise = append(r.res.Output.Noise, c.Output.Noise...)
}

// marks returns beats without their probabilities.
func marks(beats []annotate.Beat) []annotate.Beat {
	out := make([]annotate.Beat, len(beats))
	for i, b := range beats {
		b.Prov.Probs = nil
		out[i] = b
	}
	return out
}

func (r *runner) progress(stage string, f float64) {
	if fn := r.p.cfg.OnProgress; fn != nil {
		fn(newProgress(stage, f, r.labelled, time.Since(r.start)))
	}
}

// assemble joins the chunks in sample order into the result (with
// Config.Stream they were handed over and kept as Marks already; with
// Config.Discard only their rhythm marks and noise are joined).
func (r *runner) assemble() {
	defer func() { r.chunks, r.discards = nil, nil }()
	if r.p.cfg.Stream {
		return
	}
	if r.p.cfg.Discard {
		for i, c := range r.chunks {
			r.marks = append(r.marks, r.discards[i]...)
			r.res.Output.Noise = append(r.res.Output.Noise, c.Output.Noise...)
		}
		return
	}
	out := &r.res.Output
	for _, c := range r.chunks {
		out.Beats = append(out.Beats, c.Output.Beats...)
		if c.EmbDim > 0 {
			r.res.EmbDim = c.EmbDim
			r.res.Emb = append(r.res.Emb, c.Emb...)
		}
	}
	r.res.Marks = make([]annotate.Beat, 0, len(out.Beats))
	for _, c := range r.chunks {
		r.keep(c)
	}
}

// rhythm applies the SVT run rule to the run's beats and finds their
// episodes, with the beats of earlier runs around the region as context,
// and hands both over as one chunk: the episodes, and the beats the rule
// relabelled (KindRelabel: code and provenance only).
func (r *runner) rhythm(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.Now()
	beats := r.p.withContext(r.marks, r.res.Start, r.res.End)
	r.marks = nil
	r.p.storeNoise(r.res.Output.Noise, r.res.Start, r.res.End)
	relabelled := r.svtRule(r.p.svtAround(r.res.Start, r.res.End))
	in := rhythm.Input{Marks: beats, Fs: r.p.info.Fs, Noise: r.res.Output.Noise}
	w, err := r.p.safeRhythmWindows(beats)
	if err != nil {
		return err
	}
	in.Model = w
	eps, err := rhythm.Detect(in, r.p.cfg.Rules)
	if err != nil {
		return fmt.Errorf("pipeline: rhythm of %s: %w", r.p.info.Name, err)
	}
	eps = slices.DeleteFunc(eps, func(e annotate.Episode) bool { return e.End <= r.res.Start || e.Start >= r.res.End })
	r.res.Output.Episodes = eps
	r.res.Timing.Rhythm = time.Since(t)
	if f := r.p.cfg.OnChunk; f != nil {
		f(Chunk{Start: r.res.Start, End: r.res.End, Stage: StageRhythm, Output: annotate.ModelOutput{Episodes: eps, Beats: relabelled}})
	}
	return nil
}

// rhythmContext is how much of earlier runs' beats around a region the
// rhythm stage reads.
const rhythmContext = 2 * time.Minute

// withContext stores the run's beats (replacing those of earlier runs in
// [start, end)) and returns them with the earlier beats within
// rhythmContext around the region. The slice returned is shared: the
// caller only reads it (a later run stores a new slice).
func (p *Pipeline) withContext(beats []rhythm.Mark, start, end int64) []rhythm.Mark {
	p.mu.Lock()
	defer p.mu.Unlock()
	lo, _ := slices.BinarySearchFunc(p.marks, start, cmpMark)
	hi, _ := slices.BinarySearchFunc(p.marks, end, cmpMark)
	if lo == 0 && hi == len(p.marks) {
		p.marks = beats // the run replaces every beat: no copy
	} else {
		p.marks = slices.Concat(p.marks[:lo], beats, p.marks[hi:])
	}
	c := int64(rhythmContext.Seconds() * p.info.Fs)
	a, _ := slices.BinarySearchFunc(p.marks, start-c, cmpMark)
	b, _ := slices.BinarySearchFunc(p.marks, end+c, cmpMark)
	return p.marks[a:b:b]
}

// storeNoise stores the run's noise stretches, replacing those of earlier
// runs that start in [start, end): the SVT run rule reads beats beyond a
// region (svtAround), and a stretch whose onset lies in earlier noise must
// not qualify in a re-run either. p.noise is a new slice each time, so a
// reader may keep the old one.
func (p *Pipeline) storeNoise(noise []annotate.Noise, start, end int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := slices.DeleteFunc(slices.Clone(p.noise), func(n annotate.Noise) bool { return n.Start >= start && n.Start < end })
	p.noise = append(kept, noise...)
}

// svtContext is how much of earlier runs' beats around a region the SVT
// run rule reads: its ±10 minutes, and a minute for a run's onset.
const svtContext = time.Duration(svtrun.RefSpan+60) * time.Second

// svtAround returns the stored beats the SVT run rule reads for [start,
// end): svtContext around it, and when that begins inside a run of S beats
// (an SVT longer than the context, relabelled by an earlier run) from
// svtContext before the run's first beat, so that the rule sees the run's
// onset and the slow rhythm before it, as a whole run does (otherwise the
// region's fresh N beats would replace the rule's S). It is a slice of the
// one withContext returned last, which the rule's relabels change.
func (p *Pipeline) svtAround(start, end int64) []rhythm.Mark {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := int64(svtContext.Seconds() * p.info.Fs)
	a, _ := slices.BinarySearchFunc(p.marks, start-c, cmpMark)
	// A stretch the rule relabels cannot outlast about 2·RefSpan of fast
	// rhythm (ref catches up with it), so days of S need no walk.
	limit := start - c - int64(2*svtrun.RefSpan*p.info.Fs)
	k := a
	for k > 0 && k < len(p.marks) && p.marks[k].Sample > limit &&
		(p.marks[k].Code.Class() == annotate.ClassS || !p.marks[k].Code.IsBeat()) {
		k-- // back to the beat before the run
	}
	if k < a {
		a, _ = slices.BinarySearchFunc(p.marks, p.marks[k].Sample-c, cmpMark)
	}
	b, _ := slices.BinarySearchFunc(p.marks, end+c, cmpMark)
	return p.marks[a:b:b]
}

func cmpSample(b annotate.Beat, s int64) int { return cmp.Compare(b.Sample, s) }

func cmpMark(m rhythm.Mark, s int64) int { return cmp.Compare(m.Sample, s) }

// rhythmWindows runs the rhythm model on overlapping segments of beats;
// nil without a rhythm model or with fewer beats than a segment.
func (p *Pipeline) rhythmWindows(beats []rhythm.Mark) (*rhythm.Windows, error) {
	m := p.cfg.Rhythm
	if m == nil {
		return nil, nil
	}
	peaks := make([]int64, 0, len(beats))
	for _, b := range beats {
		if b.Code.IsBeat() {
			peaks = append(peaks, b.Sample)
		}
	}
	seg := m.Meta().Segment
	stride := p.cfg.RhythmStride
	if stride <= 0 {
		stride = max(1, seg/4)
	}
	starts := rhythm.SegmentStarts(len(peaks), seg, stride)
	if starts == nil {
		return nil, nil
	}
	classes, probs, err := classifyRhythm(m, p.cfg.Signal, peaks, starts)
	if err != nil {
		return nil, fmt.Errorf("pipeline: rhythm model on %s: %w", p.info.Name, err)
	}
	return &rhythm.Windows{Starts: starts, Segment: seg, Classes: classes, Probs: probs, Who: m.Meta().ID()}, nil
}

// safeRhythmWindows runs rhythmWindows and turns a panic (a decoder
// failing on a damaged record while a waveform model's windows are cut)
// into an error, as safeBeatStage does for the beat stage: the beats
// already handed over stay, the record's other runs go on.
func (p *Pipeline) safeRhythmWindows(beats []rhythm.Mark) (w *rhythm.Windows, err error) {
	defer func() {
		if v := recover(); v != nil {
			w, err = nil, fmt.Errorf("pipeline: rhythm model on %s: reading the record failed: %v; check the record's file (ecgstation info), the beat labels are kept", p.info.Name, v)
		}
	}()
	return p.rhythmWindows(beats)
}

// rhythmPiece is about how many segments the rhythm model's inputs are
// prepared for at once: those of every segment of a 14-day record (1.4
// million beats, each in four segments) would take about 90 MB.
const rhythmPiece = 4096

// rhythmPieceLen returns how many segments of the rhythm model m to
// prepare and run at once. For RR features alone it is rhythmPiece, in
// whole batches, so the model sees the same batches as in one call. A
// waveform input makes each segment's input larger (window × leads ×
// before+after values on top of window × features: 4096 segments of 32
// beats of 108 samples would take 57 MB), so there it is lowered until a
// piece holds about as many values as rhythmPiece segments of RR features
// alone; a piece smaller than a dynamic batch is then one run, and a
// fixed batch still runs whole.
func rhythmPieceLen(m *model.Model) int {
	md := m.Meta()
	rows := rhythmPiece
	if _, ok := md.Input(model.Waveform); ok {
		rr := md.Segment * len(md.RRFeatures)
		rows = max(1, rhythmPiece*rr/(rr+md.Segment*md.Leads*md.WindowLen()))
	}
	if b := m.BatchSize(); rows >= b || m.FixedBatch() {
		return max(1, rows/b) * b
	}
	return rows
}

// classifyRhythm runs the rhythm model m on the segments at starts (beats
// peaks of sig), a piece at a time (rhythmPieceLen), and returns the
// classes and every segment's probabilities.
func classifyRhythm(m *model.Model, sig annotate.Signal, peaks []int64, starts []int) ([]string, []float32, error) {
	piece := rhythmPieceLen(m)
	var classes []string
	probs := make([]float32, 0, len(starts)*len(m.Meta().Classes))
	for a := 0; a < len(starts); a += piece {
		res, err := m.ClassifyRhythm(sig, peaks, starts[a:min(a+piece, len(starts))])
		if err != nil {
			return nil, nil, err
		}
		classes, probs = res.Classes, append(probs, res.Probs...)
	}
	return classes, probs, nil
}

// safeBeatStage runs beatStage and turns a panic (a decoder or a model
// failing on a damaged record) into the chunk's error: a worker is its own
// goroutine, where a panic would end the whole program, the window with
// the reader's unsaved view and a batch with every record after this one.
func (w *worker) safeBeatStage(sp span) (d done) {
	defer func() {
		if v := recover(); v != nil {
			d = done{span: sp, err: fmt.Errorf("pipeline: samples %d-%d: %v", sp.start, sp.end, v)}
		}
	}()
	return w.beatStage(sp)
}
