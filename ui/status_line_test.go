package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestStatusParts(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"Nothing to undo.", []string{"Nothing to undo."}},
		{"105  ·  WFDB, 360 Hz  ·  0:20:48 – 0:20:59",
			[]string{"105  ·  ", "WFDB, 360 Hz  ·  ", "0:20:48 – 0:20:59"}},
		{"a  ·  ", []string{"a  ·  "}},
		{"a · b", []string{"a · b"}}, // a lone middle dot is text, not a separator
	} {
		got := statusParts(c.text)
		if !slices.Equal(got, c.want) {
			t.Errorf("statusParts(%q) = %q, want %q", c.text, got, c.want)
		}
		if strings.Join(got, "") != c.text {
			t.Errorf("statusParts(%q) does not join back", c.text)
		}
	}
}

// TestStatusLineLayout lays a status line out wide and narrow: wide, every
// part shows in order, left to right, with no ellipsis; narrow, the parts
// that fit show, then the ellipsis, and nothing runs past the right edge.
func TestStatusLineLayout(t *testing.T) {
	test.NewTempApp(t)
	s := newStatusLine()
	s.SetText("105  ·  WFDB, 360 Hz, 30m6s, 2587 beats  ·  0:20:48 – 0:20:59  ·  25 mm/s  ·  cursor at 0:20:53.6")
	r := test.TempWidgetRenderer(t, s).(*statusRenderer)
	for _, c := range []struct {
		width float32
		cut   bool
	}{{2000, false}, {300, true}, {0, true}} {
		c.width = max(c.width, s.MinSize().Width) // 0: the narrowest the window lays it out
		s.Resize(fyne.NewSize(c.width, s.MinSize().Height))
		r.Layout(s.Size())
		var shown []string
		x := float32(0)
		for _, p := range r.parts[:len(r.texts)] {
			if !p.Visible() {
				continue
			}
			if p.Position().X < x {
				t.Errorf("width %v: %q drawn at %v, left of the part before it (ends at %v)", c.width, p.Text, p.Position().X, x)
			}
			x = p.Position().X + p.Size().Width
			shown = append(shown, p.Text)
		}
		if r.ellipsis.Visible() != c.cut {
			t.Errorf("width %v: ellipsis shown %v, want %v", c.width, r.ellipsis.Visible(), c.cut)
		}
		if c.cut {
			x = r.ellipsis.Position().X + r.ellipsis.MinSize().Width
		}
		if !c.cut && strings.Join(shown, "") != s.Text {
			t.Errorf("width %v: shows %q, want the whole line", c.width, strings.Join(shown, ""))
		}
		if c.cut && (len(shown) == len(r.texts) || x > c.width) {
			t.Errorf("width %v: %d of %d parts shown, line ends at %v", c.width, len(shown), len(r.texts), x)
		}
	}
	s.Resize(fyne.NewSize(2000, s.MinSize().Height))
	s.SetText("Nothing to undo.")
	if len(r.texts) != 1 || !r.parts[0].Visible() || r.parts[1].Visible() {
		t.Errorf("after a shorter text: %d parts, want the one", len(r.texts))
	}
}
