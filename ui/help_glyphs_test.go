package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"golang.org/x/image/font/sfnt"
)

// TestHelpGlyphs: every character of the help overlay (the keys in the
// monospace font, what they do in the regular one) is in the theme's
// font, so none is drawn as a blob (the "↔" of F2 was).
func TestHelpGlyphs(t *testing.T) {
	th := NewTheme()
	fonts := map[string]*sfnt.Font{}
	for name, style := range map[string]fyne.TextStyle{"regular": {}, "monospace": {Monospace: true}} {
		f, err := sfnt.Parse(th.Font(style).Content())
		if err != nil {
			t.Fatalf("the theme's %s font: %v", name, err)
		}
		fonts[name] = f
	}
	var buf sfnt.Buffer
	check := func(font, text string) {
		for _, r := range text {
			if i, err := fonts[font].GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("%q of %q has no glyph in the %s font", r, text, font)
			}
		}
	}
	for _, s := range Shortcuts() {
		check("monospace", s.Keys)
		check("regular", s.Help)
	}
}
