package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
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

// TestRhythmTrackNames: the overview's rhythm tracks are named in words,
// the same words the report uses ("trigeminy", not "T"; "tachycardia",
// not "TACHY").
func TestRhythmTrackNames(t *testing.T) {
	r, _, _ := newTestScreen(t, theme.VariantLight)
	r.newEpisode(60*250, 200*250, "T")
	r.newEpisode(300*250, 1000*250, "TACHY")
	words := map[string]string{"T": "trigeminy", "TACHY": "tachycardia"}
	for _, tr := range layoutTracks(r.labels) {
		if w, ok := words[tr.rhythm]; ok && tr.name != w {
			t.Errorf("the %s track is named %q, want %q", tr.rhythm, tr.name, w)
		}
		delete(words, tr.rhythm)
	}
	if len(words) > 0 {
		t.Errorf("no track for %v", words)
	}
}
