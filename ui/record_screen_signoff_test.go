package ui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// overlayButton returns the button labelled text on the window's top
// overlay, nil when there is none.
func overlayButton(w fyne.Window, text string) *widget.Button {
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// overlayAsks reports whether the window's top overlay holds a label
// containing text.
func overlayAsks(w fyne.Window, text string) bool {
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			return true
		}
	}
	return false
}

// TestSignedOffAsksToReopen: an edit key on a signed-off record asks to
// reopen it and changes nothing; No leaves it signed off; Yes reopens it
// (audited by the session) and applies the edit; the next edit goes
// through without asking.
func TestSignedOffAsksToReopen(t *testing.T) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	r.do(annotate.SignOff{}, nil)
	signed := s.Status()
	if signed.State != annotate.StateSignedOff {
		t.Fatalf("status %+v, want signed off", signed)
	}
	a, b := r.Strip.View()
	view := s.BeatsIn(a, b)
	before := s.BeatsIn(0, 1<<62)
	press(w, k(fyne.KeyRight), ch('v'))
	if !overlayAsks(w, "signed off by alice") {
		t.Fatal("an edit key on a signed-off record did not ask to reopen it")
	}
	if s.Status() != signed || !reflect.DeepEqual(s.BeatsIn(0, 1<<62), before) {
		t.Fatal("the edit key changed a signed-off record before the reader answered")
	}
	no := overlayButton(w, "No")
	if no == nil {
		t.Fatal("no No button")
	}
	test.Tap(no)
	if s.Status() != signed {
		t.Fatalf("No reopened the record: %+v", s.Status())
	}
	press(w, ch('v'))
	yes := overlayButton(w, "Yes")
	if yes == nil {
		t.Fatal("the second edit key did not ask again while still signed off")
	}
	test.Tap(yes)
	if st := s.Status(); st.State != annotate.StateInProgress {
		t.Fatalf("after Yes status %+v, want in progress", st)
	}
	if e, ok := s.CanUndo(); !ok || e.Action != annotate.ActRelabel {
		t.Errorf("last command %+v, want the relabel after the reopening", e)
	}
	if got, _ := s.Beat(view[0].Sample); got.Code != annotate.PVC {
		t.Errorf("beat %d after Yes: %s, want V", view[0].Sample, got.Code)
	}
	press(w, k(fyne.KeyRight), ch('v'))
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("asked again after the record was reopened")
	}
	if got, _ := s.Beat(view[1].Sample); got.Code != annotate.PVC {
		t.Errorf("second beat %d: %s, want V without asking", view[1].Sample, got.Code)
	}
	checkMirror(t, r, s)
}
