package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
	"github.com/ecgstation/ecgstation/store"
)

// adapterRun is one adapter run the test heard of.
type adapterRun struct {
	sum adapt.Summary
	err error
}

// TestGUIAdapterAfterEdits opens a record on which the beat model calls the
// V and S beats N, with the window's adapter running: it does not run at
// opening (the labels stay as saved); a burst of pokes costs one run; after a reader's relabel key the adapter relabels the
// beats nobody reviewed, says so on the status line and leaves every
// reader label alone; undoing the key and adapting again gives the labels
// of before; switching the record's adapter off (stored in the database)
// gives every adapted beat back its population label.
func TestGUIAdapterAfterEdits(t *testing.T) {
	needRuntime(t)
	recPath, dbPath := wrongSynth(t)
	ref := refOf(t, recPath, dbPath)
	g, rec, w := openTestScreen(t, recPath+".hea", dbPath)
	runs := make(chan adapterRun, 8)
	status := make(chan string, 64)
	ctx, a := newAdapter()
	a.onRun = func(s adapt.Summary, err error) { runs <- adapterRun{s, err} }
	a.status = func(s string) { status <- s }
	g.adapt = a
	go g.adaptLoop(ctx, a, rec, openedSession{id: g.recID, sess: g.session})
	defer g.stopAdapter()
	next := func(what string) adapt.Summary {
		t.Helper()
		select {
		case r := <-runs:
			if r.err != nil {
				t.Fatalf("%s: %v", what, r.err)
			}
			return r.sum
		case <-time.After(60 * time.Second):
			t.Fatalf("no adapter run within 60 s of %s", what)
		}
		return adapt.Summary{}
	}
	// No run at opening: the labels stay as saved.
	waitStatus(t, status, "Adapter: ready, learns from your labels")
	teach(t, g.session, ref, 9) // 9 reader labels: not yet enough
	for range 5 {
		a.poke()
	}
	if s := next("9 labels"); s.Learned != 9 || s.Adapted != 0 {
		t.Fatalf("9 labels: %s", s)
	}
	select {
	case r := <-runs:
		t.Fatalf("a burst of pokes ran the adapter twice: %+v", r)
	case <-time.After(2 * adaptQuiet):
	}
	before := g.session.Labels().Beats
	readers := readerBeats(before)
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	w.Canvas().Focused().TypedRune('v') // the 10th reader label: a relabel key on the first beat
	s := next("the relabel key")
	if s.Learned != 10 || s.Relabelled == 0 {
		t.Fatalf("after the relabel key: %s", s)
	}
	t.Logf("after the key: %s (%d adapted, %v)", s, s.Adapted, s.Elapsed)
	checkAdaptedStatus(t, status, s.String())
	after := g.session.Labels().Beats
	for at, b := range readers {
		if got := readerBeats(after)[at]; !reflect.DeepEqual(got, b) {
			t.Fatalf("the adapter changed the reader's beat %d: %+v", at, got)
		}
	}
	g.screen.Undo()
	if s := next("undo"); s.Learned != 9 || s.Restored == 0 {
		t.Fatalf("after undo: %s", s)
	}
	if got := g.session.Labels().Beats; !reflect.DeepEqual(got, before) {
		t.Error("undo and adapting again did not give back the labels of before the key")
	}
	checkSwitchOff(t, g, next, ref)
	checkSignedOff(t, g, runs, status)
}

// checkSignedOff signs the label set off: the adapter's run after it is
// refused (the set takes no model labels), and the status line says it is
// paused, not that it failed.
func checkSignedOff(t *testing.T, g *gui, runs <-chan adapterRun, status chan string) {
	t.Helper()
	g.switchAdapter(g.adapt, g.recID, g.session, true)
	<-runs
	if _, _, err := g.session.Run(annotate.SignOff{}); err != nil {
		t.Fatal(err)
	}
	g.adapt.poke()
	select {
	case r := <-runs:
		if !errors.Is(r.err, annotate.ErrSignedOff) {
			t.Fatalf("after sign-off the adapter ran: %s, %v", r.sum, r.err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no adapter run within 60 s of the sign-off")
	}
	waitStatus(t, status, "Adapter: paused, the label set is signed off (reopen it to adapt)")
}

// checkSwitchOff teaches enough for the adapter, then switches it off as
// the Records menu does.
func checkSwitchOff(t *testing.T, g *gui, next func(string) adapt.Summary, ref map[int64]annotate.Code) {
	t.Helper()
	teach(t, g.session, ref, 6)
	g.adapt.poke()
	if s := next("teaching"); s.Adapted == 0 {
		t.Fatalf("no adapted beats to switch off: %s", s)
	}
	g.switchAdapter(g.adapt, g.recID, g.session, false)
	if s := next("switching off"); s.Restored == 0 || s.Note != "off for this record" {
		t.Fatalf("switched off: %s", s)
	}
	for _, b := range g.session.Labels().Beats {
		if b.Prov.Source == annotate.SourceAdapted && b.Review == annotate.Unreviewed {
			t.Fatalf("adapted beat %d after switching off", b.Sample)
		}
	}
	if st, err := g.db.RecordSettings(g.recID); err != nil || !st.AdapterOff {
		t.Errorf("the switch is not stored: %+v, %v", st, err)
	}
}

// teach has the reader relabel n more unreviewed beats by the reference
// ref (a third V, a third S, the rest N), past the first 4 s.
func teach(t *testing.T, sess *annotate.Session, ref map[int64]annotate.Code, n int) {
	t.Helper()
	left := map[annotate.Class]int{annotate.ClassV: n / 3, annotate.ClassS: n / 3, annotate.ClassN: n - 2*(n/3)}
	for _, b := range sess.Labels().Beats {
		k := ref[b.Sample]
		if b.Review != annotate.Unreviewed || left[k.Class()] == 0 || b.Sample < 1000 {
			continue
		}
		left[k.Class()]--
		if err := sess.Relabel([]int64{b.Sample}, k, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// refOf returns the reference code of each beat of the record's model
// layer (the detector's beats), matched within 80 ms.
func refOf(t *testing.T, recPath, dbPath string) map[int64]annotate.Code {
	t.Helper()
	rec, err := store.Open(recPath + ".hea")
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if err := rec.LoadReference(); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenDB(dbPath, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := store.HashRecord(recPath + ".hea")
	if err != nil {
		t.Fatal(err)
	}
	model, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]annotate.Code{}
	j := 0
	for _, b := range model.Beats {
		for j < len(rec.Beats) && rec.Beats[j].Sample < b.Sample-20 {
			j++
		}
		if j < len(rec.Beats) && rec.Beats[j].Sample <= b.Sample+20 {
			out[b.Sample] = rec.Beats[j].Code
		}
	}
	return out
}

// readerBeats returns the beats of the reader layer, by sample.
func readerBeats(beats []annotate.Beat) map[int64]annotate.Beat {
	out := map[int64]annotate.Beat{}
	for _, b := range beats {
		if annotate.LayerOf(b) == annotate.LayerReader {
			out[b.Sample] = b
		}
	}
	return out
}

// waitStatus waits for the status line want.
func waitStatus(t *testing.T, status chan string, want string) {
	t.Helper()
	for {
		select {
		case s := <-status:
			if s == want {
				return
			}
		case <-time.After(60 * time.Second):
			t.Fatalf("the status line never said %q", want)
		}
	}
}

// checkAdaptedStatus waits for the status line the run gave, which says
// how many beats it relabelled from 10 reader labels.
func checkAdaptedStatus(t *testing.T, status chan string, want string) {
	t.Helper()
	waitStatus(t, status, want)
	if !strings.Contains(want, "beats relabelled from 10 reader labels") {
		t.Errorf("status %q", want)
	}
}

// TestStopAdapterDoesNotWait: stopping the adapter (another record opened)
// does not wait on the UI goroutine for a beat-model batch to end; the
// channel it returns closes when the loop has let go of the record.
func TestStopAdapterDoesNotWait(t *testing.T) {
	_, a := newAdapter()
	batch := make(chan struct{})
	go func() { // a loop in a beat-model batch, which does not see ctx
		defer close(a.done)
		<-batch
	}()
	g := &gui{adapt: a}
	returned := make(chan (<-chan struct{}), 1)
	go func() { returned <- g.stopAdapter() }()
	var released <-chan struct{}
	select {
	case released = <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("stopAdapter waited for the running batch")
	}
	select {
	case <-released:
		t.Fatal("released before the loop ended")
	default:
	}
	close(batch)
	select {
	case <-released:
	case <-time.After(5 * time.Second):
		t.Fatal("not released after the loop ended")
	}
	if g.adapt != nil || !isClosed(g.stopAdapter()) {
		t.Error("a stopped window's adapter is not gone")
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// TestAdapterOptionsCarryClusters: the adapter runs with the product's
// options and the record's switch; once the templates hand it their
// clusters, each beat's look-alike group is its card, and a beat of no
// card has none.
func TestAdapterOptionsCarryClusters(t *testing.T) {
	_, a := newAdapter()
	defer a.cancel()
	if o := a.options(); o.Group != nil || o.Neighbours != adapt.ProductNeighbours || o.MinConfidence != adapt.ProductMinConfidence || o.Off {
		t.Fatalf("before the templates: %+v", o)
	}
	a.off.Store(true)
	a.setGroups([]cluster.Cluster{{ID: 3, Beats: []int64{100, 300}}, {ID: 7, Beats: []int64{200}}})
	o := a.options()
	if !o.Off || o.Group == nil {
		t.Fatalf("after the templates: %+v", o)
	}
	for _, c := range []struct {
		at   int64
		want int
		ok   bool
	}{{100, 3, true}, {200, 7, true}, {300, 3, true}, {400, 0, false}} {
		if g, ok := o.Group(c.at); g != c.want || ok != c.ok {
			t.Errorf("beat %d: group %d %v, want %d %v", c.at, g, ok, c.want, c.ok)
		}
	}
}
