package main

import (
	"io"
	"slices"
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
	g, db := newReaderGUI(t, dbPath)
	open := func(path string) { openAs(t, g, g.newLoad(path)) }
	open(hea)
	first := relabelFirst(t, g, 'v')
	if _, ok := g.readAs("alice"); ok {
		t.Error("picking the reader shown opens the record again")
	}
	req, ok := g.pickReader("bob")
	if !ok {
		t.Fatal("picking bob does not open the record again")
	}
	openAs(t, g, req)
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
	if p := ui.LoadPrefs(g.app.Preferences()); p.Reader != "bob" {
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

// TestReaderSwitchTwice picks bob and then carol before bob's labels
// opened, in the two orders the loads can finish: the list is off from the
// first pick, and whichever load finishes last, carol's labels show, the
// list names her, the models read the record's stored leads (not the
// defaults an overtaken load would leave), and an edit goes to carol's set
// and not to bob's.
func TestReaderSwitchTwice(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, g *gui, bob, carol loadReq)
	}{
		{"bob finishes last", func(t *testing.T, g *gui, bob, carol loadReq) {
			openAs(t, g, carol)
			shown := g.rec
			g.load(bob) // the window's loader: an overtaken request shows nothing
			if g.rec != shown {
				t.Error("bob's overtaken load shows its record")
			}
		}},
		{"bob shown before carol's pick", nil}, // run below: bob's record shows, his labels open after carol's
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			hea, dbPath, id := seededRecord(t, dir)
			g, db := newReaderGUI(t, dbPath)
			model := []int{1} // the second lead only: not the default
			if err := db.SetRecordSettings(id, store.RecordSettings{ModelLeads: model}, "alice"); err != nil {
				t.Fatal(err)
			}
			openAs(t, g, g.newLoad(hea))
			bob, ok := g.pickReader("bob")
			if !ok {
				t.Fatal("picking bob opens nothing")
			}
			if sel := findSelect(g.win.Content(), ui.AnotherReader); sel == nil || !sel.Disabled() {
				t.Fatal("the reader list stays on while bob's labels open")
			}
			if c.run != nil {
				carol, _ := g.pickReader("carol")
				c.run(t, g, bob, carol)
			} else {
				rec, err := store.Open(bob.path)
				if err != nil {
					t.Fatal(err)
				}
				g.showNewest(bob, rec)
				carol, _ := g.pickReader("carol")
				openAs(t, g, carol)
				g.openLabels(rec, bob) // bob's load goes on after carol's finished
			}
			checkCarol(t, g, db, id, model)
		})
	}
}

// checkCarol checks that carol's labels show and take the edits, and that
// the models read the leads model.
func checkCarol(t *testing.T, g *gui, db *store.DB, id annotate.RecordID, model []int) {
	t.Helper()
	if g.session == nil || g.session.Reader() != "carol" || g.screen.Reader() != "carol" {
		t.Fatalf("the session is %v, the list shows %q: want carol's", g.session, g.screen.Reader())
	}
	if sel := findSelect(g.win.Content(), ui.AnotherReader); sel == nil || sel.Disabled() || sel.Selected != "carol" {
		t.Errorf("the reader list after the switch: %+v", sel)
	}
	if got := leadsOf(g.modelSignal(g.rec)); !slices.Equal(got, model) {
		t.Errorf("the models read leads %v, want the stored %v", got, model)
	}
	first := relabelFirst(t, g, 'v')
	for _, c := range []struct {
		reader annotate.ReaderID
		edits  int
	}{{"bob", 0}, {"carol", 1}} {
		ls, _, err := db.Labels(id, c.reader)
		if err != nil && c.edits > 0 {
			t.Fatal(err)
		}
		n := 0
		for _, b := range ls.Beats {
			if b.Prov.Source == annotate.SourceReader && b.Sample == first {
				n++
			}
		}
		if n != c.edits {
			t.Errorf("%s's set holds %d reader edits at %d, want %d", c.reader, n, first, c.edits)
		}
	}
}

// newReaderGUI returns a window with a record screen on the label
// database at dbPath, read as alice, the models off.
func newReaderGUI(t *testing.T, dbPath string) (*gui, *store.DB) {
	t.Helper()
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
	return g, db
}

// openAs does what load does with req, waiting for the overview's build
// before the labels open (the test driver runs its repaints on the
// build's goroutine); it returns the record it opened.
func openAs(t *testing.T, g *gui, req loadReq) *store.Recording {
	t.Helper()
	rec, err := store.Open(req.path)
	if err != nil {
		t.Fatal(err)
	}
	if !g.showNewest(req, rec) {
		return rec
	}
	select {
	case <-g.screen.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("overview not built within 30 s")
	}
	g.openLabels(rec, req)
	return rec
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
