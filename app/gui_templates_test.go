package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// templateFixture is a synthetic record with PVCs in a real label
// database whose model layer calls every beat N, opened by reader "ana"
// in a gui, with its templates built.
type templateFixture struct {
	g   *gui
	tpl *templates
	id  annotate.RecordID
	ref map[int64]annotate.Code // the synthetic record's true labels
	win fyne.Window
}

func newTemplateFixture(t *testing.T) *templateFixture {
	t.Helper()
	dir := t.TempDir()
	cfg := synth.Default()
	cfg.Duration, cfg.PVC.PerHour, cfg.Seed = 5*time.Minute, 600, 7
	_, ann, err := writeSynthRecord(dir, "rec", cfg, 212)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rec.hea")
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := importRecord(db, path); err != nil {
		t.Fatal(err)
	}
	id, err := store.HashRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &templateFixture{id: id, ref: map[int64]annotate.Code{}}
	var model annotate.ModelOutput
	for _, b := range ann.Beats {
		f.ref[b.Sample] = b.Code
		b.Code, b.Prov = annotate.Normal, annotate.Provenance{Source: annotate.SourceModel, Who: "test@1", Confidence: 0.6}
		model.Beats = append(model.Beats, b)
	}
	if err := db.SaveModelOutput(id, model, "test@1"); err != nil {
		t.Fatal(err)
	}
	sess, err := annotate.Open(db, id, annotate.Options{Reader: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	a := newTestApp(t)
	serialScreens(t)
	f.g = &gui{app: a, db: db, session: sess, reader: "ana", rec: rec, screen: ui.NewRecordScreen()}
	f.g.win = test.NewTempWindow(t, f.g.screen.Content())
	f.build(t)
	return f
}

// build clusters the beats as the template window does, skipping the test
// without ONNX Runtime.
func (f *templateFixture) build(t *testing.T) {
	tp := &templates{g: f.g}
	tp.screen = ui.NewTemplateScreen(tp.actions())
	tp.screen.Queue.Actions = tp.queueActions()
	tp.sess, tp.sig, tp.info = f.g.session, f.g.rec.Signal, f.g.rec.Signal.Info()
	cl, err := tp.build(context.Background(), ui.Prefs{})
	tp.cl = cl
	if errors.Is(err, model.ErrRuntimeUnavailable) {
		t.Skipf("ONNX Runtime not found (make ort): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	tp.regallery()
	f.tpl = tp
	f.win = test.NewTempWindow(t, tp.screen.Content())
	f.win.Resize(fyne.NewSize(1000, 700))
	f.win.Canvas().Focus(tp.screen.Gallery())
}

// showOnRecordScreen puts the record and the session on the fixture's
// record screen, which applies label changes inline.
func (f *templateFixture) showOnRecordScreen(t *testing.T) {
	t.Helper()
	f.g.screen.Inline = true
	f.g.screen.SetRecord(f.g.rec.Signal, nil)
	t.Cleanup(f.g.screen.Close)
	select {
	case <-f.g.screen.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("overview not built within 30 s")
	}
	f.g.screen.SetEditor(f.g.session)
}

// vTemplate returns the index of the template with most true V beats.
func (f *templateFixture) vTemplate(t *testing.T) (int, ui.TemplateActions) {
	best, bestV := -1, 0
	for i, tp := range f.tpl.screen.Templates() {
		n := 0
		for _, s := range tp.Beats {
			if f.ref[s] == annotate.PVC {
				n++
			}
		}
		if n > bestV && 2*n > tp.Count() {
			best, bestV = i, n
		}
	}
	if best < 0 {
		t.Fatal("no template is mostly V: the clustering did not separate the PVCs")
	}
	return best, f.tpl.actions()
}

// TestTemplateKeyRelabelsClusterInDB presses V on the gallery's V-looking
// cluster and checks the label database: every member is V, labelled
// through the reader's session (propagated from the reader, one audit
// entry), and Undo puts them back.
func TestTemplateKeyRelabelsClusterInDB(t *testing.T) {
	f := newTemplateFixture(t)
	i, _ := f.vTemplate(t)
	gal := f.tpl.screen.Gallery()
	for range i {
		gal.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	}
	tp := f.tpl.screen.Templates()[i]
	f.showOnRecordScreen(t)
	gen := f.g.screen.Labels().Gen()
	test.Type(gal, "v")
	if f.g.screen.Labels().Gen() == gen {
		t.Error("the record screen's labels did not change with the cluster relabel")
	}
	shown := map[int64]annotate.Code{}
	for _, b := range f.g.screen.Labels().All() {
		shown[b.Sample] = b.Code
	}
	beats := dbBeats(t, f.g.db, f.id, "ana")
	checked := 0
	for _, s := range tp.Beats {
		b, ok := beats[s]
		if !ok {
			continue // a member that is no longer a beat
		}
		checked++
		if b.Code != annotate.PVC || b.Prov.Source != annotate.SourcePropagated {
			t.Fatalf("member %d is %s from %s after V, want V propagated", s, b.Code.Symbol(), b.Prov.Source)
		}
		if shown[s] != annotate.PVC {
			t.Fatalf("the record screen shows member %d as %s after V, want V at once", s, shown[s].Symbol())
		}
	}
	if checked == 0 {
		t.Fatal("no member of the cluster is a beat in the database")
	}
	if got := f.tpl.screen.Templates()[i].Dominant; got != annotate.ClassV {
		t.Errorf("the card's dominant label is %s after V", got)
	}
	if e, ok := f.g.session.CanUndo(); !ok || e.Action != annotate.ActRelabelSet {
		t.Fatalf("undo offers %+v, want the cluster relabel", e)
	}
	if err := f.g.session.Undo(); err != nil {
		t.Fatal(err)
	}
	beats = dbBeats(t, f.g.db, f.id, "ana")
	for _, s := range tp.Beats {
		if b, ok := beats[s]; ok && b.Code != annotate.Normal {
			t.Fatalf("member %d is %s after undo, want N again", s, b.Code.Symbol())
		}
	}
}

// TestTemplateSplitMoveMerge reshapes the clustering through the actions
// the keys call and checks the gallery follows.
func TestTemplateSplitMoveMerge(t *testing.T) {
	f := newTemplateFixture(t)
	_, a := f.vTemplate(t)
	ts := f.tpl.screen.Templates()
	n, big := len(ts), ts[0]
	if err := a.Split(big.ID); err != nil {
		t.Fatal(err)
	}
	if got := len(f.tpl.screen.Templates()); got != n+1 {
		t.Fatalf("%d templates after a split, want %d", got, n+1)
	}
	if err := a.Move(big.Beats[:2], -1); err != nil {
		t.Fatal(err)
	}
	moved, ok := f.tpl.cl.Of(big.Beats[0])
	if !ok || moved == big.ID {
		t.Fatalf("beat %d still in cluster %d after the move", big.Beats[0], big.ID)
	}
	if err := a.Merge(big.ID, []int{moved}); err != nil {
		t.Fatal(err)
	}
	if id, _ := f.tpl.cl.Of(big.Beats[0]); id != big.ID {
		t.Fatalf("beat in cluster %d after the merge, want %d", id, big.ID)
	}
}

// TestReviewQueueConfirmInDB confirms the queue's first beat with Enter.
func TestReviewQueueConfirmInDB(t *testing.T) {
	f := newTemplateFixture(t)
	es := f.tpl.screen.Queue.Entries()
	if len(es) == 0 {
		t.Fatal("empty review queue on a record whose model calls every PVC N")
	}
	first := es[0].Item.Sample
	f.tpl.screen.Queue.Grid().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if b := dbBeats(t, f.g.db, f.id, "ana")[first]; b.Review != annotate.Confirmed {
		t.Fatalf("beat %d review %s after Enter, want confirmed", first, b.Review)
	}
}

func dbBeats(t *testing.T, db *store.DB, id annotate.RecordID, reader annotate.ReaderID) map[int64]annotate.Beat {
	t.Helper()
	out := map[int64]annotate.Beat{}
	for b, err := range db.Beats(id, reader, 0, 1<<62) {
		if err != nil {
			t.Fatal(err)
		}
		out[b.Sample] = b
	}
	return out
}

// TestTemplatesFromAdapterFeatures builds the templates from the adapter's
// features (no second pass of the beat model): every beat is clustered,
// as from the model's own pass, and the PVCs still get a cluster of
// their own.
func TestTemplatesFromAdapterFeatures(t *testing.T) {
	f := newTemplateFixture(t)
	svc, release := f.g.acquireModels(ui.Prefs{})
	defer release()
	m, err := svc.Beat()
	if err != nil {
		t.Fatal(err)
	}
	feat, err := adapt.NewFeatures(m, f.g.rec.Signal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := feat.Add(context.Background(), f.g.session.Labels().Beats, nil); err != nil {
		t.Fatal(err)
	}
	want := f.tpl.cl.Len()
	tp := &templates{g: f.g, feat: feat}
	tp.screen = ui.NewTemplateScreen(tp.actions())
	tp.sess, tp.sig, tp.info = f.g.session, f.g.rec.Signal, f.g.rec.Signal.Info()
	cl, err := tp.build(context.Background(), ui.Prefs{})
	if err != nil {
		t.Fatal(err)
	}
	tp.cl = cl
	tp.regallery()
	if got := tp.cl.Len(); got != want {
		t.Errorf("%d beats clustered from the features, %d from the model's pass", got, want)
	}
	f.tpl = tp
	f.vTemplate(t) // fails when no cluster is mostly V
}

// TestTemplateGroupsStayWithTheirSession: the templates hand their
// clusters to the adapter of the session they were built from, whether it
// starts before the templates are drawn or after; once another label set
// is open (another reader's, here; another record's alike), templates
// drawn late hand the new adapter nothing, and an adapter started on the
// new set takes nothing from them.
func TestTemplateGroupsStayWithTheirSession(t *testing.T) {
	f := newTemplateFixture(t)
	f.g.stderr = io.Discard
	f.g.templates = f.tpl
	t.Cleanup(func() { <-f.g.stopAdapter() })
	members := 0
	for _, c := range f.tpl.cl.Clusters() {
		members += len(c.Beats)
	}
	groups := func(a *adapter) int {
		if m := a.groups.Load(); m != nil {
			return len(*m)
		}
		return 0
	}
	f.g.startAdapter(f.g.rec, openedSession{id: f.id, sess: f.g.session})
	if n := groups(f.g.adapt); n != members {
		t.Errorf("an adapter started beside the templates has %d beats in groups, want the %d of the cards", n, members)
	}
	<-f.g.stopAdapter()
	_, a := newAdapter() // idle: no loop to wait for
	f.g.adapt = a
	f.tpl.regallery()
	if n := groups(a); n != members {
		t.Errorf("the templates drawn hand the adapter %d beats in groups, want %d", n, members)
	}
	a.cancel()
	f.g.adapt = nil
	bob, err := annotate.Open(f.g.db, f.id, annotate.Options{Reader: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	f.g.session = bob // as opening bob's labels does
	f.g.startAdapter(f.g.rec, openedSession{id: f.id, sess: bob})
	if n := groups(f.g.adapt); n != 0 {
		t.Errorf("bob's adapter took %d beats in groups from ana's templates", n)
	}
	f.tpl.regallery() // a build of ana's templates that finished late
	if n := groups(f.g.adapt); n != 0 {
		t.Errorf("ana's templates drawn late hand bob's adapter %d beats in groups", n)
	}
}

// TestAdapterRefreshKeepsQueue: labels the adapter changed show on the
// queue's tiles, but the queue is not ranked anew under the reader's keys:
// its order and the item selected stay, so the next key lands on the beat
// the reader is looking at.
func TestAdapterRefreshKeepsQueue(t *testing.T) {
	f := newTemplateFixture(t)
	q := f.tpl.screen.Queue
	es := q.Entries()
	if len(es) < 4 {
		t.Fatalf("%d queue items, want at least 4", len(es))
	}
	order := make([]int64, len(es))
	for i, e := range es {
		order[i] = e.Item.Sample
	}
	q.Grid().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	q.Grid().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) // the reader is on item 2
	other := es[3].Item.Sample
	who := annotate.AdaptedWho("test-adapter", 10)
	if _, err := f.g.session.SetAdapted([]annotate.Beat{{Sample: other, Code: annotate.PVC,
		Prov: annotate.Provenance{Source: annotate.SourceAdapted, Who: who, Confidence: 0.95}}}, "test"); err != nil {
		t.Fatal(err)
	}
	f.g.templates = f.tpl
	f.g.refreshTemplates(f.g.session)
	got := q.Entries()
	if len(got) != len(order) || got[2].Item.Sample != order[2] || got[3].Item.Sample != other {
		t.Fatalf("the adapter's refresh reordered the queue: items 2, 3 are %d, %d (were %d, %d)", got[2].Item.Sample, got[3].Item.Sample, order[2], other)
	}
	if i := q.Grid().(interface{ Selected() int }).Selected(); i != 2 {
		t.Fatalf("the adapter's refresh moved the selection to %d, want 2", i)
	}
	if got[3].Label != annotate.PVC {
		t.Errorf("the adapted beat's tile says %s, want the adapted V", got[3].Label.Symbol())
	}
}

// TestDeadAdapterIsOff: an adapter whose loop gave up (no beat model, a
// features error) is not on, so a queue fix propagates to the look-alikes
// with nothing to learn it; switching it off takes the adapted labels away
// at once, with no loop to do it, and stores the switch.
func TestDeadAdapterIsOff(t *testing.T) {
	f := newTemplateFixture(t)
	ctx, a := newAdapter()
	f.g.adapt, f.g.recID = a, f.id
	go func() { // the loop as it ends without features
		defer close(a.done)
		<-ctx.Done()
	}()
	if a.on() {
		t.Fatal("on() before the features are read")
	}
	at := f.tpl.screen.Queue.Entries()[0].Item.Sample
	who := annotate.AdaptedWho("test-adapter", 10)
	if _, err := f.g.session.SetAdapted([]annotate.Beat{{Sample: at, Code: annotate.PVC,
		Prov: annotate.Provenance{Source: annotate.SourceAdapted, Who: who, Confidence: 0.95}}}, "test"); err != nil {
		t.Fatal(err)
	}
	<-f.g.stopAdapter() // the loop gave up
	f.g.adapt = a       // the window still holds it, as after an early exit
	if a.on() {
		t.Fatal("on() with the loop gone")
	}
	f.g.switchAdapter(a, f.id, f.g.session, false)
	if b, _ := f.g.session.Beat(at); b.Prov.Source == annotate.SourceAdapted {
		t.Fatalf("beat %d still adapted (%s) after switching a dead adapter off", at, b.Code.Symbol())
	}
	if st, err := f.g.db.RecordSettings(f.id); err != nil || !st.AdapterOff {
		t.Errorf("the switch is not stored: %+v, %v", st, err)
	}
}
