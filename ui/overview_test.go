package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// TestRecordScreen opens a record on the screen, waits for the background
// pyramid build, and checks that the overview follows the strip and that
// clicking the overview moves the strip there.
func TestRecordScreen(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), theme.VariantLight})
	sig := tracetest.New(250, 2, 2*time.Hour)
	r := NewRecordScreen()
	t.Cleanup(r.Close)
	w := test.NewTempWindow(t, r.Content())
	w.Resize(fyne.NewSize(1000, 500))
	var seen [2]int64
	r.OnViewChanged = func(a, b int64) { seen = [2]int64{a, b} }
	r.SetRecord(sig, NewLabels(sig.Beats()))
	select {
	case <-r.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("pyramid not built within 30 s")
	}
	a, b := r.Strip.View()
	if oa, ob := r.Overview.Window(); oa != a || ob != b {
		t.Errorf("overview window [%d,%d), strip shows [%d,%d)", oa, ob, a, b)
	}
	// Click the middle of the overview: the strip centres on 1 h.
	ov := r.Overview
	test.TapAt(ov, fyne.NewPos(overviewGutter+(ov.Size().Width-overviewGutter)/2, ov.Size().Height/2))
	a, b = r.Strip.View()
	if mid := (a + b) / 2; mid < 3600*250-300 || mid > 3600*250+300 {
		t.Errorf("after a click at the middle the strip shows [%d,%d), want it centred on sample %d", a, b, 3600*250)
	}
	if seen != [2]int64{a, b} {
		t.Errorf("OnViewChanged last saw %v, strip shows [%d,%d)", seen, a, b)
	}
	if oa, ob := ov.Window(); oa != a || ob != b {
		t.Errorf("overview window [%d,%d) after the jump, strip shows [%d,%d)", oa, ob, a, b)
	}
	test.AssertObjectRendersToImage(t, "overview_light.png", ov)
}

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
