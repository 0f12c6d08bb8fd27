package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// statusSep separates the parts of a status line ("105  ·  WFDB, ...").
const statusSep = "  ·  "

// statusLine is the record screen's status line: one line of text cut
// with an ellipsis where the window is too narrow, as a truncating label
// shows it. It draws each part between separators as a text of its own:
// the window renders a text once per distinct string and keeps it, so
// paging the strip re-renders only the part naming the view's times, not
// the whole line (about 120 characters shaped and rasterised every frame
// before: 1.9 ms of a busy frame's median under software GL, measured).
type statusLine struct {
	widget.BaseWidget
	// Text is the line as set, parts and separators included.
	Text string
}

// newStatusLine returns an empty status line.
func newStatusLine() *statusLine {
	s := &statusLine{}
	s.ExtendBaseWidget(s)
	return s
}

// SetText shows text; the same text again does nothing.
func (s *statusLine) SetText(text string) {
	if text == s.Text {
		return
	}
	s.Text = text
	s.Refresh()
}

// statusParts cuts text after each separator, the separator kept with the
// part before it, so the parts drawn one after another read as text.
func statusParts(text string) []string {
	if text == "" {
		return nil
	}
	parts := strings.SplitAfter(text, statusSep)
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// CreateRenderer implements fyne.Widget.
func (s *statusLine) CreateRenderer() fyne.WidgetRenderer {
	r := &statusRenderer{s: s, ellipsis: &canvas.Text{Text: "…"}}
	r.Refresh()
	return r
}

// statusRenderer lays the parts out from the left and ends the line with
// an ellipsis after the last part that fits whole with it.
type statusRenderer struct {
	s        *statusLine
	parts    []*canvas.Text // the first len(texts) show the line's parts
	texts    []string       // the line's parts
	ellipsis *canvas.Text
	objects  []fyne.CanvasObject
	size     fyne.Size
}

// Objects implements fyne.WidgetRenderer.
func (r *statusRenderer) Objects() []fyne.CanvasObject { return r.objects }

// Destroy implements fyne.WidgetRenderer.
func (r *statusRenderer) Destroy() {}

// MinSize implements fyne.WidgetRenderer: one line high; the width shrinks
// to the ellipsis, as a truncating label's does.
func (r *statusRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	h := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(r.ellipsis.MinSize().Width+2*pad, h+2*pad)
}

// Refresh implements fyne.WidgetRenderer: one text per part, in the
// theme's colour and size.
func (r *statusRenderer) Refresh() {
	r.texts = statusParts(r.s.Text)
	for len(r.parts) < len(r.texts) {
		r.parts = append(r.parts, &canvas.Text{})
	}
	fg, size := theme.Color(theme.ColorNameForeground), theme.TextSize()
	r.objects = r.objects[:0]
	for _, t := range r.parts {
		t.Color, t.TextSize = fg, size
		r.objects = append(r.objects, t)
	}
	r.ellipsis.Color, r.ellipsis.TextSize = fg, size
	r.objects = append(r.objects, r.ellipsis)
	r.Layout(r.size)
	canvas.Refresh(r.s)
}

// Layout implements fyne.WidgetRenderer: every part when the line fits,
// else the parts that fit before an ellipsis, the first part cut short
// (without its separator) when that fits, as "page 1 of 5 …".
func (r *statusRenderer) Layout(size fyne.Size) {
	r.size = size
	pad := theme.InnerPadding()
	right := size.Width - pad
	var total float32
	for i, t := range r.parts[:len(r.texts)] {
		t.Text = r.texts[i]
		total += t.MinSize().Width
	}
	cut := pad+total > right
	if cut {
		right -= r.ellipsis.MinSize().Width
	}
	x, shown := pad, true
	for i, t := range r.parts {
		switch {
		case !shown || i >= len(r.texts):
			t.Hide()
		case x+t.MinSize().Width <= right:
			x = r.place(t, x)
		default: // the first part that does not fit: cut short, or hidden
			shown = false
			t.Text = strings.TrimSuffix(t.Text, statusSep) + " "
			if len(t.Text) > len(r.texts[i]) || x+t.MinSize().Width > right {
				t.Hide()
				continue
			}
			x = r.place(t, x)
		}
	}
	r.ellipsis.Hidden = !cut
	r.ellipsis.Move(fyne.NewPos(x, pad))
	r.ellipsis.Resize(r.ellipsis.MinSize())
}

// place shows t at x and returns where the next text goes.
func (r *statusRenderer) place(t *canvas.Text, x float32) float32 {
	w := t.MinSize().Width
	t.Move(fyne.NewPos(x, theme.InnerPadding()))
	t.Resize(fyne.NewSize(w, t.MinSize().Height))
	t.Show()
	return x + w
}
