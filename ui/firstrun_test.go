package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// TestGuideTakesKeys: while the getting-started guide is open a label key
// relabels nothing (the guide takes every key); Esc closes it and gives
// the keys back to the strip; its box reports each change.
func TestGuideTakesKeys(t *testing.T) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyRight))
	_, _, _, sel := r.Strip.Selection()
	var hidden []bool
	r.ShowGuide(false, func(on bool) { hidden = append(hidden, on) })
	if !r.GuideOpen() {
		t.Fatal("the guide did not open")
	}
	press(w, ch('v'))
	if b, _ := s.Beat(sel); b.Prov.Source == annotate.SourceReader {
		t.Fatalf("v under the guide relabelled the beat at %d", sel)
	}
	r.SetGuideHidden(true)
	press(w, k(fyne.KeyEscape))
	if r.GuideOpen() || len(hidden) != 1 || !hidden[0] {
		t.Fatalf("after the box and Esc: open %v, box changes %v", r.GuideOpen(), hidden)
	}
	press(w, ch('v'))
	if b, _ := s.Beat(sel); b.Prov.Source != annotate.SourceReader || b.Code != annotate.PVC {
		t.Errorf("after the guide closed, v did not relabel the selected beat: %+v", b)
	}
}

// TestGuideGolden renders the guide over the record screen.
func TestGuideGolden(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	r.ShowGuide(false, nil)
	test.AssertRendersToImage(t, "guide_light.png", w.Canvas())
}
