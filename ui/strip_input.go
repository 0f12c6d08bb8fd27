package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Scroll steps, as fractions of the visible span.
const (
	arrowStep = 0.1
	pageStep  = 0.9
	wheelStep = 0.05 // per wheel notch (Fyne reports 10 units a notch)
)

var _ fyne.Scrollable = (*Strip)(nil)

// FocusGained implements fyne.Focusable.
func (s *Strip) FocusGained() {
	s.focused = true
	s.Refresh()
}

// FocusLost implements fyne.Focusable.
func (s *Strip) FocusLost() {
	s.focused = false
	s.Refresh()
}

// TypedKey scrolls with the arrows, Page Up/Down, Home and End.
func (s *Strip) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyLeft:
		s.ScrollBy(-arrowStep)
	case fyne.KeyRight:
		s.ScrollBy(arrowStep)
	case fyne.KeyPageUp:
		s.ScrollBy(-pageStep)
	case fyne.KeyPageDown:
		s.ScrollBy(pageStep)
	case fyne.KeyHome:
		s.ScrollTo(0)
	case fyne.KeyEnd:
		s.ScrollTo(float64(s.info.NSamples))
	}
}

// TypedRune zooms with + (or =) and -.
func (s *Strip) TypedRune(r rune) {
	switch r {
	case '+', '=':
		s.ZoomIn()
	case '-', '_':
		s.ZoomOut()
	}
}

// Tapped takes the keyboard focus.
func (s *Strip) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s); c != nil {
		c.Focus(s)
	}
}

// Dragged pans the strip with the pointer.
func (s *Strip) Dragged(e *fyne.DragEvent) {
	s.ScrollTo(s.start - float64(e.Dragged.DX)*s.samplesPerUnit())
}

// DragEnd implements fyne.Draggable.
func (s *Strip) DragEnd() {}

// Scrolled scrolls with the wheel, or zooms about the pointer with
// Ctrl+wheel.
func (s *Strip) Scrolled(e *fyne.ScrollEvent) {
	d := e.Scrolled.DY
	if ctrlHeld() {
		switch {
		case d > 0:
			s.SetSpeed(s.zoomStep(1), e.Position.X)
		case d < 0:
			s.SetSpeed(s.zoomStep(-1), e.Position.X)
		}
		return
	}
	notches := float64(-d-e.Scrolled.DX) / 10
	s.ScrollBy(notches * wheelStep)
}

// ctrlHeld reports whether Ctrl (or Cmd on macOS) is held, on drivers
// that know.
func ctrlHeld() bool {
	d, ok := fyne.CurrentApp().Driver().(desktop.Driver)
	if !ok {
		return false
	}
	m := d.CurrentKeyModifiers()
	return m&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
}
