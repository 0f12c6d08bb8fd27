package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// TestMergeKeepsViewAndSelection merges new model labels while the reader
// has a beat selected: the labels show, the view and the selection stay.
func TestMergeKeepsViewAndSelection(t *testing.T) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyRight), k(fyne.KeyRight))
	a0, b0 := r.Strip.View()
	sa, sb, ok, c := r.Strip.Selection()
	far := s.BeatsIn(600*250, 601*250) // ten minutes away, not in view
	for i := range far {
		far[i].Code, far[i].Prov = annotate.PVC, annotate.Provenance{Source: annotate.SourceModel, Who: "beat@2", Confidence: 0.8}
	}
	if _, err := s.MergeModel(annotate.ModelOutput{Beats: far}); err != nil {
		t.Fatal(err)
	}
	r.Changed()
	if a, b := r.Strip.View(); a != a0 || b != b0 {
		t.Errorf("view moved from [%d,%d) to [%d,%d)", a0, b0, a, b)
	}
	if a, b, ok2, c2 := r.Strip.Selection(); a != sa || b != sb || ok2 != ok || c2 != c {
		t.Errorf("selection moved from %d-%d (cursor %d) to %d-%d (cursor %d)", sa, sb, c, a, b, c2)
	}
	if got := r.labels.BeatsIn(600*250, 601*250); len(got) == 0 || got[0].Code != annotate.PVC {
		t.Errorf("merged labels not shown: %v", got)
	}
	checkMirror(t, r, s)
}

// TestEpisodeDrag drags the AFIB episode's onset 50 units back on the
// episode track, in two moves as the window reports them (the pointer's
// position now and the distance since the last event).
func TestEpisodeDrag(t *testing.T) {
	r, s, _ := newTestScreen(t, theme.VariantLight)
	r.Strip.ScrollTo(118 * 250)
	onset := int64(120 * 250)
	x := r.Strip.xOf(onset)
	for _, step := range []float32{-5, -45} {
		x += step
		r.Episodes.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, episodeHeight/2)},
			Dragged: fyne.Delta{DX: step}})
	}
	r.Episodes.DragEnd()
	want := onset - int64(50*r.Strip.samplesPerUnit())
	for _, e := range s.Episodes() {
		if e.Rhythm == "AFIB" && (e.Start < want-3 || e.Start > want+3 || e.End != 240*250) {
			t.Errorf("AFIB after the drag [%d,%d), want [%d,%d)", e.Start, e.End, want, 240*250)
		}
	}
	checkMirror(t, r, s)
}

// TestHelpOverlay opens the help with F1, checks it lists the keys of
// every binding, and closes it with Esc.
func TestHelpOverlay(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyF1))
	if !r.HelpOpen() {
		t.Fatal("F1 did not open the help")
	}
	shown := map[string]bool{}
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			shown[l.Text] = true
		}
	}
	for _, s := range Shortcuts() {
		if !shown[s.Keys] || !shown[s.Help] {
			t.Errorf("help does not list %q: %q", s.Keys, s.Help)
		}
	}
	press(w, k(fyne.KeyEscape))
	if r.HelpOpen() || w.Canvas().Overlays().Top() != nil {
		t.Error("Esc did not close the help")
	}
}

// TestSignOffAsks checks sign-off asks first and signs off on Yes.
func TestSignOffAsks(t *testing.T) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	r.SignOff()
	if s.Status().State == annotate.StateSignedOff {
		t.Fatal("signed off before the reader confirmed")
	}
	var yes *widget.Button
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Yes" {
			yes = b
		}
	}
	if yes == nil {
		t.Fatal("no confirm dialog with a Yes button")
	}
	test.Tap(yes)
	if st := s.Status(); st.State != annotate.StateSignedOff || st.By != "alice" {
		t.Errorf("status %+v, want signed off by alice", st)
	}
}

// TestStripBeatDrag drags a beat's marker in the label band 10 units on:
// the beat moves there (no snapping without Snap).
func TestStripBeatDrag(t *testing.T) {
	r, s, _ := newTestScreen(t, theme.VariantLight)
	a, b := r.Strip.View()
	from := s.BeatsIn(a, b)[1].Sample
	x := r.Strip.xOf(from)
	for _, step := range []float32{4, 6} {
		x += step
		r.Strip.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, labelBand/2)},
			Dragged: fyne.Delta{DX: step}})
	}
	r.Strip.DragEnd()
	to := r.Strip.sampleAt(r.Strip.xOf(from) + 10)
	if _, ok := s.Beat(from); ok {
		t.Errorf("beat still at %d", from)
	}
	if got := s.BeatsIn(to-2, to+3); len(got) != 1 || got[0].Review != annotate.Changed {
		t.Errorf("beats near %d after the drag: %+v, want the moved beat, changed by the reader", to, got)
	}
	checkMirror(t, r, s)
}
