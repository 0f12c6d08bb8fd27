package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// PrefGuideHidden is the preference set by the getting-started guide's
// "Don't show this again" (bool): the window then opens without it.
const PrefGuideHidden = "guide.first_run_hidden"

// GuideStep is one step of a reading, as the getting-started guide shows
// it: what to do, the keys that do it, and why.
type GuideStep struct {
	Title, Keys, Text string
}

// GuideSteps are the steps of a reading in the order the guide (and
// docs/guide.md) gives them.
var GuideSteps = []GuideStep{
	{"Templates first", "Ctrl+T",
		"Beats that look alike are grouped; one key (N S V F Q) relabels a whole group. Most labels are settled here."},
	{"Then the review queue", "the Review queue tab: Enter confirms, N S V F Q fixes, Delete removes",
		"The beats whose answer changes the most labels come first; the adapter learns this patient from each answer."},
	{"Then scan the full disclosure", "F2 (or d); Page Down turns the page; [ ] seconds a line, { } lines a page",
		"Hours at a glance with every beat marked: a click opens the strip there, Ctrl+click picks beats for one key."},
	{"Check, then sign off", "Analysis > Consistency checks, then Edit > Sign off…",
		"The checks list the slips worth a look; sign-off locks the record under your name."},
}

// guideOverlay is the modal getting-started guide.
type guideOverlay struct {
	r      *RecordScreen
	popup  *widget.PopUp
	hidden *widget.Check
}

// ShowGuide opens the getting-started guide over the window: the steps of
// a reading and their keys, with a "Don't show this again" box ticked when
// hidden is; onHidden is called when the box changes. Esc or Enter closes
// it, as does its Close button; other keys do nothing while it is open.
func (r *RecordScreen) ShowGuide(hidden bool, onHidden func(bool)) {
	if r.win == nil || r.keys.modal != nil {
		return
	}
	g := &guideOverlay{r: r}
	g.hidden = widget.NewCheck("Don't show this again (Help > Getting started shows it)", onHidden)
	g.hidden.Checked = hidden
	g.popup = widget.NewModalPopUp(g.content(), r.win.Canvas())
	g.popup.Resize(guideSize(r.win.Canvas().Size()))
	r.openModal(g, g.popup)
}

// GuideOpen reports whether the getting-started guide is showing.
func (r *RecordScreen) GuideOpen() bool {
	_, ok := r.keys.modal.(*guideOverlay)
	return ok
}

// DismissGuide closes the getting-started guide, as its Close button does.
func (r *RecordScreen) DismissGuide() {
	if g, ok := r.keys.modal.(*guideOverlay); ok {
		g.close()
	}
}

// SetGuideHidden ticks (or clears) the open guide's "Don't show this
// again" box, as a click on it does.
func (r *RecordScreen) SetGuideHidden(on bool) {
	if g, ok := r.keys.modal.(*guideOverlay); ok {
		g.hidden.SetChecked(on)
	}
}

// guideSize is the guide's size in a window of size c: 820 x 600, less
// when the window is smaller (a window not laid out yet has size 0).
func guideSize(c fyne.Size) fyne.Size {
	w, h := float32(820), float32(600)
	if c.Width > 0 && c.Height > 0 {
		w, h = min(w, c.Width-40), min(h, c.Height-40)
	}
	return fyne.NewSize(w, h)
}

func (g *guideOverlay) content() fyne.CanvasObject {
	steps := container.New(layout.NewFormLayout())
	for i, s := range GuideSteps {
		title := widget.NewLabelWithStyle(fmt.Sprintf("%d. %s", i+1, s.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		keys := widget.NewLabelWithStyle(s.Keys, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		keys.Wrapping = fyne.TextWrapWord
		text := widget.NewLabel(s.Text)
		text.Wrapping = fyne.TextWrapWord
		steps.Add(title)
		steps.Add(container.NewVBox(keys, text))
	}
	intro := widget.NewLabel("A reading goes in this order. Every edit is saved the moment you make it and can be undone (Ctrl+Z); F1 lists every key. Esc or Enter closes this guide.")
	intro.Wrapping = fyne.TextWrapWord
	closeBtn := widget.NewButton("Close", g.close)
	closeBtn.Importance = widget.HighImportance
	bottom := container.NewBorder(nil, nil, nil, closeBtn, g.hidden)
	return container.NewBorder(container.NewVBox(widget.NewLabelWithStyle("Getting started", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), intro),
		bottom, nil, nil, container.NewVScroll(steps))
}

func (g *guideOverlay) close() { g.r.closeModal(g.popup) }

func (g *guideOverlay) key(name fyne.KeyName) bool {
	switch name {
	case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter:
		g.close()
	}
	return true
}

func (g *guideOverlay) rune(rune) bool { return true }
