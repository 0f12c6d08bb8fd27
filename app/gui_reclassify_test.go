package main

import (
	"cmp"
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// needRuntime skips the test when ONNX Runtime cannot be loaded.
func needRuntime(t testing.TB) {
	t.Helper()
	env, err := model.NewEnv(model.Options{Threads: 1})
	if errors.Is(err, model.ErrRuntimeUnavailable) {
		t.Skipf("ONNX Runtime not found (set %s): %v", model.LibraryEnv, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	env.Close()
}

type merged struct {
	d   time.Duration
	st  annotate.MergeStats
	err error
}

// TestGUIInsertReclassifies deletes a beat and inserts it again from the
// keyboard on the record screen. The delete re-classifies the gap's
// neighbours; the insert's re-classification puts the beat model's label on
// the inserted beat in the model layer (the session keeps the reader's),
// relabels its unreviewed neighbours in the session, and leaves the rest of
// the model layer as it was.
func TestGUIInsertReclassifies(t *testing.T) {
	needRuntime(t)
	dir := t.TempDir()
	hea, dbPath, id := seededRecord(t, dir)
	g, rec, w := openTestScreen(t, hea, dbPath)
	model0, err := g.db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	ctx, r := newReclassifier()
	got := make(chan merged, 4)
	r.onMerged = func(d time.Duration, st annotate.MergeStats, err error) { got <- merged{d, st, err} }
	r.changed = func() {} // the inline screen is told below, on this goroutine
	g.reclass = r
	go g.reclassifyLoop(ctx, r, rec, g.session)
	defer g.stopReclassify()

	key := func(n fyne.KeyName) { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: n}) }
	wait := func(what string) merged {
		select {
		case m := <-got:
			if m.err != nil {
				t.Fatalf("after the %s: %v", what, m.err)
			}
			g.screen.Changed()
			return m
		case <-time.After(60 * time.Second):
			t.Fatalf("no re-classification within 60 s of the %s", what)
		}
		return merged{}
	}
	key(fyne.KeyRight)
	key(fyne.KeyRight) // the second beat
	key(fyne.KeyDelete)
	if m := wait("delete"); m.st.Updated+m.st.Unchanged == 0 {
		t.Errorf("merge after the delete %v: want the gap's neighbours labelled", m.st)
	}
	w.Canvas().Focused().TypedRune('i') // back in, on the R peak
	_, _, _, inserted := g.screen.Strip.Selection()
	m := wait("insert")
	if m.st.Updated == 0 || m.st.Kept == 0 {
		t.Errorf("merge %v: want the neighbours updated and the reader's inserted beat kept", m.st)
	}
	checkReclassified(t, g, id, model0.Beats, inserted)
}

// newDBGUI returns a window's gui on the label database at dbPath, read by
// alice, with a record screen that runs its updates inline (Fyne's test
// driver runs fyne.Do on the calling goroutine).
func newDBGUI(t *testing.T, dbPath string) *gui {
	t.Helper()
	a := newTestApp(t)
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := &gui{app: a, db: db, reader: "alice", screen: ui.NewRecordScreen(), stderr: io.Discard}
	g.screen.Inline = true
	return g
}

// openTestScreen opens hea's session in dbPath as reader alice on a record
// screen in Fyne's test driver, focused on the strip.
func openTestScreen(t *testing.T, hea, dbPath string) (*gui, *store.Recording, fyne.Window) {
	t.Helper()
	g := newDBGUI(t, dbPath)
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	s, err := g.openSession(rec, g.reader)
	if err != nil {
		t.Fatal(err)
	}
	g.rec, g.session, g.recID = rec, s.sess, s.id
	g.wireScreen()
	w := test.NewTempWindow(t, g.screen.Content())
	w.Resize(fyne.NewSize(1200, 700))
	g.screen.SetWindow(w)
	g.screen.SetRecord(rec.Signal, nil)
	t.Cleanup(g.screen.Close)
	select {
	case <-g.screen.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("overview not built within 30 s")
	}
	g.screen.SetEditor(s.sess)
	w.Canvas().Focus(g.screen.Strip)
	return g, rec, w
}

// checkReclassified checks the labels after the re-classification of the
// beat inserted at sample (the model layer was model0 before).
func checkReclassified(t *testing.T, g *gui, id annotate.RecordID, model0 []annotate.Beat, inserted int64) {
	t.Helper()
	const seed = "reference-as-model@1"
	layer, err := g.db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	var region []annotate.Beat // the model beats the re-classification wrote
	for _, b := range layer.Beats {
		if b.Prov.Who != seed {
			region = append(region, b)
		}
	}
	if len(region) == 0 || region[0].Prov.Source != annotate.SourceModel {
		t.Fatalf("no re-classified model beats in the model layer: %d beats, first who %q", len(layer.Beats), layer.Beats[0].Prov.Who)
	}
	lo, hi := region[0].Sample, region[len(region)-1].Sample
	if inserted < lo || inserted > hi {
		t.Errorf("inserted beat %d outside the re-classified span [%d, %d]", inserted, lo, hi)
	}
	if lb, ok := beatAt(layer.Beats, inserted); !ok || lb.Prov.Source != annotate.SourceModel {
		t.Errorf("model layer at the inserted beat %d: %+v (found %v), want a model label", inserted, lb, ok)
	}
	for _, b := range model0 { // the rest of the layer is as it was
		if b.Sample >= lo && b.Sample <= hi {
			continue
		}
		if lb, ok := beatAt(layer.Beats, b.Sample); !ok || lb.Code != b.Code || lb.Prov.Who != seed {
			t.Fatalf("model beat %d outside the region changed: was %v, now %+v (found %v)", b.Sample, b.Code, lb, ok)
		}
	}
	for _, b := range g.session.BeatsIn(lo, hi+1) {
		switch {
		case b.Sample == inserted && b.Prov.Source != annotate.SourceReader:
			t.Errorf("the reader's inserted beat lost its label: %+v", b)
		case b.Sample != inserted && b.Prov.Who == seed:
			t.Errorf("neighbour %d not re-classified in the session: %+v", b.Sample, b)
		}
	}
}

func beatAt(beats []annotate.Beat, sample int64) (annotate.Beat, bool) {
	for _, b := range beats {
		if b.Sample == sample {
			return b, true
		}
	}
	return annotate.Beat{}, false
}

// BenchmarkInsertReclassified times a reader's insert (stored in the label
// database) through its re-classification merged into the session and the
// model layer, as the window does after each insert; the issue asks for
// under 100 ms.
func BenchmarkInsertReclassified(b *testing.B) {
	if _, err := model.NewEnv(model.Options{Threads: 1}); err != nil {
		b.Skip(err)
	}
	dir := b.TempDir()
	hea, dbPath, id := seededRecord(b, dir)
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	mustB(b, err)
	defer db.Close()
	rec, err := store.Open(hea)
	mustB(b, err)
	defer rec.Close()
	sess, err := annotate.Open(db, id, annotate.Options{Reader: "alice", MergeWindow: mergeWindow(rec.Signal.Info().Fs)})
	mustB(b, err)
	g := &gui{app: newTestApp(b), stderr: io.Discard}
	release, p, err := g.reclassPipeline(rec, sess)
	mustB(b, err)
	defer release()
	defer g.models.Close()
	beats := sess.BeatsIn(0, 1<<62)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer()
		at := beats[10+i%(len(beats)-20)].Sample
		i++
		mustB(b, sess.Delete([]int64{at}, ""))
		b.StartTimer()
		mustB(b, sess.Insert(at, annotate.Normal, ""))
		_, err := reclassifyMerge(context.Background(), p, sess, []int64{at})
		mustB(b, err)
	}
}

func mustB(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// modelBeatsOf returns the session's beats: after a run with no reader
// edits, the model's suggestions as merged.
func modelBeatsOf(sess *annotate.Session) []annotate.Beat {
	return sess.BeatsIn(0, 1<<62)
}

// TestPipelineRunCancelled cancels the pre-annotation's pipeline once its
// first chunk is merged, as quitting or opening another record does: the
// run must end with the cancellation and the beats merged so far, not
// panic on the result a cancelled pipeline does not give.
func TestPipelineRunCancelled(t *testing.T) {
	g, rec, s := pipelineGUI(t)
	ms, release, _ := g.guiModels()
	defer g.models.Close()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job := &preannotation{cancel: cancel, done: make(chan struct{})}
	go func() {
		for s.sess.NumBeats() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	n, err := g.pipelineRun(ctx, job, rec, s, ms, false)
	if !errors.Is(err, context.Canceled) || n.beats == 0 || n.beats != s.sess.NumBeats() {
		t.Errorf("cancelled run: err %v, %d beats merged, the session holds %d", err, n.beats, s.sess.NumBeats())
	}
}

// pipelineGUI returns a window-less gui on a label database in a temporary
// folder, a 12-minute synthetic record (three chunks) and reader alice's
// session on it.
func pipelineGUI(t *testing.T) (*gui, *store.Recording, openedSession) {
	cfg := synth.Default()
	cfg.Duration = 12 * time.Minute
	return pipelineGUIFor(t, cfg)
}

// pipelineGUIFor is pipelineGUI on a record cfg makes.
func pipelineGUIFor(t *testing.T, cfg synth.Config) (*gui, *store.Recording, openedSession) {
	dir := t.TempDir()
	if _, _, err := writeSynthRecord(dir, "rec", cfg, 212); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rec, err := store.Open(filepath.Join(dir, "rec.hea"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	g := &gui{app: newTestApp(t), db: db, reader: "alice", screen: ui.NewRecordScreen(), stderr: io.Discard}
	s, err := g.openSession(rec, g.reader)
	if err != nil {
		t.Fatal(err)
	}
	return g, rec, s
}

// TestPipelineChunksDurable runs the pre-annotation's pipeline on a
// 12-minute record (three chunks) and checks, before the final save, that
// the label database's model layer already holds the whole output: each
// chunk was stored as a region as it merged, none wiped another, and the
// run is not yet marked complete.
func TestPipelineChunksDurable(t *testing.T) {
	g, rec, s := pipelineGUI(t)
	db := g.db
	ms, release, _ := g.guiModels() // without ONNX Runtime the detector's beats still come
	defer g.models.Close()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := g.pipelineRun(ctx, &preannotation{cancel: cancel, done: make(chan struct{})}, rec, s, ms, false)
	if err != nil {
		t.Fatal(err)
	}
	layer, err := db.Model(s.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(layer.Beats) < 600 || len(layer.Beats) != n.beats || !reflect.DeepEqual(layer.Beats, modelBeatsOf(s.sess)) {
		t.Errorf("model layer holds %d beats after the run's merges, the run merged %d", len(layer.Beats), n.beats)
	}
	if len(layer.Episodes) != n.episodes || len(layer.Noise) != n.noise {
		t.Errorf("model layer holds %d episodes, %d noise; the run merged %d, %d", len(layer.Episodes), len(layer.Noise), n.episodes, n.noise)
	}
	if done, err := modelSaved(db, s.id, ""); err != nil || done {
		t.Errorf("run marked complete before its final save: %v, %v", done, err)
	}
}

// TestPipelineRunSameLabels checks that the window's pre-annotation, which
// keeps none of the pipeline's output (Discard: chunks merged as they come,
// only rhythm marks kept) and drops the label file's mapped pages as it
// goes, gives the labels a plain run merged whole gives: the same beats
// with their provenance and probabilities, episodes and noise stretches,
// in the session and in the label database.
func TestPipelineRunSameLabels(t *testing.T) {
	cfg := synth.Demo() // every arrhythmia, and noise
	cfg.Duration = 12 * time.Minute
	cfg.Events = []synth.Event{{Rhythm: "AFIB", At: 2 * time.Minute, Length: 2 * time.Minute}, {Rhythm: "VT", At: 7 * time.Minute, Length: 10 * time.Second}}
	g, rec, s := pipelineGUIFor(t, cfg)
	ms, release, _ := g.guiModels()
	defer g.models.Close()
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := g.pipelineRun(ctx, &preannotation{cancel: cancel, done: make(chan struct{}), db: g.db}, rec, s, ms, false); err != nil {
		t.Fatal(err)
	}
	g2, rec2, s2 := pipelineGUIFor(t, cfg)
	p, err := pipeline.New(pipeline.Config{Signal: g2.modelSignal(rec2), Beat: ms.beat, Rhythm: ms.rhythm})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.sess.MergeModel(res.Output); err != nil {
		t.Fatal(err)
	}
	if err := g.db.DropMapped(); err != nil {
		t.Fatal(err)
	}
	layer, err := g.db.Model(s.id)
	if err != nil {
		t.Fatal(err)
	}
	got, want := s.sess.Labels(), s2.sess.Labels()
	if len(got.Beats) < 600 || !reflect.DeepEqual(got.Beats, want.Beats) || !reflect.DeepEqual(layer.Beats, want.Beats) {
		t.Errorf("the window's run holds %d beats (its model layer %d); a plain run merged whole %d, or they differ",
			len(got.Beats), len(layer.Beats), len(want.Beats))
	}
	if g, w := spansOf(got), spansOf(want); len(w.eps) == 0 || !reflect.DeepEqual(g, w) {
		t.Errorf("episodes and noise differ:\n window %+v\n plain  %+v", g, w)
	}
}

// spans are the episodes and noise stretches of a label set.
type spans struct {
	eps   []annotate.Episode
	noise []annotate.Noise
}

// spansOf returns the episodes and noise stretches of ls without their
// IDs (a run merged chunk by chunk numbers them in another order), sorted.
func spansOf(ls annotate.LabelSet) spans {
	var eps []annotate.Episode
	for _, e := range ls.Episodes {
		eps = append(eps, e.Episode)
	}
	var noise []annotate.Noise
	for _, n := range ls.Noise {
		noise = append(noise, n.Noise)
	}
	slices.SortFunc(eps, func(a, b annotate.Episode) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Rhythm, b.Rhythm))
	})
	slices.SortFunc(noise, func(a, b annotate.Noise) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Lead, b.Lead), cmp.Compare(a.End, b.End))
	})
	return spans{eps, noise}
}
