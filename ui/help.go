package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// helpOverlay is the modal list of every shortcut, built from the same
// table the key handlers use.
type helpOverlay struct {
	r     *RecordScreen
	popup *widget.PopUp
}

// helpContent lays the shortcut table out in two columns of groups.
func helpContent() fyne.CanvasObject {
	var cols [2]*fyne.Container
	for i := range cols {
		cols[i] = container.NewVBox()
	}
	group, col := "", -1
	var form *fyne.Container
	for _, s := range Shortcuts() {
		if s.Group != group {
			group = s.Group
			col = min(col+1, 1)
			if group == "View" {
				col = 1
			}
			if group == caliperGroup { // under Move and select: the columns stay about as long
				col = 0
			}
			title := widget.NewLabelWithStyle(group, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			form = container.New(layout.NewFormLayout())
			cols[col].Add(title)
			cols[col].Add(form)
		}
		k := widget.NewLabelWithStyle(s.Keys, fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
		h := widget.NewLabel(s.Help)
		h.Wrapping = fyne.TextWrapWord
		form.Add(k)
		form.Add(h)
	}
	mouse := widget.NewLabel("Mouse: click a beat to select it, Shift+click for a range; drag a beat's marker " +
		"to move it; drag the strip to pan; wheel scrolls, Ctrl+wheel zooms; click the overview to jump; " +
		"drag an episode's edges; right-click an episode for its menu; with a caliper on (k) a drag measures, " +
		"and Ctrl+drag lays a caliper at any time; in full disclosure, Ctrl+click picks " +
		"several beats for the next label key, Shift+click every beat from the last one picked.")
	mouse.Wrapping = fyne.TextWrapWord
	legend := widget.NewLabel("Beat labels: bold, set by a reader; a check mark, confirmed by a reader; italic and faded, " +
		"the population model's suggestion; italic in full colour with an orange diamond ◆, relabelled by the adapter, " +
		"which learns this patient from the reader's labels (the status line and the selected beat say from how many, " +
		"and how sure it is). Records > Per-record adapter switches it off for the record.")
	legend.Wrapping = fyne.TextWrapWord
	closeHint := widget.NewLabelWithStyle("Esc, F1 or ? closes this help.", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	grid := container.NewGridWithColumns(2, cols[0], cols[1])
	return container.NewBorder(widget.NewLabelWithStyle("Keyboard shortcuts", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		container.NewVBox(mouse, legend, closeHint), nil, nil, container.NewVScroll(grid))
}

// ShowHelp opens the shortcut overlay over the window.
func (r *RecordScreen) ShowHelp() {
	if r.win == nil || r.keys.modal != nil {
		return
	}
	h := &helpOverlay{r: r}
	h.popup = widget.NewModalPopUp(helpContent(), r.win.Canvas())
	size := r.win.Canvas().Size()
	h.popup.Resize(fyne.NewSize(min(size.Width-40, 1100), size.Height-40))
	r.openModal(h, h.popup)
}

// openModal shows popup p and sends every key to m until closeModal: the
// popup's overlay has no focused widget, so the canvas gets the keys.
func (r *RecordScreen) openModal(m modalKeys, p *widget.PopUp) {
	r.keys.modal = m
	c := r.win.Canvas()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { r.keys.Key(e.Name, false) })
	c.SetOnTypedRune(func(c rune) { r.keys.Rune(c) })
	p.Show()
}

// closeModal hides popup p and gives the keys back to the strip.
func (r *RecordScreen) closeModal(p *widget.PopUp) {
	p.Hide()
	r.keys.modal = nil
	if r.win != nil {
		r.keysWithoutFocus()
		r.FocusView()
	}
}

// HelpOpen reports whether the help overlay is showing.
func (r *RecordScreen) HelpOpen() bool {
	_, ok := r.keys.modal.(*helpOverlay)
	return ok
}

func (h *helpOverlay) close() { h.r.closeModal(h.popup) }

func (h *helpOverlay) key(name fyne.KeyName) bool {
	switch name {
	case fyne.KeyEscape, fyne.KeyF1, fyne.KeyReturn:
		h.close()
	}
	return true
}

func (h *helpOverlay) rune(c rune) bool {
	if c == '?' {
		h.close()
	}
	return true
}
