package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/inference/sched"
	"github.com/ecgstation/ecgstation/store/report"
	"github.com/ecgstation/ecgstation/ui"
)

// shortcutTemplates is Ctrl+T for the template screen.
var shortcutTemplates = desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}

// embedBatch is how many beats one embedding pass classifies at a time
// (progress is shown between passes).
const embedBatch = 4096

// snippetBefore and snippetAfter are the context of a gallery snippet.
const (
	snippetBefore = 700 * time.Millisecond
	snippetAfter  = 900 * time.Millisecond
)

// reviewMenu is the Review menu, and its shortcut on the window.
func (g *gui) reviewMenu() *fyne.Menu {
	item := fyne.NewMenuItem("Templates and review queue", func() { g.showTemplates() })
	item.Shortcut = &shortcutTemplates
	g.win.Canvas().AddShortcut(&shortcutTemplates, func(fyne.Shortcut) { g.showTemplates() })
	return fyne.NewMenu("Review", item)
}

// templates is the template screen of the record on the strip: its
// clustering, built from the beat model's embeddings of the session's
// beats, and the session every action goes through.
type templates struct {
	g       *gui
	screen  *ui.TemplateScreen
	sess    *annotate.Session
	sig     annotate.Signal
	info    annotate.RecordInfo
	cl      *cluster.Clusterer
	classes []annotate.Class
	model   []annotate.Beat // the model layer, for the queue
	answers int             // review-queue answers so far
	cancel  context.CancelFunc
	// feat is the adapter's features of the record when it has read them:
	// their embeddings spare the templates a pass of the beat model.
	feat *adapt.Features
}

func (g *gui) showTemplates() {
	w := g.screenWindow("templates", "ECG Station — Templates", fyne.NewSize(1200, 760), func(w fyne.Window) (fyne.CanvasObject, func()) {
		t := &templates{g: g}
		t.screen = ui.NewTemplateScreen(t.actions())
		t.screen.Queue.Actions = t.queueActions()
		t.screen.SetWindow(w)
		g.templates = t
		return t.screen.Content(), func() { t.stop(); g.templates = nil }
	})
	if t := g.templates; t != nil && (t.sess != g.session || t.sess == nil) {
		t.start(w)
	}
}

func (t *templates) stop() {
	if t.cancel != nil {
		t.cancel()
	}
}

// start clusters the current record's beats in the background.
func (t *templates) start(w fyne.Window) {
	t.stop()
	g := t.g
	if g.db == nil || g.session == nil || g.rec == nil {
		t.screen.SetEmptyText(noDBText + " Templates are built from the reader's labels of the record on the strip.")
		t.screen.SetTemplates(nil)
		return
	}
	t.sig = g.modelSignal(g.rec) // the leads the models read: the gallery shows what the clusters were made of
	t.sess, t.info = g.session, t.sig.Info()
	t.cl = nil // the clusters of the record shown before are not this session's
	t.feat = g.adapt.features()
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.screen.SetEmptyText("Clustering the beats…")
	t.screen.SetTemplates(nil)
	prefs := g.prefs()
	go func() {
		sched.Background()
		cl, err := t.build(ctx, prefs)
		fyne.Do(func() {
			switch {
			case ctx.Err() != nil:
			case err != nil:
				t.screen.SetEmptyText("No templates: " + err.Error())
			default:
				t.cl = cl // on the UI goroutine, which reads it (live, startAdapter)
				t.regallery()
				w.Canvas().Focus(t.screen.Gallery())
			}
		})
	}()
}

// build loads the beat model, embeds every beat of the session and
// clusters them.
func (t *templates) build(ctx context.Context, p ui.Prefs) (*cluster.Clusterer, error) {
	svc, release := t.g.acquireModels(p)
	defer release()
	m, err := svc.Beat()
	if err != nil {
		return nil, fmt.Errorf("templates need the beat model's embeddings: %w", err)
	}
	t.classes = modelsvc.Classes(m)
	if out, err := t.g.db.Model(t.sess.Record()); err == nil {
		t.model = out.Beats
	}
	progress := func(done, total int) {
		fyne.Do(func() { t.screen.SetMessage(fmt.Sprintf("Clustering: %d of %d beats embedded", done, total)) })
	}
	if t.feat != nil && t.feat.Model() == m {
		return clusterFeatures(ctx, t.sess, t.sig, t.feat, progress)
	}
	return embedAndCluster(ctx, t.sess, t.sig, m, progress)
}

// embedAndCluster runs the beat model over the session's beats in batches
// (in time order, as the clustering wants them) and clusters them.
func embedAndCluster(ctx context.Context, sess *annotate.Session, sig annotate.Signal, m *model.Model, progress func(done, total int)) (*cluster.Clusterer, error) {
	p, err := pipeline.New(pipeline.Config{Signal: sig, Beat: m, Beats: sess})
	if err != nil {
		return nil, err
	}
	var samples []int64
	for _, b := range sess.BeatsIn(0, sig.Info().NSamples+1) {
		if b.Code.IsBeat() {
			samples = append(samples, b.Sample)
		}
	}
	if len(samples) == 0 {
		return nil, errors.New("the record has no beats yet")
	}
	cl := cluster.New(cluster.DefaultOptions())
	last := int64(-1)
	for i := 0; i < len(samples); i += embedBatch {
		c, err := p.Reclassify(ctx, samples[i:min(i+embedBatch, len(samples))])
		if err != nil {
			return nil, err
		}
		if err := addNew(cl, c, &last, sig); err != nil {
			return nil, err
		}
		progress(min(i+embedBatch, len(samples)), len(samples))
	}
	cl.Finish()
	return cl, nil
}

// clusterFeatures clusters the session's beats by the embeddings the
// adapter's features hold (computing those of beats added since), so the
// beat model does not run over the record a second time.
func clusterFeatures(ctx context.Context, sess *annotate.Session, sig annotate.Signal, f *adapt.Features, progress func(done, total int)) (*cluster.Clusterer, error) {
	beats := sess.BeatsIn(0, sig.Info().NSamples+1)
	if _, err := f.Add(ctx, beats, nil); err != nil {
		return nil, err
	}
	var samples []int64
	for _, b := range beats {
		if b.Code.IsBeat() {
			samples = append(samples, b.Sample)
		}
	}
	if len(samples) == 0 {
		return nil, errors.New("the record has no beats yet")
	}
	cl := cluster.New(cluster.DefaultOptions())
	for i := 0; i < len(samples); i += embedBatch {
		batch := samples[i:min(i+embedBatch, len(samples))]
		var emb []float32
		for _, s := range batch {
			e, ok := f.Embedding(s)
			if !ok {
				return nil, errors.New("the beat model has no embedding output: templates need one")
			}
			emb = append(emb, e...)
		}
		if err := cl.AddShaped(sig, batch, emb, len(emb)/len(batch)); err != nil {
			return nil, err
		}
		progress(i+len(batch), len(samples))
	}
	cl.Finish()
	return cl, nil
}

// addNew adds the beats of c after sample *last (batches overlap by the
// neighbours the pipeline classifies with them), by their embedding and
// their shape in sig.
func addNew(cl *cluster.Clusterer, c pipeline.Chunk, last *int64, sig annotate.Signal) error {
	if c.EmbDim == 0 {
		return errors.New("the beat model has no embedding output: templates need one")
	}
	var samples []int64
	var emb []float32
	for i, b := range c.Output.Beats {
		if b.Sample > *last {
			samples = append(samples, b.Sample)
			emb = append(emb, c.Emb[i*c.EmbDim:(i+1)*c.EmbDim]...)
			*last = b.Sample
		}
	}
	if len(samples) == 0 {
		return nil
	}
	return cl.AddShaped(sig, samples, emb, c.EmbDim)
}

// labels returns the session's current labels over the whole record.
func (t *templates) labels() []annotate.Beat { return t.sess.BeatsIn(0, t.info.NSamples+1) }

// regallery draws every template again (after the clustering changed) and
// recomputes the review queue.
func (t *templates) regallery() {
	ts, err := t.cl.Gallery(t.sig, t.labels(), cluster.GalleryOptions{})
	if err != nil {
		t.screen.SetMessage("Templates: " + err.Error())
		return
	}
	t.screen.SetTemplates(ts)
	if t.live() == nil { // the adapter is the record's shown: another record's clusters are no groups of its beats
		t.g.adapt.setGroups(t.cl.Clusters()) // the adapter's look-alike groups are these cards
	}
	t.requeue()
	t.screen.SetMessage(fmt.Sprintf("%d templates of %d beats · %s", len(ts), t.cl.Len(), ui.TemplateKeys))
}

// relabelled refreshes the label part of the templates and the queue after
// an edit, and tells the record screen, which shows them at once.
func (t *templates) relabelled() {
	t.refresh()
	t.requeue()          // the reader's own edit: the queue follows it at once
	t.g.screen.Changed() // the record screen shows the new labels at once
	t.g.adapt.poke()     // the reader's labels changed: the adapter learns them
}

// refresh recounts the templates' labels and the queue's shown labels
// from the session (after an edit, or after the adapter relabelled beats).
// It does not rank the queue anew: that happens after the reader's own
// edits and every queueBatch answers, never under the reader's keys.
func (t *templates) refresh() {
	ts := t.screen.Templates()
	if len(ts) == 0 {
		return // not built yet
	}
	ls := t.labels()
	for i := range ts {
		ts[i].Summarize(ls)
	}
	t.screen.SetTemplates(ts)
	t.screen.Queue.Relabel(func(s int64) (annotate.Code, bool) {
		b, ok := t.sess.Beat(s)
		return b.Code, ok
	})
}

// queueQuestions is how many questions of the adaptive queue the window
// lists (it is ranked anew after every edit).
const queueQuestions = 300

// requeue computes the review queue from the current labels: the adaptive
// queue's questions (review.Ask: the answers that would change the most
// labels first, each with its reason), then the long RR intervals where a
// beat may be missing.
func (t *templates) requeue() {
	labels := t.labels()
	qs := review.Ask(review.AskInput{Beats: labels, Model: t.model, Classes: t.classes, Group: t.cl.Of,
		Sure: t.g.adapt.sureOf}, queueQuestions)
	es := make([]ui.QueueEntry, 0, len(qs))
	for _, q := range qs {
		b, _ := t.sess.Beat(q.Sample)
		es = append(es, ui.QueueEntry{Item: review.Item{Kind: review.ItemBeat, Sample: q.Sample, Score: q.Score},
			Label: b.Code, Time: t.clock(q.Sample), Why: q.Reason})
	}
	for _, it := range review.Queue(review.QueueInput{Beats: labels}, review.DefaultQueueOptions()) {
		if it.Kind == review.ItemGap {
			es = append(es, ui.QueueEntry{Item: it, Time: t.clock(it.Sample)})
		}
	}
	t.screen.Queue.SetEntries(es)
}

// clock is the time of a sample on the record's clock.
func (t *templates) clock(sample int64) string { return stats.Clock(t.info.Start, t.info.Fs, sample) }

// groupsTo hands a, the adapter starting on sess, the clusters of the
// templates window t (nil when closed) as its look-alike groups, when they
// are built from sess and it is still the one shown.
func (t *templates) groupsTo(a *adapter, sess *annotate.Session) {
	if t != nil && t.sess == sess && t.live() == nil {
		a.setGroups(t.cl.Clusters())
	}
}

// live returns an error when the record on the strip is no longer the one
// the templates were built from.
func (t *templates) live() error {
	if t.cl == nil || t.sess == nil {
		return errors.New("the templates are not built yet")
	}
	if t.sess != t.g.session {
		return errors.New("another record (or another reader's labels) is open: close and reopen this window to build its templates")
	}
	return nil
}

// beatsOf returns the members of cluster id that are beats in the session.
func (t *templates) beatsOf(id int) ([]int64, error) {
	ms, err := t.cl.Members(id)
	if err != nil {
		return nil, err
	}
	out := ms[:0:0]
	for _, s := range ms {
		if b, ok := t.sess.Beat(s); ok && b.Code.IsBeat() {
			out = append(out, s)
		}
	}
	return out, nil
}

func (t *templates) actions() ui.TemplateActions {
	return ui.TemplateActions{
		Relabel:      t.relabelCluster,
		RelabelBeats: t.relabelBeats,
		Split:        func(id int) error { return t.reshape(func() error { _, err := t.cl.Split(id); return err }) },
		SplitPremature: func(id int) error {
			return t.reshape(func() error { _, err := t.cl.SplitPremature(id); return err })
		},
		Merge: func(into int, from []int) error {
			return t.reshape(func() error {
				for _, f := range from {
					if err := t.cl.Merge(into, f); err != nil {
						return err
					}
				}
				return nil
			})
		},
		Move: func(samples []int64, to int) error {
			if to < 0 {
				to = cluster.NewCluster
			}
			return t.reshape(func() error { _, err := t.cl.Move(samples, to); return err })
		},
		Jump:    func(s int64) { t.g.showSample(s) },
		Snippet: t.snippet,
		Reopen:  t.reopener(),
	}
}

// reopener reopens the session's signed-off label set for the template
// screen and the queue (audited by the session), and tells the record
// screen, which shows the new status at once.
func (t *templates) reopener() ui.Reopener {
	return ui.Reopener{
		Status: func() annotate.Status {
			if t.sess == nil {
				return annotate.Status{}
			}
			return t.sess.Status()
		},
		Reopen: func(why string) error {
			if err := t.live(); err != nil {
				return err
			}
			err := t.sess.Reopen(why)
			t.g.screen.Changed()
			return err
		},
	}
}

func (t *templates) relabelCluster(id int, c annotate.Code) error {
	if err := t.live(); err != nil {
		return err
	}
	beats, err := t.beatsOf(id)
	if err != nil {
		return err
	}
	if err := t.sess.RelabelSet(beats, c, fmt.Sprintf("template #%d", id)); err != nil {
		return err
	}
	t.relabelled()
	return nil
}

// relabelBeats relabels single beats and propagates the correction to
// their unreviewed look-alikes.
func (t *templates) relabelBeats(samples []int64, c annotate.Code) error {
	if err := t.live(); err != nil {
		return err
	}
	if err := t.sess.Relabel(samples, c, "template members"); err != nil {
		return err
	}
	if _, err := review.Propagate(t.sess, t.cl, samples, "look-alike of a corrected beat"); err != nil {
		return err
	}
	t.relabelled()
	return nil
}

// reshape changes the clustering with f and draws the templates again.
func (t *templates) reshape(f func() error) error {
	if err := t.live(); err != nil {
		return err
	}
	if err := f(); err != nil {
		return err
	}
	t.regallery()
	return nil
}

// queueBatch is how many answers the reader gives before the queue is
// ranked anew (the adapter has learned from them by then; the reader
// simulator's Costs.AskBatch).
const queueBatch = 5

// answer does one answer of the review queue through the session (a
// reader label, which the adapter learns from), tells the record screen,
// and ranks the queue anew after every queueBatch answers.
func (t *templates) answer(f func() error) error {
	if err := t.live(); err != nil {
		return err
	}
	err := f()
	t.g.screen.Changed() // the record screen shows the new labels at once
	t.g.adapt.poke()     // the answer is a reader label: the adapter learns it
	if t.answers++; err == nil && t.answers%queueBatch == 0 {
		fyne.Do(t.requeue) // after the queue has moved on from this answer
	}
	return err
}

func (t *templates) queueActions() ui.QueueActions {
	return ui.QueueActions{
		Confirm: func(s int64) error {
			return t.answer(func() error { return t.sess.Confirm([]int64{s}, "review queue") })
		},
		Fix: func(s int64, c annotate.Code) error {
			return t.answer(func() error {
				if err := t.sess.Relabel([]int64{s}, c, "review queue"); err != nil || t.g.adapt.on() {
					return err // the adapter learns the answer for the look-alikes
				}
				_, err := review.Propagate(t.sess, t.cl, []int64{s}, "look-alike of a corrected beat")
				return err
			})
		},
		Delete: func(s int64) error {
			return t.answer(func() error { return t.sess.Delete([]int64{s}, "review queue: not a beat") })
		},
		Jump:    func(s int64) { t.g.showSample(s) },
		Snippet: t.snippet,
		Reopen:  t.reopener(),
	}
}

// snippet reads the signal around a beat with the session's labels.
func (t *templates) snippet(at int64) (*ui.Snippet, error) {
	return readSnippet(t.sig, at, func(a, b int64) []annotate.Beat { return t.sess.BeatsIn(a, b) })
}

// readSnippet reads a gallery snippet around at with the labels beats
// gives for its span.
func readSnippet(sig annotate.Signal, at int64, beats func(a, b int64) []annotate.Beat) (*ui.Snippet, error) {
	fs := sig.Info().Fs
	a, b := at-int64(snippetBefore.Seconds()*fs), at+int64(snippetAfter.Seconds()*fs)
	s, err := report.ReadSnippet(sig, at, snippetBefore, snippetAfter, beats(a, b+1))
	if err != nil {
		return nil, err
	}
	return &ui.Snippet{At: s.At, Start: s.Start, Fs: s.Fs, Values: s.Values, Beats: s.Beats}, nil
}
