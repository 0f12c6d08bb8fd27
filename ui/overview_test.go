package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestStripEmpty checks the strip without a record shows the hint and
// ignores keys.
func TestStripEmpty(t *testing.T) {
	test.NewTempApp(t)
	s := NewStrip()
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(400, 200))
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	s.TypedRune('+')
	if a, b := s.View(); a != 0 || b != 0 {
		t.Errorf("empty strip view [%d,%d), want [0,0)", a, b)
	}
	found := false
	for _, o := range test.LaidOutObjects(s) {
		if ct, ok := o.(*canvas.Text); ok && ct.Text == EmptyHint && ct.Visible() {
			found = true
		}
	}
	if !found {
		t.Errorf("empty strip does not show %q", EmptyHint)
	}
}
