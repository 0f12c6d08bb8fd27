package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// slowEditor holds every command until the test lets it through, as a
// model merge holding the session's lock would; fail makes it refuse.
type slowEditor struct {
	*annotate.Session
	gate chan struct{}
	fail error
	rev  uint64 // the revision it reports: its screen's watcher never reads
}

// Revision keeps the revision the session had when the test began, so
// that only the edit queue posts to the test's UI goroutine.
func (e *slowEditor) Revision() uint64 { return e.rev }

func (e *slowEditor) Run(c annotate.Command) (annotate.Diff, annotate.Head, error) {
	<-e.gate
	if e.fail != nil {
		_, h := e.Session.Read()
		return annotate.Diff{}, h, e.fail
	}
	return e.Session.Run(c)
}

// queuedScreen is newTestScreen with its edits on the label view's queue,
// the slow editor, and the UI goroutine played by the test: what the view
// posts arrives on the returned channel.
func queuedScreen(t *testing.T, fail error) (*RecordScreen, *slowEditor, fyne.Window, chan func()) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	ed := &slowEditor{Session: s, gate: make(chan struct{}), fail: fail, rev: s.Revision()}
	posted := make(chan func(), 16)
	r.Inline = false
	r.post = func(f func()) { posted <- f }
	r.SetEditor(ed)
	return r, ed, w, posted
}

// TestEditShowsAtOnce checks that a relabel shows at once, marked as being
// saved, while the editor has not stored it, and as done after.
func TestEditShowsAtOnce(t *testing.T) {
	r, ed, w, posted := queuedScreen(t, nil)
	press(w, k(fyne.KeyRight))
	a, _, _, _ := r.Strip.Selection()
	press(w, ch('v'))
	if b, _ := r.labels.Beat(a); b.Code != annotate.PVC || !r.labels.Pending(a) || r.labels.Saving() != 1 {
		t.Errorf("before the store: screen shows %s (pending %v, saving %d), want V being saved", b.Code, r.labels.Pending(a), r.labels.Saving())
	}
	if b, _ := ed.Beat(a); b.Code == annotate.PVC {
		t.Fatal("the session has the V before the editor ran")
	}
	press(w, k(fyne.KeyRight)) // the reader moves on while it waits
	ed.gate <- struct{}{}
	(<-posted)()
	if b, _ := ed.Beat(a); b.Code != annotate.PVC || b.Prov.Source != annotate.SourceReader {
		t.Errorf("after the store the session has %s by %s", b.Code, b.Prov.Source)
	}
	if r.labels.Pending(a) || r.labels.Saving() != 0 {
		t.Errorf("after the store the beat is still marked as being saved")
	}
	checkMirror(t, r, ed.Session)
	r.Close()
}

// TestEditRefusedIsTakenBack checks that an edit the editor refuses
// disappears from the screen and the reader is told.
func TestEditRefusedIsTakenBack(t *testing.T) {
	r, ed, w, posted := queuedScreen(t, errors.New("disk full"))
	press(w, k(fyne.KeyRight))
	a, _, _, _ := r.Strip.Selection()
	b, _ := r.labels.Beat(a)
	before := b.Code
	press(w, ch('v'))
	ed.gate <- struct{}{}
	(<-posted)()
	if b, _ := r.labels.Beat(a); b.Code != before || r.labels.Pending(a) {
		t.Errorf("refused relabel: screen shows %s (pending %v), want %s back", b.Code, r.labels.Pending(a), before)
	}
	if !strings.Contains(r.status.Text, "disk full") {
		t.Errorf("status %q does not say why", r.status.Text)
	}
	checkMirror(t, r, ed.Session)
	r.Close()
}
