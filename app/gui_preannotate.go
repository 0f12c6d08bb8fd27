package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// preannotation is a background run of the pipeline on the record shown,
// merging its chunks into the reader's session as they come.
type preannotation struct {
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	pipe   *pipeline.Pipeline
	db     *store.DB // the label file whose mapped pages the run drops now and then; nil: none
}

// focus tells the pipeline where the reader looks.
func (p *preannotation) focus(sample int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pipe != nil {
		p.pipe.SetFocus(sample)
	}
}

// errMerge marks a pre-annotation stopped because a merge failed (not
// cancelled by the reader).
var errMerge = errors.New("merge the suggestions into the labels")

// startPreannotation runs the models on rec when its model layer was never
// saved (a new record, or a run that was stopped), unless --no-preannotate
// or the reader's label set is signed off (model suggestions never change
// a signed-off set). Call it on the UI goroutine.
func (g *gui) startPreannotation(rec *store.Recording, s openedSession) {
	if g.opts.noPreannotate || g.db.ReadOnly() != nil {
		return
	}
	g.startReclassify(rec, s)
	if s.sess.Status().State == annotate.StateSignedOff {
		return
	}
	db, lib := g.db, firstNonEmpty(g.opts.ortLib, g.prefs().ORTLibrary)
	go func() {
		done, err := modelSaved(db, s.id, lib)
		if err != nil {
			g.screen.JobDone("", fmt.Errorf("read the label database: %w", err))
			return
		}
		if !done {
			fyne.Do(func() {
				if g.rec == rec {
					g.runPreannotation(rec, s, false)
				}
			})
		}
	}()
}

// rerunPreannotation runs the models again on the record shown.
func (g *gui) rerunPreannotation() {
	if g.rec == nil || g.session == nil || g.db == nil {
		//lint:ignore ST1005 a sentence shown to the reader in a dialog
		dialog.ShowError(errors.New(noDBText), g.win)
		return
	}
	if st := g.session.Status(); st.State == annotate.StateSignedOff {
		dialog.ShowError(fmt.Errorf("this record is signed off by %s at %s: model suggestions never change a signed-off label set; reopen it first (an edit offers to)",
			st.By, st.At.Local().Format("2006-01-02 15:04")), g.win)
		return
	}
	g.runPreannotation(g.rec, openedSession{id: g.recID, sess: g.session}, false)
}

// modelSaved reports whether a complete model run was saved for rec (the
// audit log has a "model" entry) on the model leads of now: a change of
// the model leads after it (a settings entry, store.ChangesModelLeads)
// makes the layer stale, so a rerun that was stopped resumes at the next
// opening. A run without the beat model (its layer holds the detector's
// unclassified beats) counts only while ONNX Runtime is still missing
// (lib: the flag's or preference's library): once it is there, the models
// run on the record's next opening.
func modelSaved(db *store.DB, rec annotate.RecordID, lib string) (bool, error) {
	l, err := readModelLog(db, rec)
	switch {
	case err != nil:
		return false, err
	case l.stale:
		return false, nil
	case l.full:
		return true, nil
	case l.detectorOnly:
		_, err := model.FindLibrary(lib)
		return err != nil, nil
	}
	return false, nil
}

// modelLog is what the audit log says of a record's model runs.
type modelLog struct {
	full         bool // a complete run with the beat model was saved
	detectorOnly bool // a complete run without it was saved
	stale        bool // the model leads changed after the last complete run
}

// readModelLog reads the model runs of rec from its audit log.
func readModelLog(db *store.DB, rec annotate.RecordID) (modelLog, error) {
	var l modelLog
	for e, err := range db.Audit(rec, 1) {
		if err != nil {
			return modelLog{}, err
		}
		switch {
		case e.Kind == "model" && e.Who != (&models{}).who():
			l.full, l.stale = true, false
		case e.Kind == "model":
			l.detectorOnly, l.stale = true, false
		case store.ChangesModelLeads(e):
			l.stale = true
		}
	}
	return l, nil
}

// runPreannotation starts the pipeline in the background. Each chunk is
// merged and stored as a region of the model layer as it comes, so a
// stopped run keeps what it did; a complete run then writes the "model"
// audit entry that marks it done (the layer is whole by then). With
// replace, or when the model leads changed since the last complete run,
// the run replaces the machine beats of the layer it was computed from
// (annotate.Session.ReplaceModelRegion) instead of adding to them. A run
// still going is stopped first. On the UI goroutine.
func (g *gui) runPreannotation(rec *store.Recording, s openedSession, replace bool) {
	g.cancelPreannotation()
	ctx, cancel := context.WithCancel(context.Background())
	job := &preannotation{cancel: cancel, done: make(chan struct{}), db: g.db}
	g.job = job
	g.screen.StartJob("Suggesting labels", cancel)
	db, screen := g.db, g.screen
	go func() {
		defer close(job.done)
		ms, release, warn := g.guiModels()
		defer release()
		if warn != nil {
			g.warnModels(warn, ms.beat != nil)
		}
		who := ms.who()
		if !replace {
			l, err := readModelLog(db, s.id)
			replace = err == nil && l.stale // unreadable: the merge adds, as before
		}
		n, err := g.pipelineRun(ctx, job, rec, s, ms, replace)
		switch {
		case err != nil && ctx.Err() != nil && !errors.Is(err, errMerge):
			screen.JobDone(fmt.Sprintf("Suggestions cancelled: the %s labelled so far are kept.", ui.Count(n.beats, "beat")), nil)
			g.traceText("preannotate-cancelled", "")
			return
		case err != nil:
			screen.JobDone("", err)
			g.traceText("preannotate-failed", err.Error())
			return
		}
		t0 := time.Now()
		err = db.ModelDone(s.id, who, n.beats, n.episodes, n.noise)
		g.traceDur("save-model-us", time.Since(t0))
		g.dropMapped(db)
		if err != nil {
			screen.JobDone("", fmt.Errorf("save the model labels: %w", err))
			g.traceText("preannotate-failed", err.Error())
			return
		}
		screen.JobDone(fmt.Sprintf("Suggestions done: %s, %s, %s from %s.",
			ui.Count(n.beats, "beat"), ui.Count(n.episodes, "episode"), ui.Count(n.noise, "noise stretch"), who), nil)
		g.trace("preannotate-done")
		writeHeapProfileAs(g.stderr, ".preannotate")
	}()
}

// suggested counts the labels a run merged, and the chunks.
type suggested struct{ beats, episodes, noise, chunks int }

// add counts chunk c. A rhythm chunk's beats are not counted: they are
// relabels (the SVT run rule's S) of beats a beat chunk brought.
func (n *suggested) add(c pipeline.Chunk) {
	if c.Stage != pipeline.StageRhythm {
		n.beats += len(c.Output.Beats)
	}
	n.episodes += len(c.Output.Episodes)
	n.noise += len(c.Output.Noise)
	n.chunks++
}

// dropMappedEvery is how many merged chunks (of 5 minutes) go between two
// store.DB.DropMapped calls: a 14-day record's merges would otherwise keep
// most of a 300 MB label file resident, a third of the 1 GB the window may
// take. Each call costs about a millisecond; the next merges map in again
// only the pages they read.
const dropMappedEvery = 32

// dropMapped takes the label file's pages out of the window's resident
// memory; a failure only keeps them in, so it is traced, not shown.
func (g *gui) dropMapped(db *store.DB) {
	if db == nil {
		return
	}
	if err := db.DropMapped(); err != nil {
		g.traceText("drop-mapped-failed", err.Error())
	}
}

// pipelineRun runs the pipeline on rec, merging each chunk into the
// session and the model layer as a region (reader labels win) and telling
// the screen. The pipeline keeps none of the chunks (Discard): once every
// chunk is merged the model layer is whole, so holding the output to save
// it once more would only double the run's memory (3.7 GB at 14 days).
// With replace each chunk replaces the machine beats of its region. It
// returns how many labels were merged.
func (g *gui) pipelineRun(ctx context.Context, job *preannotation, rec *store.Recording, s openedSession, ms *models, replace bool) (suggested, error) {
	var merged suggested
	var mergeErr error
	merge := s.sess.MergeModelRegion
	if replace {
		merge = s.sess.ReplaceModelRegion
	}
	p, err := pipeline.New(pipeline.Config{Signal: g.modelSignal(rec), Beat: ms.beat, Rhythm: ms.rhythm, Beats: s.sess, Discard: true,
		OnChunk: func(c pipeline.Chunk) {
			if mergeErr != nil {
				return
			}
			t0 := time.Now()
			_, err := merge(c.Output, c.Region())
			g.traceDur("merge-us", time.Since(t0))
			if err != nil {
				mergeErr = fmt.Errorf("%w: %w", errMerge, err)
				job.cancel()
				return
			}
			if merged.beats == 0 && len(c.Output.Beats) > 0 {
				g.trace("first-labels-ms") // the first suggested labels are in the session
			}
			if merged.add(c); merged.chunks%dropMappedEvery == 0 {
				g.dropMapped(job.db)
			}
			g.screen.Changed()
		},
		OnProgress: func(pr pipeline.Progress) {
			g.screen.JobProgress(ui.Progress{Stage: pr.Stage, Fraction: pr.Fraction, Beats: pr.Beats,
				BeatsPerSec: pr.BeatsPerSec, ETA: pr.ETA})
		}})
	if err != nil {
		return merged, err
	}
	job.mu.Lock()
	job.pipe = p
	job.mu.Unlock()
	_, err = p.Run(ctx)
	job.mu.Lock()
	job.pipe = nil // the pipeline keeps every beat's mark for a later run's rhythm context: this one ends here
	job.mu.Unlock()
	if mergeErr != nil {
		return merged, mergeErr
	}
	return merged, err
}

// cancelPreannotation cancels the running pre-annotation and waits for it
// (its last merge commits first, so nothing is half written).
func (g *gui) cancelPreannotation() {
	if j := g.job; j != nil {
		j.cancel()
		<-j.done
		g.job = nil
	}
}

// stopPreannotation stops the record's model work: the running
// pre-annotation, the re-classification of edited beats and the adapter. The record
// shown changes or the window closes after it. It returns the channel
// closed when the adapter has let go of the record: close the record
// after it.
func (g *gui) stopPreannotation() <-chan struct{} {
	g.cancelPreannotation()
	g.stopReclassify()
	return g.stopAdapter()
}

// guiModels returns the beat and rhythm models the preferences name (else
// the built-in ones) from the window's model service, the function to call
// when done with them, and why the models that are missing are off: the
// detector and the rhythm rules still run.
func (g *gui) guiModels() (*models, func(), error) {
	svc, release := g.acquireModels(g.prefs())
	beat, rhythm, off := svc.Suggesters()
	return &models{beat: beat, rhythm: rhythm}, release, off
}

// acquireModels returns the window's model service for the preferences p
// (and --ort-lib) and the function to call when done with its models.
func (g *gui) acquireModels(p ui.Prefs) (*modelsvc.Service, func()) {
	return g.models.Acquire(modelsvc.Config{Library: firstNonEmpty(g.opts.ortLib, p.ORTLibrary), Threads: 1,
		Beat: p.BeatModel, Rhythm: p.RhythmModel,
		BeatFrom: "Preferences > Beat model", RhythmFrom: "Preferences > Rhythm model"})
}

// warnModels says plainly, once, why the suggestions are limited.
func (g *gui) warnModels(err error, haveBeat bool) {
	what := "The beat model could not be used, so the suggested beats come from the QRS detector, unclassified (Q), " +
		"and rhythms come from the RR rules only. Label the beats by hand as usual."
	switch {
	case haveBeat:
		what = "The rhythm model could not be used, so rhythm episodes come from the RR rules only."
	case errors.Is(err, model.ErrRuntimeUnavailable):
		what = "ONNX Runtime was not found, so the models cannot run: the suggested beats come from the QRS detector, " +
			"unclassified (Q), and rhythms come from the RR rules only. Label the beats by hand as usual, " +
			"or set the library under Preferences > ONNX Runtime library."
	}
	fmt.Fprintf(g.stderr, "ecgstation: suggestions limited: %v\n", err)
	g.modelsWarned.Do(func() {
		fyne.Do(func() {
			dialog.ShowError(fmt.Errorf("%s\n\n%w", what, err), g.win)
		})
	})
}

// traceDur prints "what N", N in microseconds, when timing traces are on.
func (g *gui) traceDur(what string, d time.Duration) {
	if os.Getenv(envTiming) == "1" {
		fmt.Fprintf(g.stderr, "%s %d\n", what, d.Microseconds())
	}
}
