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

// TestNoStaleSelection: a redone delete takes the selection band off the
// deleted beat (the cursor stays where it was), and a jump from the
// template or queue screen selects the beat it jumps to and says so on
// the status line (a gap: the cursor, with its time).
func TestNoStaleSelection(t *testing.T) {
	r, sess, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyRight))
	b, _, _, _ := r.Strip.Selection()
	press(w, k(fyne.KeyDelete), ctrlK(fyne.KeyZ, false))
	r.selectBeat(b) // a click on the restored beat
	press(w, ctrlK(fyne.KeyZ, true))
	if _, found := sess.Beat(b); found {
		t.Fatalf("redo did not delete beat %d again", b)
	}
	if _, _, ok, c := r.Strip.Selection(); ok || c != b {
		t.Errorf("after the redone delete the selection is on %v (cursor %d), want none and the cursor at %d", ok, c, b)
	}

	far, ok := first(sess, 600*250, func(annotate.Beat) bool { return true })
	if !ok {
		t.Fatal("no beat after 10 min")
	}
	r.ShowSample(far)
	if a, _, ok, _ := r.Strip.Selection(); !ok || a != far {
		t.Errorf("after the jump to %d the selection is %d (%v)", far, a, ok)
	}
	if want := "beat " + sess.BeatsIn(far, far+1)[0].Code.Symbol() + " at " + trace.Clock(float64(far)/250, true); !strings.Contains(r.StatusText(), want) {
		t.Errorf("after the jump the status says %q, want %q", r.StatusText(), want)
	}
	gap := far + 10
	r.ShowSample(gap)
	if want := "cursor at " + trace.Clock(float64(gap)/250, true); !strings.Contains(r.StatusText(), want) {
		t.Errorf("after the jump to a gap the status says %q, want %q", r.StatusText(), want)
	}
}
