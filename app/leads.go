package main

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// modelSignal returns what the QRS detector and the models read of sig:
// the leads st chose for them, or by default the record's ECG leads
// (annotate.ModelLeads: never a test, pulse or sensor channel that comes
// first). A choice of every lead in record order is sig itself.
func modelSignal(sig annotate.Signal, st store.RecordSettings) annotate.Signal {
	return selectLeads(sig, st.Model(sig.Info().Leads))
}

// shownSignal returns the leads of sig a reader sees, in their order (the
// strip's, st.Shown): what the report's strips print.
func shownSignal(sig annotate.Signal, st store.RecordSettings) annotate.Signal {
	return selectLeads(sig, st.Shown(sig.Info().Leads))
}

// selectLeads returns leads idx of sig (sig itself for every lead in
// record order, or for a choice that does not fit it).
func selectLeads(sig annotate.Signal, idx []int) annotate.Signal {
	if slices.Equal(idx, allIndices(len(sig.Info().Leads))) {
		return sig
	}
	sel, err := annotate.SelectLeads(sig, idx)
	if err != nil { // Shown and Model only give valid choices
		return sig
	}
	return sel
}

func allIndices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// recordSettings returns the settings of record id in db: the defaults
// when there is no database, no id, or the record is not in it.
func recordSettings(db *store.DB, id annotate.RecordID) (store.RecordSettings, error) {
	if db == nil || id == "" {
		return store.RecordSettings{}, nil
	}
	st, err := db.RecordSettings(id)
	if errors.Is(err, store.ErrNoRecord) {
		return store.RecordSettings{}, nil
	}
	return st, err
}

// leadChoice is the choice of leads st makes for a record with leads.
func leadChoice(st store.RecordSettings, leads []annotate.Lead) ui.LeadChoice {
	return ui.LeadChoice{Shown: st.Shown(leads), Model: st.Model(leads)}
}

// recordLeads is what the window knows of the leads of the record shown:
// the signal the detector and the models read. Safe for concurrent use
// (the model jobs read it from their goroutines).
type recordLeads struct {
	mu  sync.Mutex
	rec *store.Recording
	sig annotate.Signal
	// chosen counts the reader's choices (under mu): a save that a newer
	// choice overtook writes nothing.
	chosen uint64
	// saving serialises the saves of choices.
	saving sync.Mutex
	// restarts counts the restarts of the model work on new leads; only
	// the newest restarts it. UI goroutine only.
	restarts uint64
}

// change sets the model signal of rec to sig, unless another record's
// signal is set (the reader opened another record meanwhile), and reports
// whether the leads the models read changed.
func (l *recordLeads) change(rec *store.Recording, sig annotate.Signal) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rec != nil && l.rec != rec {
		return false
	}
	old := l.sig
	if l.rec == nil || old == nil {
		old = modelSignal(rec.Signal, store.RecordSettings{})
	}
	l.rec, l.sig = rec, sig
	return !slices.Equal(leadsOf(old), leadsOf(sig))
}

// choose notes a new choice of the reader and returns its number.
func (l *recordLeads) choose() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.chosen++
	return l.chosen
}

// newest reports whether choice n is the reader's latest.
func (l *recordLeads) newest(n uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.chosen == n
}

// set notes the model signal of rec.
func (l *recordLeads) set(rec *store.Recording, sig annotate.Signal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rec, l.sig = rec, sig
}

// modelSignal returns what the detector and the models read of rec: the
// record's stored choice once read, else the default leads.
func (g *gui) modelSignal(rec *store.Recording) annotate.Signal {
	l := &g.leads
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rec == rec && l.sig != nil {
		return l.sig
	}
	return modelSignal(rec.Signal, store.RecordSettings{})
}

// showStoredLeads reads the record's choice of leads (off the UI
// goroutine) and shows it: the strip's leads and the models' signal.
func (g *gui) showStoredLeads(rec *store.Recording, id annotate.RecordID) {
	st, err := recordSettings(g.db, id)
	if err != nil {
		fmt.Fprintf(g.stderr, "ecgstation: the record's choice of leads could not be read, the defaults show: %v\n", err)
	}
	sig, c := modelSignal(rec.Signal, st), leadChoice(st, rec.Signal.Info().Leads)
	fyne.Do(func() {
		if g.rec == rec { // a load another one overtook must not replace the newer record's leads
			g.leads.set(rec, sig)
			g.screen.SetLeads(c)
		}
	})
}

// saveLeads keeps the reader's choice of leads with the record shown (the
// screen shows it already) and, when the models' leads changed, runs the
// models again on them. The database write is off the UI goroutine.
func (g *gui) saveLeads(c ui.LeadChoice) {
	rec, id := g.rec, g.recID
	if rec == nil {
		return
	}
	n := g.leads.choose()
	go g.keepLeads(rec, id, c, n)
}

// keepLeads stores choice n, c, with record id unless a newer choice
// overtook it, and restarts the model work when the models' leads
// changed. Off the UI goroutine.
func (g *gui) keepLeads(rec *store.Recording, id annotate.RecordID, c ui.LeadChoice, n uint64) {
	g.leads.saving.Lock()
	defer g.leads.saving.Unlock()
	if !g.leads.newest(n) {
		return
	}
	if err := g.storeLeads(id, rec.Signal.Info().Leads, c); err != nil {
		fyne.Do(func() {
			dialog.ShowError(fmt.Errorf("the choice of leads shows, but could not be kept with the record: %w", err), g.win)
		})
	}
	if g.leads.change(rec, modelSignal(rec.Signal, store.RecordSettings{ModelLeads: c.Model})) {
		fyne.Do(func() { g.modelLeadsChanged(rec) })
	}
}

// storeLeads keeps c with record id in one transaction. Only a part that
// changes what the record shows or the models read is written, and a
// choice of the default leads as none: an Apply that changes nothing
// writes no audit entry, and never marks the model layer stale.
func (g *gui) storeLeads(id annotate.RecordID, leads []annotate.Lead, c ui.LeadChoice) error {
	if g.db == nil || id == "" {
		return nil
	}
	err := g.db.UpdateRecordSettings(id, string(g.reader), func(st *store.RecordSettings) {
		if !slices.Equal(st.Shown(leads), c.Shown) {
			st.ShownLeads = ownChoice(c.Shown, annotate.DefaultShownLeads(leads))
		}
		if !slices.Equal(st.Model(leads), c.Model) {
			st.ModelLeads = ownChoice(c.Model, annotate.ModelLeads(leads))
		}
	})
	if errors.Is(err, store.ErrNoRecord) {
		return nil // a record not in the database: the choice lasts the session
	}
	return err
}

// ownChoice returns choice, or nil (the default) when it is def.
func ownChoice(choice, def []int) []int {
	if slices.Equal(choice, def) {
		return nil
	}
	return slices.Clone(choice)
}

// leadsOf returns the record's leads a model signal reads.
func leadsOf(sig annotate.Signal) []int {
	if s, ok := sig.(*annotate.LeadSelection); ok {
		return s.Leads()
	}
	return allIndices(len(sig.Info().Leads))
}

// modelLeadsChanged restarts the record's model work on the new leads:
// the re-classification and the adapter read them from now on, and the
// models suggest labels again, replacing the machine beats of the run on
// the old leads (reader labels win, as always), unless the label set is
// signed off or there is none. On the UI goroutine.
func (g *gui) modelLeadsChanged(rec *store.Recording) {
	if g.rec != rec || g.session == nil || g.db == nil {
		return
	}
	s := openedSession{id: g.recID, sess: g.session}
	released := g.stopPreannotation()
	g.leads.restarts++
	n := g.leads.restarts
	go func() {
		<-released
		fyne.Do(func() {
			if g.rec != rec || g.session != s.sess || g.leads.restarts != n {
				return // another record, or a newer choice restarts it
			}
			g.startAdapter(rec, s)
			if g.opts.noPreannotate || g.db.ReadOnly() != nil {
				return
			}
			g.startReclassify(rec, s)
			if s.sess.Status().State != annotate.StateSignedOff {
				g.runPreannotation(rec, s, true)
			}
		})
	}()
}
