package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// adaptQuiet is how long the reader must leave the labels alone before the
// adapter runs: a burst of keys costs one adaptation, after the last key.
const adaptQuiet = 300 * time.Millisecond

// adapter runs the per-record adapter for the record shown, off the UI
// goroutine: it reads the beats' features once (the beat model over every
// beat), then after each reader edit, debounced by adaptQuiet, relabels
// the beats nobody reviewed (adapt.Features.Run). Its labels land in the
// session in one commit off the undo stack, which the screens' label views
// pick up; reader labels are never touched.
type adapter struct {
	cancel context.CancelFunc
	done   chan struct{}
	kick   chan struct{} // one pending wake-up
	off    atomic.Bool   // the record's switch (store.RecordSettings.AdapterOff)
	feat   atomic.Pointer[adapt.Features]
	sure   atomic.Pointer[map[int64]float64] // the last run's adapt.Summary.Sure, for the review queue
	groups atomic.Pointer[map[int64]int]     // each beat's template cluster, as the templates show it (setGroups)
	// onRun, when set (tests, traces), gets every run's summary.
	onRun func(adapt.Summary, error)
	// status shows a line on the status bar; the record screen's when nil.
	status func(string)
}

// newAdapter returns an idle adapter and the context its loop runs under.
func newAdapter() (context.Context, *adapter) {
	ctx, cancel := context.WithCancel(context.Background())
	return ctx, &adapter{cancel: cancel, done: make(chan struct{}), kick: make(chan struct{}, 1)}
}

// poke asks for a run after the next quiet spell. Any goroutine; never blocks.
func (a *adapter) poke() {
	if a == nil {
		return
	}
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// sureOf returns the adapter's probability of the class it gave the beat
// at sample in its last run (review.AskInput.Sure). Any goroutine.
func (a *adapter) sureOf(sample int64) (float64, bool) {
	if a == nil {
		return 0, false
	}
	m := a.sure.Load()
	if m == nil {
		return 0, false
	}
	p, ok := (*m)[sample]
	return p, ok
}

// options are the adapter's options for the record now: the product's,
// with the record's switch and the templates' clusters as the look-alike
// groups, once the templates are built.
func (a *adapter) options() adapt.Options {
	o := adapt.Product()
	o.Off = a.off.Load()
	if m := a.groups.Load(); m != nil {
		o.Group = func(s int64) (int, bool) { g, ok := (*m)[s]; return g, ok }
	}
	return o
}

// setGroups gives the adapter the template clusters (after the templates
// are built, split or merged), a copy: the adapter reads them from its own
// goroutine. Any goroutine.
func (a *adapter) setGroups(cls []cluster.Cluster) {
	if a == nil {
		return
	}
	m := map[int64]int{}
	for _, c := range cls {
		for _, s := range c.Beats {
			m[s] = c.ID
		}
	}
	a.groups.Store(&m) // read at the next run, after the reader's next edit
}

// on reports whether the adapter runs for the record, switched on, with
// the beats' features read and its loop alive: a propagation of a queue
// answer would then only take its look-alikes away from it (a propagated
// label is not adaptable). While the features load, or after the loop gave
// up (no beat model, a features error), nothing learns the answer, so the
// queue propagates it. Any goroutine.
func (a *adapter) on() bool {
	return a != nil && !a.off.Load() && a.features() != nil && a.alive()
}

// alive reports whether the adapter's loop still runs (it has not given up
// nor been stopped). Any goroutine.
func (a *adapter) alive() bool {
	select {
	case <-a.done:
		return false
	default:
		return true
	}
}

// features returns the record's features once the adapter has read them,
// else nil. Any goroutine.
func (a *adapter) features() *adapt.Features {
	if a == nil {
		return nil
	}
	return a.feat.Load()
}

// stop cancels the adapter without waiting for its goroutine, which
// ends within one beat-model batch (a fit stops at once): it returns the
// channel closed when it has. The UI goroutine does not wait on it while
// the reader opens another record.
func (a *adapter) stop() <-chan struct{} {
	if a == nil {
		return closedChan
	}
	a.cancel()
	return a.done
}

// closedChan is a closed channel: nothing to wait for.
var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// startAdapter starts the adapter on s (rec shown), unless the window
// writes no labels (read-only database) or runs no models. Call it on the
// UI goroutine.
func (g *gui) startAdapter(rec *store.Recording, s openedSession) {
	g.stopAdapter()
	if g.opts.noPreannotate || g.db == nil || g.db.ReadOnly() != nil || s.sess.ModelHidden() {
		return
	}
	ctx, a := newAdapter()
	g.adapt = a
	g.templates.groupsTo(a, s.sess) // built before the adapter (re)started: its look-alikes are their cards
	go g.adaptLoop(ctx, a, rec, s)
}

// stopAdapter cancels the record's adapter, if any, and returns the
// channel closed when its goroutine has ended (it still reads the record
// until then).
func (g *gui) stopAdapter() <-chan struct{} {
	done := g.adapt.stop()
	g.adapt = nil
	return done
}

// adaptLoop reads the record's switch and the beats' features, then runs
// the adapter after every quiet spell that follows a poke, until ctx ends.
func (g *gui) adaptLoop(ctx context.Context, a *adapter, rec *store.Recording, s openedSession) {
	defer close(a.done)
	show := a.statusFunc(g, rec)
	svc, release := g.acquireModels(g.prefs()) // held while the features use the beat model
	defer release()
	f, err := g.adaptFeatures(ctx, a, svc, rec, s, show)
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(g.stderr, "ecgstation: the adapter is off for this record: %v\n", err)
			show("Adapter: off (" + err.Error() + ")")
		}
		return
	}
	a.feat.Store(f)
	show(savedStatus(s.sess, a.off.Load()))
	for a.wait(ctx) { // no run at opening: the record shows its labels as saved until an edit
		sum, err := f.Run(ctx, s.sess, a.options())
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, annotate.ErrSignedOff): // signing off is an edit too; a reopen wakes it
			show("Adapter: paused, the label set is signed off (reopen it to adapt)")
		case err != nil:
			fmt.Fprintf(g.stderr, "ecgstation: adapter: %v\n", err)
			show("Adapter: failed, see the log")
		default:
			show(sum.String())
			m := sum.Sure()
			a.sure.Store(&m) // the review queue ranks by the adapter's doubt
			if sum.Changed+sum.Restored > 0 {
				g.refreshTemplates(s.sess)
			}
		}
		if a.onRun != nil {
			a.onRun(sum, err)
		}
	}
}

// refreshTemplates recounts the open templates screen's labels when it
// shows sess, after the adapter changed labels.
func (g *gui) refreshTemplates(sess *annotate.Session) {
	fyne.Do(func() {
		if t := g.templates; t != nil && t.sess == sess {
			t.refresh()
		}
	})
}

// savedStatus describes the adapted labels the record was saved with.
func savedStatus(sess *annotate.Session, off bool) string {
	if off {
		return "Adapter: off for this record (Records menu)"
	}
	n, who := 0, ""
	for _, b := range sess.Labels().Beats {
		if b.Prov.Source == annotate.SourceAdapted && b.Review == annotate.Unreviewed {
			n, who = n+1, b.Prov.Who
		}
	}
	if _, learned, ok := annotate.ParseAdaptedWho(who); ok {
		return fmt.Sprintf("Adapter: %s from %s, as saved", ui.Count(n, "adapted beat"), ui.Count(learned, "reader label"))
	}
	return "Adapter: ready, learns from your labels"
}

// adaptFeatures loads the beat model from svc and reads every beat's features,
// saying how far it got on the status line.
func (g *gui) adaptFeatures(ctx context.Context, a *adapter, svc *modelsvc.Service, rec *store.Recording, s openedSession, show func(string)) (*adapt.Features, error) {
	st, err := g.db.RecordSettings(s.id)
	if err != nil {
		return nil, err
	}
	a.off.Store(st.AdapterOff)
	fyne.Do(func() { g.checkAdaptItem(!st.AdapterOff) })
	m, err := svc.Beat()
	if err != nil {
		return nil, fmt.Errorf("no beat model: %w", err)
	}
	f, err := adapt.NewFeatures(m, g.modelSignal(rec))
	if err != nil {
		return nil, err
	}
	show("Adapter: reading the beats…")
	_, err = f.Add(ctx, s.sess.Labels().Beats, func(done, total int) {
		show(fmt.Sprintf("Adapter: reading the beats, %d %%", 100*done/max(total, 1)))
	})
	return f, err
}

// wait waits for a poke and then for adaptQuiet without another; false
// when the adapter is stopped.
func (a *adapter) wait(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-a.kick:
	}
	for {
		select {
		case <-ctx.Done():
			return false
		case <-a.kick: // another edit: wait on
		case <-time.After(adaptQuiet):
			return true
		}
	}
}

// statusFunc returns how the loop shows a status line: a.status, or the
// record screen's adapter status while rec is shown.
func (a *adapter) statusFunc(g *gui, rec *store.Recording) func(string) {
	if a.status != nil {
		return a.status
	}
	return func(text string) {
		fyne.Do(func() {
			if g.rec == rec {
				g.screen.SetAdapterStatus(text)
			}
		})
	}
}

// adaptMenuItem is Records > "Per-record adapter": checked while the adapter
// is on for the record shown; choosing it switches the record's setting.
func (g *gui) adaptMenuItem() *fyne.MenuItem {
	it := fyne.NewMenuItem("Per-record adapter (learns the patient from your labels)", nil)
	it.Checked = true
	it.Action = func() {
		if g.rec == nil || g.session == nil || g.adapt == nil {
			dialog.ShowInformation("Per-record adapter", "The adapter runs on a record opened with a label database and the beat model.", g.win)
			return
		}
		on := g.adapt.off.Load() // switch: on when it was off
		go g.switchAdapter(g.adapt, g.recID, g.session, on)
		g.checkAdaptItem(on)
	}
	return it
}

// checkAdaptItem shows the adapter's switch in the Records menu. On the UI
// goroutine.
func (g *gui) checkAdaptItem(on bool) {
	if g.adaptItem == nil || g.adaptItem.Checked == on {
		return
	}
	g.adaptItem.Checked = on
	if m := g.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// switchAdapter stores the record's switch and runs the adapter: switched
// off, its labels go back to the population model's (an audited commit),
// by the loop, or here when the loop gave up (no beat model, a features
// error). When the setting cannot be stored the menu shows the switch as
// it was. Off the UI goroutine.
func (g *gui) switchAdapter(a *adapter, id annotate.RecordID, sess *annotate.Session, on bool) {
	err := g.db.UpdateRecordSettings(id, string(sess.Reader()), func(st *store.RecordSettings) { st.AdapterOff = !on })
	if err != nil {
		fyne.Do(func() {
			g.checkAdaptItem(!on)
			dialog.ShowError(fmt.Errorf("switch the adapter %s: %w", onOff(on), err), g.win)
		})
		return
	}
	a.off.Store(!on)
	a.poke()
	if on || a.alive() {
		return
	}
	if _, err := sess.SetAdapted(nil, "per-record adapter switched off"); err != nil {
		fyne.Do(func() { dialog.ShowError(fmt.Errorf("take the adapted labels away: %w", err), g.win) })
		return
	}
	g.refreshTemplates(sess)
	fyne.Do(g.screen.Changed)
}
