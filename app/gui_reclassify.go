package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
)

// reclassifier re-classifies, off the UI goroutine, the beats a reader
// adds or moves and their neighbours, and the neighbours of beats a
// reader deletes (whose RR features and templates the edit changed), and merges the result into the session and the model layer
// as a region (reader labels win). Edits only queue samples: a key never
// waits for the model.
type reclassifier struct {
	cancel context.CancelFunc
	done   chan struct{}
	kick   chan struct{} // one pending wake-up
	mu     sync.Mutex
	queue  []int64
	// onMerged, when set (tests, traces), gets the time from the edit's
	// add to the end of its merge and what the merge did.
	onMerged func(time.Duration, annotate.MergeStats, error)
	since    time.Time // when the oldest queued sample came
	// changed tells the screen the labels changed; the screen's Changed
	// when nil (tests whose screen is inline call it themselves).
	changed func()
}

// reclassifyActions are the edits after which the beats are re-classified.
var reclassifyActions = []annotate.Action{annotate.ActInsert, annotate.ActMove, annotate.ActDelete}

// add queues the samples of an edit. On any goroutine; never blocks.
func (r *reclassifier) add(a annotate.Action, samples []int64) {
	if r == nil || !slices.Contains(reclassifyActions, a) || len(samples) == 0 {
		return
	}
	r.mu.Lock()
	if len(r.queue) == 0 {
		r.since = time.Now()
	}
	r.queue = append(r.queue, samples...)
	r.mu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// take returns the queued samples and when the oldest came, emptying the queue.
func (r *reclassifier) take() ([]int64, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q, t := r.queue, r.since
	r.queue = nil
	return q, t
}

// stop cancels the re-classification and waits for its goroutine.
func (r *reclassifier) stop() {
	if r != nil {
		r.cancel()
		<-r.done
	}
}

// startReclassify loads the beat model and re-classifies s's edited
// beats on rec until stopReclassify. Call it on the UI goroutine.
func (g *gui) startReclassify(rec *store.Recording, s openedSession) {
	g.stopReclassify()
	ctx, r := newReclassifier()
	if os.Getenv(envTiming) == "1" {
		r.onMerged = func(d time.Duration, _ annotate.MergeStats, err error) {
			if err == nil {
				g.traceDur("reclassify-us", d)
			}
		}
	}
	g.reclass = r
	go g.reclassifyLoop(ctx, r, rec, s.sess)
}

// newReclassifier returns an idle reclassifier and the context its loop
// runs under.
func newReclassifier() (context.Context, *reclassifier) {
	ctx, cancel := context.WithCancel(context.Background())
	return ctx, &reclassifier{cancel: cancel, done: make(chan struct{}), kick: make(chan struct{}, 1)}
}

// stopReclassify stops the record's re-classification, if any.
func (g *gui) stopReclassify() {
	g.reclass.stop()
	g.reclass = nil
}

// reclassifyLoop runs the queued re-classifications until ctx ends.
func (g *gui) reclassifyLoop(ctx context.Context, r *reclassifier, rec *store.Recording, sess *annotate.Session) {
	defer close(r.done)
	release, p, err := g.reclassPipeline(rec, sess)
	if err != nil {
		fmt.Fprintf(g.stderr, "ecgstation: beats are not re-classified after edits: %v\n", err)
		<-ctx.Done()
		return
	}
	defer release()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		}
		samples, since := r.take()
		if len(samples) == 0 {
			continue
		}
		st, err := reclassifyMerge(ctx, p, sess, samples)
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(g.stderr, "ecgstation: re-classify the edited beats: %v\n", err)
		}
		r.merged(g, time.Since(since), st, err)
	}
}

// merged tells the screen (and onMerged) that a re-classification merged.
func (r *reclassifier) merged(g *gui, d time.Duration, st annotate.MergeStats, err error) {
	switch {
	case err != nil:
	case r.changed != nil:
		r.changed()
	default:
		g.screen.Changed()
	}
	if r.onMerged != nil {
		r.onMerged(d, st, err)
	}
}

// reclassPipeline makes the pipeline that re-classifies sess's beats on
// rec with the window's beat model; call release when done with it.
func (g *gui) reclassPipeline(rec *store.Recording, sess *annotate.Session) (release func(), p *pipeline.Pipeline, err error) {
	svc, release := g.acquireModels(g.prefs())
	beat, err := svc.Beat()
	if err == nil {
		p, err = pipeline.New(pipeline.Config{Signal: g.modelSignal(rec), Beat: beat, Beats: sess})
	}
	if err != nil {
		release()
		return nil, nil, err
	}
	return release, p, nil
}

// reclassifyMerge re-classifies the beats at samples and their
// neighbours, and merges the chunk as a region. A sample with no beat any
// more (deleted, or moved by a later edit) stands for the gap it left:
// its neighbours on each side are re-classified (pipeline.Reclassify).
func reclassifyMerge(ctx context.Context, p *pipeline.Pipeline, sess *annotate.Session, samples []int64) (annotate.MergeStats, error) {
	slices.Sort(samples)
	samples = slices.Compact(samples)
	if len(samples) == 0 {
		return annotate.MergeStats{}, nil
	}
	c, err := p.Reclassify(ctx, samples)
	if err != nil {
		return annotate.MergeStats{}, err
	}
	return sess.MergeModelRegion(c.Output, c.Region())
}
