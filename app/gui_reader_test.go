package main

import (
	"io"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// TestReaderSwitch opens a record as alice, relabels a beat, then picks
// bob in the tool bar's reader list: the record opens again with bob's own
// label set (the model's labels, not alice's edit), his edit goes to his
// set, alice's set keeps exactly her edit, the list names bob and offers
// alice, and the preference keeps bob for the next start. Picking the
// reader already shown changes nothing.
func TestReaderSwitch(t *testing.T) {
	dir := t.TempDir()
	hea, dbPath, id := seededRecord(t, dir)
	a := newTestApp(t)
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := &gui{app: a, db: db, reader: "alice", screen: ui.NewRecordScreen(), stderr: io.Discard}
	g.opts.noPreannotate = true
	g.screen.Inline = true
	g.win = test.NewTempWindow(t, g.screen.Content())
	g.win.Resize(fyne.NewSize(1300, 700))
	g.screen.SetWindow(g.win)
	g.wireScreen()
	t.Cleanup(func() { g.close() })
	open := func(path string) { // as load does, waiting for the overview's build before the labels open:
		rec, err := store.Open(path) // the test driver runs its repaints on the build's goroutine
		if err != nil {
			t.Fatal(err)
		}
		g.show(rec, nil)
		select {
		case <-g.screen.Ready():
		case <-time.After(30 * time.Second):
			t.Fatal("overview not built within 30 s")
		}
		g.openLabels(rec)
	}
	open(hea)
	first := relabelFirst(t, g, 'v')
	if _, ok := g.readAs("alice"); ok {
		t.Error("picking the reader shown opens the record again")
	}
	path, ok := g.readAs("bob")
	if !ok {
		t.Fatal("picking bob does not open the record again")
	}
	open(path)
	if g.session.Reader() != "bob" || g.screen.Reader() != "bob" {
		t.Fatalf("after the switch the session is %s's and the list shows %q", g.session.Reader(), g.screen.Reader())
	}
	if b, _ := g.session.Beat(first); b.Prov.Source == annotate.SourceReader {
		t.Errorf("bob's set shows alice's edit at %d: %+v", first, b)
	}
	if sel := findSelect(g.win.Content(), ui.AnotherReader); sel == nil || sel.Selected != "bob" ||
		len(sel.Options) != 3 || sel.Options[0] != "alice" || sel.Options[1] != "bob" {
		t.Errorf("the reader list: %+v", sel)
	}
	relabelFirst(t, g, 'q')
	if p := ui.LoadPrefs(a.Preferences()); p.Reader != "bob" {
		t.Errorf("the preference keeps %q", p.Reader)
	}
	for _, c := range []struct {
		reader annotate.ReaderID
		code   annotate.Code
	}{{"alice", annotate.PVC}, {"bob", annotate.Unknown}} {
		ls, _, err := db.Labels(id, c.reader)
		if err != nil {
			t.Fatal(err)
		}
		var edits []annotate.Beat
		for _, b := range ls.Beats {
			if b.Prov.Source == annotate.SourceReader {
				edits = append(edits, b)
			}
		}
		if len(edits) != 1 || edits[0].Sample != first || edits[0].Code != c.code || edits[0].Prov.Who != string(c.reader) {
			t.Errorf("%s's set holds the reader edits %+v, want one %s at %d", c.reader, edits, c.code, first)
		}
	}
}

// relabelFirst selects the first beat on the strip and presses key; it
// returns the beat's sample.
func relabelFirst(t *testing.T, g *gui, key rune) int64 {
	t.Helper()
	g.win.Canvas().Focus(g.screen.Strip)
	g.screen.Strip.TypedKey(&fyne.KeyEvent{Name: fyne.KeyHome})
	g.screen.Strip.TypedRune(key)
	_, _, _, s := g.screen.Strip.Selection()
	return s
}
