package pipeline

import "time"

// Progress is how far a run is.
type Progress struct {
	Stage       string        // the stage running: StageBeats or StageRhythm
	Fraction    float64       // of the run's samples done, 0 to 1
	Beats       int           // beats labelled so far
	Elapsed     time.Duration // since the run started
	BeatsPerSec float64       // Beats / Elapsed
	ETA         time.Duration // time left at the rate so far; 0 when unknown or done
}

// Timing is the time a run spent per stage. The per-chunk stages are summed
// over the workers (worker time); Wall is the run's elapsed time.
type Timing struct {
	Read     time.Duration // reading the signal
	Detect   time.Duration // QRS detection
	Quality  time.Duration // unreadable stretches and beat flags
	Classify time.Duration // beat model: input preparation and ONNX Runtime
	Embed    time.Duration // copying out the embeddings
	Rhythm   time.Duration // rhythm model, rules and post-processing
	Wall     time.Duration
}

func (t *Timing) add(u Timing) {
	t.Read += u.Read
	t.Detect += u.Detect
	t.Quality += u.Quality
	t.Classify += u.Classify
	t.Embed += u.Embed
	t.Rhythm += u.Rhythm
}

// newProgress computes the rates of a run at fraction f with beats done.
func newProgress(stage string, f float64, beats int, elapsed time.Duration) Progress {
	pr := Progress{Stage: stage, Fraction: f, Beats: beats, Elapsed: elapsed}
	if s := elapsed.Seconds(); s > 0 {
		pr.BeatsPerSec = float64(beats) / s
	}
	if f > 0 && f < 1 {
		pr.ETA = time.Duration(float64(elapsed) * (1 - f) / f)
	}
	return pr
}
