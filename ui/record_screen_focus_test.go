package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// typeUnfocused sends a key (name) or a rune as the window does: to the
// focused widget, else to the canvas; it fails when the key goes nowhere.
func typeUnfocused(t *testing.T, w fyne.Window, name fyne.KeyName, r rune) {
	t.Helper()
	c := w.Canvas()
	switch f := c.Focused(); {
	case f != nil && r != 0:
		f.TypedRune(r)
	case f != nil:
		f.TypedKey(&fyne.KeyEvent{Name: name})
	case r != 0 && c.OnTypedRune() != nil:
		c.OnTypedRune()(r)
	case name != "" && c.OnTypedKey() != nil:
		c.OnTypedKey()(&fyne.KeyEvent{Name: name})
	default:
		t.Fatalf("key %q %q went nowhere: nothing has the focus and the window takes no keys", name, r)
	}
}

// TestKeysActAfterClicks clicks each region of the record screen that is
// not the strip (a click there takes the focus away, as the desktop
// driver does) and checks the documented keys still act: v relabels the
// beat the status line names, F1 opens the help, F2 turns to the full
// disclosure.
func TestKeysActAfterClicks(t *testing.T) {
	regions := []struct {
		name string
		tap  func(r *RecordScreen)
	}{
		{"overview bar", func(r *RecordScreen) {
			ov := r.Overview
			test.TapAt(ov, fyne.NewPos(overviewGutter+(ov.Size().Width-overviewGutter)/2, ov.Size().Height/2))
		}},
		{"episode track", func(r *RecordScreen) { test.TapAt(r.Episodes, fyne.NewPos(5, 5)) }},
		{"status line", func(*RecordScreen) {}},
	}
	for _, rg := range regions {
		t.Run(rg.name, func(t *testing.T) {
			r, sess, w := newTestScreen(t, theme.VariantLight)
			press(w, k(fyne.KeyRight)) // a beat at 1 min is selected
			w.Canvas().Unfocus()
			rg.tap(r)
			a, _, ok, _ := r.Strip.Selection()
			if !ok {
				t.Fatalf("no beat selected after the click; status %q", r.StatusText())
			}
			if va, vb := r.Strip.View(); a < va || a >= vb {
				t.Errorf("the selected beat %d is off the strip [%d,%d)", a, va, vb)
			}
			if want := trace.Clock(float64(a)/r.info.Fs, true); !strings.Contains(r.StatusText(), want) {
				t.Errorf("status %q does not name the selected beat at %s", r.StatusText(), want)
			}
			typeUnfocused(t, w, "", 'v')
			if b, _ := sess.Beat(a); b.Code != annotate.PVC {
				t.Errorf("v after a click on the %s: beat %d is %s, want V", rg.name, a, b.Code)
			}
			typeUnfocused(t, w, fyne.KeyF1, 0)
			if !r.HelpOpen() {
				t.Errorf("F1 after a click on the %s did not open the help", rg.name)
			}
			typeUnfocused(t, w, fyne.KeyEscape, 0)
			w.Canvas().Unfocus()
			typeUnfocused(t, w, fyne.KeyF2, 0)
			if r.mode != modeDisclosure {
				t.Errorf("F2 after a click on the %s did not show the full disclosure", rg.name)
			}
		})
	}
}
