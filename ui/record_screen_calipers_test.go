package ui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TestCaliperNeverEdits measures on the record screen with every caliper
// key and a drag on a beat's marker, and checks that the labels, the
// session's revision and its undo history are what they were: a caliper
// is display only. Esc removes the caliper first and keeps the selection;
// after it the arrows and Esc are the record screen's again.
func TestCaliperNeverEdits(t *testing.T) {
	r, sess, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyRight))
	selA, selB, _, cur := r.Strip.Selection()
	labels, rev := sess.Labels(), sess.Revision()
	undo, redo := sess.History()

	press(w, ch('k'), k(fyne.KeyRight), k(fyne.KeyRight), shiftK(fyne.KeyRight), k(fyne.KeyDown), ch('K'))
	c, on := r.Strip.Caliper()
	if !on || c.A != cur || c.B <= c.A || c.Lead != 1 || !r.Strip.MarchOut() {
		t.Fatalf("after k → → Shift+→ ↓ K: caliper %+v shown %v march-out %v, want one from the cursor %d on lead 2, marched out",
			c, on, r.Strip.MarchOut(), cur)
	}
	if !strings.Contains(r.StatusText(), "Caliper") && !strings.Contains(r.StatusText(), "caliper") {
		t.Errorf("status line %q does not say how to use the caliper", r.StatusText())
	}
	if a, b, _, c2 := r.Strip.Selection(); a != selA || b != selB || c2 != cur {
		t.Errorf("the caliper's arrows moved the selection to [%d,%d] cursor %d, was [%d,%d] cursor %d", a, b, c2, selA, selB, cur)
	}
	dragStrip(r.Strip, r.Strip.xOf(selA), labelBand/2, 30, 0) // a beat's marker: a move without the caliper
	press(w, k(fyne.KeyEscape))
	if _, on := r.Strip.Caliper(); on || r.Strip.MarchOut() {
		t.Fatal("Esc did not remove the caliper")
	}
	if _, _, ok, _ := r.Strip.Selection(); !ok {
		t.Error("the Esc that removed the caliper also cleared the selection")
	}
	if got := sess.Labels(); sess.Revision() != rev || !reflect.DeepEqual(got, labels) {
		t.Errorf("the caliper changed the labels: revision %d, was %d", sess.Revision(), rev)
	}
	if u, rd := sess.History(); u != undo || rd != redo {
		t.Errorf("the caliper left undo history %d/%d, was %d/%d", u, rd, undo, redo)
	}
	checkMirror(t, r, sess)
	press(w, k(fyne.KeyRight))
	if a, _, _, _ := r.Strip.Selection(); a <= selA {
		t.Errorf("after the caliper → selects beat %d, want the one after %d", a, selA)
	}
	press(w, k(fyne.KeyEscape))
	if _, _, ok, _ := r.Strip.Selection(); ok {
		t.Error("a second Esc did not clear the selection")
	}
}

// TestCaliperOnDisclosure: k and K on the full-disclosure page say where
// calipers work and place none.
func TestCaliperOnDisclosure(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyF2), ch('k'))
	if _, on := r.Strip.Caliper(); on || !strings.Contains(r.StatusText(), "strip") {
		t.Errorf("k on the full disclosure: caliper shown %v, status %q", on, r.StatusText())
	}
	press(w, ch('K'))
	if r.Strip.MarchOut() || !strings.Contains(r.StatusText(), "caliper") {
		t.Errorf("K without a caliper: march-out %v, status %q", r.Strip.MarchOut(), r.StatusText())
	}
}

// TestCaliperEscOrder: Esc undoes the innermost thing first: a pending ;
// chord, then the caliper, then the selection.
func TestCaliperEscOrder(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyRight), ch('k'), ch(';'), k(fyne.KeyEscape))
	if _, on := r.Strip.Caliper(); r.keys.chord || !on {
		t.Fatalf("first Esc: chord pending %v, caliper shown %v; want the chord cancelled, the caliper kept", r.keys.chord, on)
	}
	press(w, k(fyne.KeyEscape))
	if _, on := r.Strip.Caliper(); on {
		t.Fatal("second Esc did not remove the caliper")
	}
	if _, _, ok, _ := r.Strip.Selection(); !ok {
		t.Fatal("second Esc cleared the selection with the caliper")
	}
	press(w, k(fyne.KeyEscape))
	if _, _, ok, _ := r.Strip.Selection(); ok {
		t.Error("third Esc did not clear the selection")
	}
}
