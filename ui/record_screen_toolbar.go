package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// paperGains are the gains the g key and the tool bar step through.
var paperGains = []float64{5, 10, 20}

// toolbar is the row above the strip: paper speed and gain, strip or full
// disclosure, undo and redo, the label set's state, sign-off and help.
type toolbar struct {
	r                   *RecordScreen
	speeds, gains       []*widget.Button
	strip, disclosure   *widget.Button
	filters             *filterButtons
	undo, redo, signOff *widget.Button
	state               *widget.Label
	density             *densityControl // the full disclosure's seconds a line and lines a page
	reader              *readerControl  // whose label set is edited, and a switch to another reader's
	content             fyne.CanvasObject
	shown               *toolbarState // what it shows now; nil before the first update
}

func newToolbar(r *RecordScreen) *toolbar {
	t := &toolbar{r: r, state: widget.NewLabel(""), filters: newFilterButtons(r)}
	for _, sp := range []float64{25, 50} {
		t.speeds = append(t.speeds, widget.NewButton(fmt.Sprintf("%g", sp), func() { r.setSpeed(sp); r.FocusView() }))
	}
	for _, g := range paperGains {
		t.gains = append(t.gains, widget.NewButton(fmt.Sprintf("%g", g), func() { r.setGain(g); r.FocusView() }))
	}
	t.strip = widget.NewButton("Strip", func() { r.setMode(modeStrip) })
	t.disclosure = widget.NewButton("Full disclosure", func() { r.setMode(modeDisclosure) })
	t.undo = widget.NewButtonWithIcon("", theme.ContentUndoIcon(), func() { r.Undo(); r.FocusView() })
	t.redo = widget.NewButtonWithIcon("", theme.ContentRedoIcon(), func() { r.Redo(); r.FocusView() })
	t.signOff = widget.NewButtonWithIcon("Sign off…", theme.ConfirmIcon(), r.SignOff)
	help := widget.NewButtonWithIcon("", theme.HelpIcon(), r.ShowHelp)
	t.state.Truncation = fyne.TextTruncateEllipsis
	t.state.Alignment = fyne.TextAlignTrailing
	mmps := widget.NewLabel("mm/s")
	row := container.NewHBox(t.speeds[0], t.speeds[1], mmps)
	for _, b := range t.gains {
		row.Add(b)
	}
	row.Objects = append(row.Objects, widget.NewLabel("mm/mV"))
	row.Objects = append(row.Objects, t.filters.objects()...)
	t.density = newDensityControl(r)
	row.Objects = append(row.Objects, t.strip, t.disclosure, t.density.content, t.undo, t.redo)
	t.density.row, t.density.stripOnly = row, []fyne.CanvasObject{t.speeds[0], t.speeds[1], mmps}
	t.reader = newReaderControl(r)
	right := container.NewHBox(t.reader.sel, t.signOff, help)
	t.content = container.NewBorder(nil, nil, row, right, t.state)
	t.update()
	return t
}

// toolbarState is what the tool bar shows; it repaints only when it changes.
type toolbarState struct {
	speed, gain      float64
	filters          Filters
	mode             viewMode
	undo, redo, sign bool
	state            string
}

// update shows the current speed, gain, mode, history and state.
func (t *toolbar) update() {
	r := t.r
	t.density.update(r)
	ed := r.labels.Editor()
	st := toolbarState{speed: r.Strip.Speed(), gain: r.Strip.Gain(), filters: r.Strip.Filters(), mode: r.mode,
		undo: ed != nil && r.labels.CanUndo(), redo: ed != nil && r.labels.CanRedo(),
		sign: ed != nil, state: stateText(ed, r.labels.Status())}
	if ed == nil && r.noEditor != "" {
		st.state = r.noEditor
	}
	if n := r.labels.Saving(); n > 0 {
		st.state = fmt.Sprintf("saving %d edit(s)… · %s", n, st.state)
	}
	if t.shown != nil && *t.shown == st {
		return
	}
	t.shown = &st
	for i, sp := range []float64{25, 50} {
		t.speeds[i].Importance = importance(r.Strip.Speed() == sp)
		t.speeds[i].Refresh()
	}
	for i, g := range paperGains {
		t.gains[i].Importance = importance(r.Strip.Gain() == g)
		t.gains[i].Refresh()
	}
	t.filters.update(st.filters)
	t.strip.Importance, t.disclosure.Importance = importance(r.mode == modeStrip), importance(r.mode == modeDisclosure)
	t.strip.Refresh()
	t.disclosure.Refresh()
	enable(t.undo, st.undo)
	enable(t.redo, st.redo)
	enable(t.signOff, st.sign)
	t.state.SetText(st.state)
}

func importance(on bool) widget.Importance {
	if on {
		return widget.HighImportance
	}
	return widget.MediumImportance
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// SetNoEditorText sets what the tool bar says while the record has no
// label editor: "opening the labels…" while the session opens, why they
// did not open after; "" is "not saved: no label database".
func (r *RecordScreen) SetNoEditorText(text string) {
	r.noEditor = text
	r.toolbar.update()
}

// stateText says whose labels these are and how far they are.
func stateText(ed annotate.Editor, st annotate.Status) string {
	if ed == nil {
		return "not saved: no label database"
	}
	switch st.State {
	case annotate.StateSignedOff:
		return fmt.Sprintf("signed off by %s %s", st.By, st.At.Format("2006-01-02 15:04"))
	case annotate.StateInProgress:
		return "in progress · " + string(ed.Reader())
	}
	return "new · " + string(ed.Reader())
}

// setSpeed sets the paper speed, keeping the cursor (or the centre) in place.
func (r *RecordScreen) setSpeed(mmps float64) {
	x := r.Strip.Size().Width / 2
	if _, _, _, c := r.Strip.Selection(); c >= 0 {
		if cx := r.Strip.xOf(c); cx >= 0 && cx <= r.Strip.Size().Width {
			x = cx
		}
	}
	r.Strip.SetSpeed(mmps, x)
	r.toolbar.update()
}

// SetPaper sets the paper speed (mm/s) and gain (mm/mV) of the strip and
// the disclosure, e.g. the preferences' defaults; 0 leaves one as it is.
func (r *RecordScreen) SetPaper(speed, gain float64) {
	if speed > 0 {
		r.Strip.SetSpeed(speed, 0)
	}
	if gain > 0 {
		r.setGain(gain)
	}
	r.toolbar.update()
}

// setGain sets the paper gain of the strip and the disclosure.
func (r *RecordScreen) setGain(g float64) {
	r.Strip.SetGain(g)
	r.Disclosure.SetGain(g)
	r.toolbar.update()
}

// cycleGain steps the gain 5, 10, 20 mm/mV and round again.
func (r *RecordScreen) cycleGain() {
	g := paperGains[0]
	for i, v := range paperGains {
		if v == r.Strip.Gain() {
			g = paperGains[(i+1)%len(paperGains)]
		}
	}
	r.setGain(g)
}

// ToggleDisclosure switches between the strip and the full disclosure.
func (r *RecordScreen) ToggleDisclosure() {
	if r.mode == modeStrip {
		r.setMode(modeDisclosure)
	} else {
		r.setMode(modeStrip)
	}
}

// setMode shows the strip or the full disclosure, at the same place.
func (r *RecordScreen) setMode(m viewMode) {
	r.mode = m
	if m == modeDisclosure {
		a, b := r.Strip.View()
		if _, _, _, c := r.Strip.Selection(); c >= 0 {
			a, b = c, c
		}
		r.Disclosure.ShowSample((a + b) / 2)
		r.Strip.Hide()
		r.Disclosure.Show()
	} else {
		r.Disclosure.Hide()
		r.Strip.Show()
	}
	r.toolbar.update()
	r.FocusView()
	r.status.SetText(r.statusText(r.Strip.View()))
}

// FocusView gives the keyboard focus to the strip or the disclosure,
// whichever shows.
func (r *RecordScreen) FocusView() {
	if r.win == nil {
		return
	}
	if r.mode == modeDisclosure {
		r.win.Canvas().Focus(r.Disclosure)
	} else {
		r.win.Canvas().Focus(r.Strip)
	}
}

// openFromDisclosure shows sample on the strip, with the beat nearest it
// selected.
func (r *RecordScreen) openFromDisclosure(sample int64) {
	r.setMode(modeStrip)
	r.Strip.CenterOn(float64(sample))
	if bt, ok := r.labels.Nearest(sample); ok {
		r.selectBeat(bt.Sample)
	}
}
