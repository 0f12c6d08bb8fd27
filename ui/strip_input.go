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
	grabWidth = 6    // units either side of a beat marker that grab it
)

var (
	_ fyne.Scrollable    = (*Strip)(nil)
	_ fyne.Shortcutable  = (*Strip)(nil)
	_ desktop.Keyable    = (*Strip)(nil)
	_ desktop.Cursorable = (*Strip)(nil)
)

// KeyHandler sees a focused widget's keys before the widget does; each
// method returns whether it handled the key. shift says whether a Shift key
// is down (Fyne's key events do not carry it).
type KeyHandler interface {
	Key(name fyne.KeyName, shift bool) bool
	Rune(r rune) bool
	Shortcut(sc fyne.Shortcut) bool
}

// beatDrag is a beat marker being dragged.
type beatDrag struct {
	from int64
	x    float32
}

// FocusGained implements fyne.Focusable.
func (s *Strip) FocusGained() {
	s.focused = true
	s.Refresh()
}

// FocusLost implements fyne.Focusable.
func (s *Strip) FocusLost() {
	s.focused, s.shift = false, false
	s.Refresh()
}

// KeyDown notes the Shift keys.
func (s *Strip) KeyDown(e *fyne.KeyEvent) {
	if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
		s.shift = true
	}
}

// KeyUp notes the Shift keys.
func (s *Strip) KeyUp(e *fyne.KeyEvent) {
	if e.Name == desktop.KeyShiftLeft || e.Name == desktop.KeyShiftRight {
		s.shift = false
	}
}

// TypedKey gives the caliper its keys while one shows (caliperKey), else
// offers the key to Keys, else scrolls with the arrows, Page Up/Down, Home
// and End.
func (s *Strip) TypedKey(e *fyne.KeyEvent) {
	if s.src == nil || s.caliperKey(e.Name) || (s.Keys != nil && s.Keys.Key(e.Name, s.shift)) {
		return
	}
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

// TypedRune offers the rune to Keys, else zooms with + (or =) and -, and
// turns the caliper (k) and its march-out (K) on or off.
func (s *Strip) TypedRune(r rune) {
	if s.src == nil || (s.Keys != nil && s.Keys.Rune(r)) {
		return
	}
	switch r {
	case '+', '=':
		s.ZoomIn()
	case '-', '_':
		s.ZoomOut()
	case 'k':
		s.ToggleCaliper()
	case 'K':
		s.ToggleMarchOut()
	}
}

// TypedShortcut offers the shortcut to Keys.
func (s *Strip) TypedShortcut(sc fyne.Shortcut) {
	if s.src != nil && s.Keys != nil {
		s.Keys.Shortcut(sc)
	}
}

// Tapped takes the keyboard focus and reports the sample clicked.
func (s *Strip) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s); c != nil {
		c.Focus(s)
	}
	if s.src != nil && s.OnTap != nil {
		s.OnTap(s.sampleAt(e.Position.X), s.shift || shiftHeld())
	}
}

// Cursor is a cross hair over the strip.
func (s *Strip) Cursor() desktop.Cursor { return desktop.CrosshairCursor }

// Dragged measures with the caliper (see caliperDrag), moves a beat
// grabbed by its marker in the label band, or pans the strip.
func (s *Strip) Dragged(e *fyne.DragEvent) {
	if s.drag == nil && s.caliperDrag(e) {
		return
	}
	if s.drag == nil && e.Position.Y-e.Dragged.DY < labelBand && s.OnMoveBeat != nil {
		x0 := e.Position.X - e.Dragged.DX
		if b, ok := s.beatNear(x0); ok {
			s.drag = &beatDrag{from: b, x: x0}
		}
	}
	if s.drag != nil {
		s.drag.x += e.Dragged.DX
		s.Refresh()
		return
	}
	s.ScrollTo(s.start - float64(e.Dragged.DX)*s.samplesPerUnit())
}

// DragEnd ends a caliper's drag or a beat move.
func (s *Strip) DragEnd() {
	s.cal.grab = 0
	d := s.drag
	s.drag = nil
	if d == nil {
		return
	}
	if to := s.sampleAt(d.x); to != d.from {
		s.OnMoveBeat(d.from, to)
	}
	s.Refresh()
}

// beatNear returns the beat whose marker is within grabWidth of x.
func (s *Strip) beatNear(x float32) (int64, bool) {
	spu := s.samplesPerUnit()
	c := s.start + float64(x)*spu
	best, found := int64(0), false
	for _, b := range s.visibleBeats(c-grabWidth*spu, c+grabWidth*spu) {
		if !found || absI(b.Sample-int64(c)) < absI(best-int64(c)) {
			best, found = b.Sample, true
		}
	}
	return best, found
}

func absI(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

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

// modifiers returns the modifier keys held, on drivers that know.
func modifiers() fyne.KeyModifier {
	d, ok := fyne.CurrentApp().Driver().(desktop.Driver)
	if !ok {
		return 0
	}
	return d.CurrentKeyModifiers()
}

// ctrlHeld reports whether Ctrl (or Cmd on macOS) is held.
func ctrlHeld() bool {
	return modifiers()&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
}

// shiftHeld reports whether Shift is held.
func shiftHeld() bool { return modifiers()&fyne.KeyModifierShift != 0 }
