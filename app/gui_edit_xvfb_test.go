package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// TestWindowEditsXvfb starts the real binary on a synthetic record with a
// temporary label database whose model layer is the record's reference
// labels, edits from the keyboard with xdotool (relabel, delete, insert,
// undo, redo, jump to the next V and relabel it), saves a screenshot,
// quits with Ctrl+Q, and checks the database holds exactly the expected
// labels. It runs where TestWindowXvfb runs.
func TestWindowEditsXvfb(t *testing.T) {
	s := startSeeded(t)
	w, win, display, dbPath, id, model := s.w, s.win, s.display, s.db, s.id, s.model

	w.key(t, win, "Right")
	b0 := w.sample(t, "select ")
	w.key(t, win, "v")
	w.expectEdit(t, "relabel", b0)
	w.key(t, win, "Right")
	b1 := w.sample(t, "select ")
	w.key(t, win, "Delete")
	w.expectEdit(t, "delete-beat", b1)
	w.expect(t, "select -1") // the cursor stays where the beat was
	w.key(t, win, "i")
	ins := w.sample(t, "edit insert-beat")
	if sel := w.sample(t, "select "); sel != ins {
		t.Errorf("after the insert %d is selected, want the new beat %d", sel, ins)
	}
	w.key(t, win, "ctrl+z")
	w.expect(t, "edit undo")
	w.key(t, win, "ctrl+shift+z")
	w.expect(t, "edit redo")
	w.key(t, win, "alt+v")
	v := w.sample(t, "select ")
	w.key(t, win, "q")
	w.expectEdit(t, "relabel", v)

	if b0 != model[0].Sample || b1 != model[1].Sample {
		t.Errorf("Right, Right selected %d and %d, want the first two beats %d and %d", b0, b1, model[0].Sample, model[1].Sample)
	}
	if wantV := firstV(model, ins); wantV < 0 || v != wantV {
		t.Errorf("Alt+V selected %d, want the first V after %d at %d", v, ins, wantV)
	}
	if d := ins - b1; d < -20 || d > 20 {
		t.Errorf("i inserted at %d, %d samples from the deleted beat %d", ins, d, b1)
	}
	shotDir := os.Getenv("ECGSTATION_SCREENSHOT_DIR")
	if shotDir == "" {
		shotDir = t.TempDir()
	}
	shot := filepath.Join(shotDir, "window-edits-xvfb.png")
	time.Sleep(300 * time.Millisecond) // the trace comes before the frame that shows the edit
	screenshot(t, display, shot)
	t.Logf("screenshot: %s", shot)
	checkNotBlank(t, shot)

	w.key(t, win, "ctrl+q")
	w.waitExit(t)
	checkDBLabels(t, dbPath, id, "xvfb", expectedLabels(model, ins, v))
}

// seeded is a real window on seededRecord, reader "xvfb", models off.
type seeded struct {
	w            *window
	win, display string
	db           string // the label database
	id           annotate.RecordID
	model        []annotate.Beat // the model layer
}

// startSeeded starts the binary on a seeded record and waits for its
// label session, or skips where real-window tests do not run.
func startSeeded(t *testing.T) seeded {
	if testing.Short() {
		t.Skip("real-window test skipped in -short mode")
	}
	s := seeded{display: xDisplay(t)}
	var hea string
	hea, s.db, s.id = seededRecord(t, t.TempDir())
	s.model = readModel(t, s.db, s.id)
	s.w = startWindow(t, buildBinary(t), s.display, hea, "--db", s.db, "--reader", "xvfb", "--no-preannotate")
	s.win = s.w.windowID(t)
	s.w.expect(t, "session-open-ms")
	return s
}

// readModel returns the model layer's beats of record id in the database.
func readModel(t *testing.T, path string, id annotate.RecordID) []annotate.Beat {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	return m.Beats
}

// sample waits for a traced line starting with prefix and returns its
// last number ("select 1234", "edit insert-beat [1234]").
func (w *window) sample(t *testing.T, prefix string) int64 {
	t.Helper()
	l := w.expect(t, prefix)
	f := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(l))
	n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	if err != nil {
		t.Fatalf("no sample in %q", l)
	}
	return n
}

// expectEdit waits for the trace of an edit of action on sample.
func (w *window) expectEdit(t *testing.T, action string, sample int64) {
	t.Helper()
	if got := w.sample(t, "edit "+action); got != sample {
		t.Errorf("%s on %d, want %d", action, got, sample)
	}
}

// waitExit waits for the process to end (after Ctrl+Q).
func (w *window) waitExit(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for range w.lines { // drain until stderr closes
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("ecgstation did not quit within 20 s of Ctrl+Q")
	}
}

// TestWindowReclassifiesXvfb starts the real binary (models on: the
// record's model run is already saved, so only the re-classification of
// edits runs), deletes the second beat and inserts it again from the
// keyboard, and waits for the trace of its re-classification merged
// ("reclassify-us N": from the stored insert to the merge committed). The
// model layer then holds the beat model's label on the inserted beat.
func TestWindowReclassifiesXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("real-window test skipped in -short mode")
	}
	needRuntime(t)
	display := xDisplay(t)
	dir := t.TempDir()
	hea, dbPath, id := seededRecord(t, dir)
	bin := buildBinary(t)
	w := startWindow(t, bin, display, hea, "--db", dbPath, "--reader", "xvfb")
	win := w.windowID(t)
	w.expect(t, "session-open-ms")
	w.key(t, win, "Right")
	w.key(t, win, "Right")
	w.key(t, win, "Delete")
	w.expect(t, "edit delete-beat")
	w.key(t, win, "i")
	ins := w.sample(t, "edit insert-beat")
	us := w.sample(t, "reclassify-us ")
	t.Logf("insert at %d re-classified and merged %d µs after it was stored", ins, us)
	w.key(t, win, "ctrl+q")
	w.waitExit(t)
	if b, ok := beatAt(readModel(t, dbPath, id), ins); !ok || b.Prov.Source != annotate.SourceModel || b.Prov.Who == "reference-as-model@1" {
		t.Errorf("model layer at the inserted beat %d: %+v (found %v), want the beat model's label", ins, b, ok)
	}
}
