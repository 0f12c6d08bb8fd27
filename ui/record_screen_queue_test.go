package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// slowEditor holds every relabel until the test lets it through, as a
// model merge holding the session's lock would; fail makes it refuse.
type slowEditor struct {
	*annotate.Session
	gate chan struct{}
	fail error
}

func (e *slowEditor) Relabel(s []int64, c annotate.Code, why string) error {
	<-e.gate
	if e.fail != nil {
		return e.fail
	}
	return e.Session.Relabel(s, c, why)
}

// queuedScreen is newTestScreen with its edits on the queue, the slow
// editor, and the UI goroutine played by the test: what the queue posts
// arrives on the returned channel.
func queuedScreen(t *testing.T, fail error) (*RecordScreen, *slowEditor, fyne.Window, chan func()) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	ed := &slowEditor{Session: s, gate: make(chan struct{}), fail: fail}
	posted := make(chan func(), 16)
	r.Inline = false
	r.post = func(f func()) { posted <- f }
	r.SetEditor(ed)
	r.stopWatch() // only the queue talks to the test here
	return r, ed, w, posted
}

// TestEditShowsAtOnce checks that a relabel shows at once, marked as being
// saved, while the editor has not stored it, and as done after.
func TestEditShowsAtOnce(t *testing.T) {
	r, ed, w, posted := queuedScreen(t, nil)
	press(w, k(fyne.KeyRight))
	a, _, _, _ := r.Strip.Selection()
	press(w, ch('v'))
	i := r.labels.beatAt(a)
	if b := r.labels.beats[i]; b.Code != annotate.PVC || !r.labels.Pending(a) || r.Saving() != 1 {
		t.Errorf("before the store: screen shows %s (pending %v, saving %d), want V being saved", b.Code, r.labels.Pending(a), r.Saving())
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
	if r.labels.Pending(a) || r.Saving() != 0 {
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
	before := r.labels.beats[r.labels.beatAt(a)].Code
	press(w, ch('v'))
	ed.gate <- struct{}{}
	(<-posted)()
	if got := r.labels.beats[r.labels.beatAt(a)].Code; got != before || r.labels.Pending(a) {
		t.Errorf("refused relabel: screen shows %s (pending %v), want %s back", got, r.labels.Pending(a), before)
	}
	if !strings.Contains(r.status.Text, "disk full") {
		t.Errorf("status %q does not say why", r.status.Text)
	}
	checkMirror(t, r, ed.Session)
	r.Close()
}
