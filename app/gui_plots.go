package main

import (
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/store/report/chart"
	"github.com/ecgstation/ecgstation/ui"
)

// errNoLabels is what the record screens say without a record and session.
var errNoLabels = errors.New("no record with labels is open: open one from the library (Ctrl+L) with a label database")

// newPlotsView returns the plots of the record on the strip.
func newPlotsView(g *gui, w fyne.Window) *ui.PlotsView {
	kinds := make([]ui.PlotKind, len(chart.Kinds))
	for i, k := range chart.Kinds {
		kinds[i] = ui.PlotKind{Name: k.Name, Title: k.Title}
	}
	prefs := g.app.Preferences()
	v := ui.NewPlotsView(kinds, prefs.StringWithFallback(ui.PrefPlotKind, "hr"), ui.PlotActions{
		Render: func(kind string, w, h int) (image.Image, error) { return renderPlot(g, kind, w, h) },
		Export: func(kind, path string, w, h int) error { return exportPlot(g, kind, path, w, h) },
	}, w)
	v.OnKind = func(kind string) { prefs.SetString(ui.PrefPlotKind, kind) }
	return v
}

// plotData reads what the plots draw from the session: the reader's
// labels and, for Bland-Altman, the model layer. It runs off the UI
// goroutine (the session and the database are safe for that).
func plotData(g *gui) (chart.Data, error) {
	sess, db, rec := g.session, g.db, g.rec
	if sess == nil || rec == nil {
		return chart.Data{}, errNoLabels
	}
	info := rec.Signal.Info()
	d := chart.Data{Reader: stats.FromLabelSet(info, sess.Labels()), TestName: "model"}
	if db != nil {
		if out, err := db.Model(sess.Record()); err == nil {
			d.Test = stats.Input{Info: info, Beats: out.Beats, Episodes: out.Episodes, Noise: out.Noise}
		}
	}
	return d, nil
}

func renderPlot(g *gui, kind string, w, h int) (image.Image, error) {
	d, err := plotData(g)
	if err != nil {
		return nil, err
	}
	p, err := chart.Make(kind, d)
	if err != nil {
		return nil, err
	}
	return chart.Image(p, w, h)
}

// exportPlot writes plot kind as PNG, SVG or PDF, by path's extension.
func exportPlot(g *gui, kind, path string, w, h int) error {
	d, err := plotData(g)
	if err != nil {
		return err
	}
	p, err := chart.Make(kind, d)
	if err != nil {
		return err
	}
	data, err := chart.Render(p, w, h, strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), "."))
	if err != nil {
		return err
	}
	if err := private.WriteFile(path, data); err != nil {
		return fmt.Errorf("export plot: %w", err)
	}
	return nil
}

// newChecksView returns the consistency findings of the record on the
// strip; a click jumps there.
func newChecksView(g *gui) *ui.ChecksView {
	v := ui.NewChecksView()
	v.OnJump = func(it ui.CheckItem) { g.showSample(it.Sample) }
	v.OnFix = func(it ui.CheckItem) { fixFinding(g, v, it) }
	v.OnRefresh = func() { runChecks(g, v) }
	return v
}

// runChecks runs the consistency rules on the session's labels.
func runChecks(g *gui, v *ui.ChecksView) {
	if g.session == nil || g.rec == nil {
		v.SetItems(nil)
		v.SetMessage(errNoLabels.Error())
		return
	}
	items, err := checkItems(g.session, g.rec.Signal.Info())
	if err != nil {
		v.SetItems(nil)
		v.SetMessage(err.Error())
		return
	}
	v.SetItems(items)
}

// checkItems returns the findings of the session's labels with their
// times.
func checkItems(sess *annotate.Session, info annotate.RecordInfo) ([]ui.CheckItem, error) {
	ls := sess.Labels()
	fs, err := check.Run(check.Input{Input: stats.FromLabelSet(info, ls), Status: ls.Status}, check.DefaultOptions())
	if err != nil {
		return nil, err
	}
	items := make([]ui.CheckItem, len(fs))
	for i, f := range fs {
		items[i] = ui.CheckItem{Finding: f, Time: stats.Clock(info.Start, info.Fs, f.Sample), Record: sess.Record()}
		if fix, ok := check.FixOf(f, ls.Beats); ok {
			items[i].Fix = fix.What
		}
	}
	return items, nil
}

// fixFinding applies the fix of finding it to the session's labels (one
// undoable edit), shows them on the strip and runs the checks again.
func fixFinding(g *gui, v *ui.ChecksView, it ui.CheckItem) {
	if g.session == nil || g.session.Record() != it.Record {
		runChecks(g, v)
		v.SetMessage("The record on the strip has changed since these checks: they are run again. " + v.Message())
		return
	}
	fix, ok := check.FixOf(it.Finding, g.session.Labels().Beats)
	if !ok {
		v.SetMessage("Nothing left to fix there: run the checks again.")
		return
	}
	if err := g.session.Relabel(fix.Samples, fix.Code, "check: "+string(it.Rule)); err != nil {
		v.SetMessage(err.Error())
		return
	}
	if g.screen != nil {
		g.screen.Changed()
	}
	runChecks(g, v)
	v.SetMessage(fmt.Sprintf("Fixed: %s (Ctrl+Z on the record screen undoes it). %s", fix.What, v.Message()))
}
