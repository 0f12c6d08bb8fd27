package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/compare"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
	"github.com/ecgstation/ecgstation/ui"
)

// shortcutErrors is Ctrl+E for the model error browser.
var shortcutErrors = desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}

// Tabs of the analysis window.
const (
	tabErrors = iota
	tabAB
	tabPlots
	tabChecks
)

// analysisMenu is the Analysis menu, and its shortcut on the window.
func (g *gui) analysisMenu() *fyne.Menu {
	errs := fyne.NewMenuItem("Model error browser", func() { g.showAnalysis(tabErrors) })
	errs.Shortcut = &shortcutErrors
	g.win.Canvas().AddShortcut(&shortcutErrors, func(fyne.Shortcut) { g.showAnalysis(tabErrors) })
	return fyne.NewMenu("Analysis", errs,
		fyne.NewMenuItem("Model A/B", func() { g.showAnalysis(tabAB) }),
		fyne.NewMenuItem("Plots", func() { g.showAnalysis(tabPlots) }),
		fyne.NewMenuItem("Consistency checks", func() { g.showAnalysis(tabChecks) }))
}

// analysis is the window of the data scientist's screens: model errors,
// model A/B, and the plots and consistency checks of the record on the
// strip.
type analysis struct {
	g      *gui
	tabs   *container.AppTabs
	errs   *ui.ErrorBrowser
	ab     *ui.ABView
	plots  *ui.PlotsView
	checks *ui.ChecksView
	files  *recordFiles
}

func (g *gui) showAnalysis(tab int) {
	g.screenWindow("analysis", "ECG Station — Analysis", fyne.NewSize(1240, 760), func(w fyne.Window) (fyne.CanvasObject, func()) {
		a := &analysis{g: g, files: newRecordFiles()}
		a.errs = ui.NewErrorBrowser(ui.ErrorActions{Compute: a.compute, Snippet: a.snippet, Jump: a.jump}, w)
		a.ab = ui.NewABView(ui.ABActions{Run: a.runAB, Snippet: a.snippet, Jump: a.jump}, g.app.Preferences().String(ui.PrefModelB), w)
		a.plots = newPlotsView(g, w)
		a.checks = newChecksView(g)
		a.tabs = container.NewAppTabs(
			container.NewTabItem("Model errors", a.errs.Content()),
			container.NewTabItem("Model A/B", a.ab.Content()),
			container.NewTabItem("Plots", a.plots.Content()),
			container.NewTabItem("Consistency checks", a.checks.Content()))
		a.tabs.OnSelected = func(*container.TabItem) { a.refreshTab() }
		a.names()
		g.analysis = a
		return a.tabs, func() { a.files.close(); g.analysis = nil }
	})
	if a := g.analysis; a != nil {
		a.tabs.SelectIndex(tab)
		a.refreshTab()
	}
}

// refreshTab brings the record tabs up to date with the strip.
func (a *analysis) refreshTab() {
	switch a.tabs.SelectedIndex() {
	case tabPlots:
		a.plots.Redraw()
	case tabChecks:
		runChecks(a.g, a.checks)
	}
}

// names gives the record chooser the records with readers and a model.
func (a *analysis) names() {
	if a.g.db == nil {
		a.errs.SetMessage(noDBText)
		return
	}
	es, err := a.g.db.Records()
	if err != nil {
		a.errs.SetMessage(err.Error())
		return
	}
	var names []string
	readers := map[string]bool{}
	for _, e := range es {
		if e.ModelRev > 0 && len(e.Readers) > 0 {
			names = append(names, e.Info.Name)
			for _, r := range e.Readers {
				readers[string(r.Reader)] = true
			}
		}
	}
	a.errs.SetRecordNames(names)
	a.errs.SetReaders(slices.Sorted(maps.Keys(readers)))
	if len(names) == 0 {
		a.errs.SetMessage("No record has both a reader's labels and a model layer yet.")
		return
	}
	a.errs.SetMessage(fmt.Sprintf("Comparing the model with the reference labels over %s…", ui.Count(len(names), "record")))
	a.compute(a.errs.Options()) // opening the browser shows every record at once
}

// compute builds the confusion matrix in the background.
func (a *analysis) compute(o ui.ErrorOptions) {
	db := a.g.db
	if db == nil {
		a.errs.SetMessage(noDBText)
		return
	}
	go func() {
		t0 := time.Now()
		m, err := computeErrors(db, o)
		took := time.Since(t0)
		fyne.Do(func() {
			if err != nil {
				a.errs.SetMessage("Could not compare: " + err.Error())
				return
			}
			a.errs.SetConfusion(confusionTitle(m, o, took), m)
		})
	}()
}

// computeErrors compares the model layer (the test) with the reference
// label set o chooses over the records o names (default: every record with
// both), as the error browser shows it: only the reference's own beats
// count unless o.AllBeats.
func computeErrors(db *store.DB, o ui.ErrorOptions) (*eval.Confusion, error) {
	opt := eval.ConfusionOptions{Whole: o.Whole, OwnedOnly: !o.AllBeats}
	if o.MIT {
		opt.Scheme = eval.SchemeMIT
	}
	return errorBrowser(db, strings.Join(o.Records, ","), annotate.ReaderID(o.Reference), opt)
}

// confusionTitle says in words what the error browser compared.
func confusionTitle(m *eval.Confusion, o ui.ErrorOptions, took time.Duration) string {
	scope := "EC57: 150 ms window, first 5 minutes not scored, reader VF excluded"
	if o.Whole {
		scope = "whole records (learning period included, not EC57)"
	}
	labels := "AAMI classes (" + annotate.AAMIMapping + ")"
	if o.MIT {
		labels = "MIT symbols"
	}
	return fmt.Sprintf("Model vs reference %s over %s · %s · %s · %s · %d ms", referenceText(m, o), ui.Count(len(m.Results), "record"), beatsText(m, o), scope, labels, took.Milliseconds())
}

// referenceText names the reference label sets compared with.
func referenceText(m *eval.Confusion, o ui.ErrorOptions) string {
	if o.Reference != "" {
		return o.Reference
	}
	refs := slices.Compact(slices.Sorted(slices.Values(m.References)))
	return "(automatic: " + strings.Join(refs, ", ") + ")"
}

// beatsText says which of the reference's beats count.
func beatsText(m *eval.Confusion, o ui.ErrorOptions) string {
	if o.AllBeats {
		return "every beat of the reference"
	}
	return fmt.Sprintf("the reference's reviewed or imported beats (%d unreviewed left out)", m.Unowned)
}

// snippet reads a gallery beat's snippet from its record file, with the
// labels of the record's reader.
func (a *analysis) snippet(b eval.BeatRef) (*ui.Snippet, error) {
	db := a.g.db
	if db == nil {
		//lint:ignore ST1005 a sentence shown to the reader in a dialog
		return nil, errors.New(noDBText)
	}
	rec, reader, err := a.files.open(db, annotate.RecordID(b.Record), a.reference())
	if err != nil {
		return nil, err
	}
	return readSnippet(rec.Signal, b.Sample, func(from, to int64) []annotate.Beat {
		var out []annotate.Beat
		for bt, err := range db.Beats(annotate.RecordID(b.Record), reader, from, to) {
			if err != nil {
				break
			}
			out = append(out, bt)
		}
		return out
	})
}

// reference is the reference label set the error browser's top bar
// chose; "" for each record's pick.
func (a *analysis) reference() annotate.ReaderID {
	if a.errs == nil {
		return ""
	}
	return annotate.ReaderID(a.errs.Options().Reference)
}

// jump shows a gallery beat on the strip.
func (a *analysis) jump(b eval.BeatRef) {
	if a.g.db == nil {
		return
	}
	e, err := a.g.db.Record(annotate.RecordID(b.Record))
	if err != nil {
		a.errs.SetMessage(err.Error())
		return
	}
	a.g.jumpTo(e.Path, b.Sample)
}

// recordFiles keeps the record files the galleries read open, with the
// reader whose labels they show.
type recordFiles struct {
	mu      sync.Mutex
	files   map[annotate.RecordID]*store.Recording
	readers map[annotate.RecordID]annotate.ReaderID
}

func newRecordFiles() *recordFiles {
	return &recordFiles{files: map[annotate.RecordID]*store.Recording{}, readers: map[annotate.RecordID]annotate.ReaderID{}}
}

// open returns record id's file and whose labels the gallery shows: want's
// when it has some, else the error browser's pick of reference.
func (f *recordFiles) open(db *store.DB, id annotate.RecordID, want annotate.ReaderID) (*store.Recording, annotate.ReaderID, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, err := db.Record(id)
	if err != nil {
		return nil, "", err
	}
	reader, err := report.PickReader(e, want)
	if err != nil {
		if reader, err = browserReader(db, e); err != nil {
			reader = store.ModelLayer
		}
	}
	if r, ok := f.files[id]; ok {
		f.readers[id] = reader
		return r, reader, nil
	}
	r, err := store.Open(e.Path)
	if err != nil {
		return nil, "", err
	}
	f.files[id], f.readers[id] = r, reader
	return r, reader, nil
}

func (f *recordFiles) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, r := range f.files {
		_ = r.Close()
		delete(f.files, id)
	}
}

// runAB runs model A (the preferred beat model) and model B over the
// reviewed records in the background.
func (a *analysis) runAB(modelB string) {
	db := a.g.db
	if db == nil {
		a.ab.SetMessage(noDBText)
		return
	}
	a.g.app.Preferences().SetString(ui.PrefModelB, modelB)
	o := a.errs.Options()
	p := a.g.prefs()
	go func() {
		svc, release := a.g.acquireModels(p)
		defer release()
		res, n, err := runModelAB(svc, db, modelB, o)
		fyne.Do(func() {
			if err != nil {
				a.ab.SetMessage("Model A/B: " + err.Error())
				return
			}
			a.ab.SetResult(abTitle(n, o), res)
		})
	}()
}

// runModelAB compares svc's beat model (A) with the model file modelB on
// the records o names; it returns the result and the number of records
// compared.
func runModelAB(svc *modelsvc.Service, db *store.DB, modelB string, o ui.ErrorOptions) (*eval.ABResult, int, error) {
	ma, err := svc.Beat()
	if err != nil {
		return nil, 0, err
	}
	mb, err := svc.Load(modelB)
	if err != nil {
		return nil, 0, err
	}
	co := cmOpts{records: strings.Join(o.Records, ","), allBeats: o.AllBeats}
	co.reader = o.Reference
	recs, closeAll, err := cmLoad(db, co)
	defer closeAll()
	if err != nil {
		return nil, 0, err
	}
	res, err := compare.AB(ma, mb, recs, o.Whole)
	return res, len(recs), err
}

// abTitle says in words what model A/B compared.
func abTitle(records int, o ui.ErrorOptions) string {
	scope := "EC57 (first 5 minutes not scored)"
	if o.Whole {
		scope = "whole records (not EC57)"
	}
	ref, beats := "automatic", "the reference's reviewed or imported beats"
	if o.Reference != "" {
		ref = o.Reference
	}
	if o.AllBeats {
		beats = "every beat of the reference"
	}
	return fmt.Sprintf("%d records · reference %s · %s · %s · AAMI classes", records, ref, beats, scope)
}
