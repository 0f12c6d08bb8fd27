package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/rhythm"
)

// DefaultChunk is the length of the chunks a record is cut into.
const DefaultChunk = 5 * time.Minute

// Margin is the signal read on each side of a chunk: it settles the QRS
// detector before the chunk starts and gives the beats at the chunk's edges
// their RR features (up to model.RRLocalSpan beats on each side).
const Margin = 15 * time.Second

// The stages a chunk comes from.
const (
	StageBeats      = "beats"      // detect, quality, classify, embed
	StageRhythm     = "rhythm"     // rhythm episodes
	StageReclassify = "reclassify" // beats re-classified after an edit
)

// Errors of the pipeline.
var (
	ErrConfig      = errors.New("pipeline: bad configuration")
	ErrRegion      = errors.New("pipeline: region outside the record")
	ErrNoBeatModel = errors.New("pipeline: no beat model: classification is off")
	ErrNoBeats     = errors.New("pipeline: no beat source to re-classify from")
)

// BeatSource gives the current beats of a record, reader edits included;
// *annotate.Session is one.
type BeatSource interface {
	BeatsIn(t0, t1 int64) []annotate.Beat
}

// Config configures a Pipeline.
type Config struct {
	// Signal is the record (its length must be known), or the leads of
	// it the detector and the models read (an annotate.LeadSelection: the
	// noise stretches then name the record's leads).
	Signal annotate.Signal
	Beat   *model.Model // beat model; nil: classification off, beats labelled N
	Rhythm *model.Model // rhythm model; nil: episodes from the rules only
	// Quality is a quality model (task quality); nil: noise stretches
	// from the rules of inference/quality only. With one, runs of at
	// least QualityRun beats it calls noise are noise stretches too.
	Quality *model.Model
	Rules   rhythm.Options // thresholds of the rules and post-processing

	Workers int           // chunks processed at once; 0: DefaultWorkers()
	Chunk   time.Duration // chunk length; 0: DefaultChunk
	// RhythmStride is the number of beats between the starts of rhythm
	// model segments; 0: a quarter of the model's segment.
	RhythmStride int
	// Neighbours is how many beats on each side of an edited beat
	// Reclassify also re-classifies; 0: 2.
	Neighbours int

	// OnChunk receives each chunk of labels, on the goroutine that runs
	// Run or RunRegion, one at a time. Merge it with Session.MergeModel.
	OnChunk func(Chunk)
	// OnProgress receives progress after every chunk, on the same goroutine.
	OnProgress func(Progress)
	// Beats is where Reclassify reads the current beats; nil: Reclassify
	// returns ErrNoBeats.
	Beats BeatSource
	// Stream makes a run hand its beat chunks to OnChunk in sample order
	// and keep none of them: Result.Output.Beats and Result.Emb stay nil,
	// and the run's memory no longer grows with the beats' probabilities
	// and embeddings (Result.Marks still holds every beat, without its
	// probabilities, for the rhythm stage). For long records written out
	// as they come (the annotate command).
	Stream bool
	// Discard keeps no chunk either, but hands each over as soon as it is
	// done (the reader's focus first), for a caller that stores every
	// chunk itself as it comes (the window's pre-annotation, which merges
	// each into the label session): Result.Output.Beats, Result.Emb and
	// Result.Marks stay nil; the rhythm stage reads each beat's sample and
	// code only (rhythm.Mark, 16 bytes a beat).
	Discard bool
}

// Chunk is a piece of the model's labels for [Start, End).
type Chunk struct {
	Start, End int64  // samples
	Stage      string // StageBeats, StageRhythm or StageReclassify
	Output     annotate.ModelOutput
	// Emb holds the embedding of each beat of Output.Beats, row-major
	// (len(Output.Beats) × EmbDim); nil without a beat model embedding.
	Emb    []float32
	EmbDim int
}

// Result is the whole output of a run.
type Result struct {
	Start, End int64 // the span run, samples
	// Output holds the beats in sample order (none with Config.Stream),
	// the episodes and the noise stretches.
	Output annotate.ModelOutput
	Emb    []float32 // per beat of Output.Beats, as in Chunk; nil with Config.Stream
	EmbDim int
	// Marks holds every beat of the run in sample order as Output.Beats
	// would, but without the class probabilities (Prov.Probs nil): what the
	// rhythm stage reads and what a WFDB annotation file needs; nil with
	// Config.Discard.
	Marks  []annotate.Beat
	Timing Timing
}

// Pipeline runs the stages on one record. Its methods are safe for
// concurrent use; one Run or RunRegion runs at a time.
type Pipeline struct {
	cfg   Config
	info  annotate.RecordInfo
	chunk int64 // samples per chunk
	focus atomic.Int64
	run   sync.Mutex // one run at a time

	mu    sync.Mutex
	marks []rhythm.Mark    // the beats of the last runs, for RunRegion's rhythm context
	noise []annotate.Noise // the noise stretches of the last runs, for the SVT run rule's context
}

// DefaultWorkers is the default number of chunks processed at once: one
// per CPU but one, which is left for the UI; at least 1.
func DefaultWorkers() int { return max(1, runtime.NumCPU()-1) }

// New checks cfg and returns a pipeline for its record.
func New(cfg Config) (*Pipeline, error) {
	if cfg.Signal == nil {
		return nil, fmt.Errorf("%w: no signal", ErrConfig)
	}
	info := cfg.Signal.Info()
	if !(info.Fs > 0) || math.IsInf(info.Fs, 0) || info.NSamples <= 0 || len(info.Leads) == 0 {
		return nil, fmt.Errorf("%w: record %s: fs %v Hz, %d samples, %d leads", ErrConfig, info.Name, info.Fs, info.NSamples, len(info.Leads))
	}
	if err := checkModels(cfg, info); err != nil {
		return nil, err
	}
	cfg.Workers = cmpOr(cfg.Workers, DefaultWorkers())
	cfg.Chunk = cmpOr(cfg.Chunk, DefaultChunk)
	cfg.Neighbours = cmpOr(cfg.Neighbours, 2)
	chunk := max(int64(math.Round(cfg.Chunk.Seconds()*info.Fs)), int64(math.Ceil(info.Fs)))
	return &Pipeline{cfg: cfg, info: info, chunk: chunk}, nil
}

// checkModels checks that the models do their task and fit the record.
func checkModels(cfg Config, info annotate.RecordInfo) error {
	if m := cfg.Beat; m != nil {
		if m.Meta().Task != model.TaskBeat {
			return fmt.Errorf("%w: %s is a %s model, not a beat model", ErrConfig, m.Path(), m.Meta().Task)
		}
		if _, err := m.PrepareBeats(cfg.Signal, []int64{0}, []int{0}); err != nil {
			return fmt.Errorf("%w: record %s: %w", ErrConfig, info.Name, err)
		}
	}
	if m := cfg.Rhythm; m != nil {
		if m.Meta().Task != model.TaskRhythm {
			return fmt.Errorf("%w: %s is a %s model, not a rhythm model", ErrConfig, m.Path(), m.Meta().Task)
		}
		if _, wave := m.Meta().Input(model.Waveform); wave { // its leads, checked now rather than after every beat
			if _, err := m.PrepareRhythm(cfg.Signal, make([]int64, m.Meta().Segment), []int{0}); err != nil {
				return fmt.Errorf("%w: record %s: %w", ErrConfig, info.Name, err)
			}
		}
	}
	return nil
}

func cmpOr[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

// SetFocus tells the pipeline where the reader is (a sample): the chunk that
// holds it is processed next, then the ones around it.
func (p *Pipeline) SetFocus(sample int64) { p.focus.Store(sample) }

// Run pre-annotates the whole record. It returns when every chunk is done
// or ctx is cancelled (then with ctx's error, after the workers stopped).
func (p *Pipeline) Run(ctx context.Context) (*Result, error) {
	return p.RunRegion(ctx, 0, p.info.NSamples)
}

// RunRegion runs the pipeline again on [start, end), for example after the
// reader changed the detector's lead or marked a stretch as readable again.
// Its beats are those inside the region; its episodes, found with the
// beats of earlier runs around the region as context, those that overlap it.
func (p *Pipeline) RunRegion(ctx context.Context, start, end int64) (*Result, error) {
	if start < 0 || end > p.info.NSamples || start >= end {
		return nil, fmt.Errorf("%w: [%d, %d) of %s, which has %d samples", ErrRegion, start, end, p.info.Name, p.info.NSamples)
	}
	p.run.Lock()
	defer p.run.Unlock()
	r := &runner{p: p, start: time.Now(), res: &Result{Start: start, End: end}}
	if err := r.beats(ctx, start, end); err != nil {
		return nil, err
	}
	if err := r.rhythm(ctx); err != nil {
		return nil, err
	}
	r.res.Timing.Wall = time.Since(r.start)
	r.progress(StageRhythm, 1)
	return r.res, nil
}
