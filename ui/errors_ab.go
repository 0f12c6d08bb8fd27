package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// Flip kinds, as the A/B view names them.
const (
	FlipFixed  = "fixed"
	FlipBroken = "broken"
	FlipOther  = "other"
)

// ABResult is model A/B in plain values: both models' per-class tables and
// the beats whose label flips, by kind.
type ABResult struct {
	Title              string // records and options, in words
	A, B               string // the models' identities
	ClassesA, ClassesB []ClassLine
	Beats              int                    // scored beats
	Flips              map[string][]ErrorBeat // FlipFixed, FlipBroken, FlipOther
}

// ABActions are what the A/B view asks of package app.
type ABActions struct {
	// Run compares the current model with the model file modelB over the
	// reviewed records; app calls SetResult or SetMessage when done.
	Run     func(modelB string)
	Snippet func(ErrorBeat) (*Snippet, error)
	Jump    func(ErrorBeat)
}

// ABView puts two models' EC57 tables side by side and browses the beats
// whose label flips between them, split into fixed and broken.
type ABView struct {
	Actions ABActions

	model   *widget.Entry
	tables  *fyne.Container
	left    *fyne.Container
	kind    *widget.RadioGroup
	gallery *beatGallery
	status  *widget.Label
	res     *ABResult
	content fyne.CanvasObject
}

// NewABView returns the A/B view; modelB is the file last chosen, win
// hosts the file dialog.
func NewABView(a ABActions, modelB string, win fyne.Window) *ABView {
	v := &ABView{Actions: a, gallery: newBeatGallery(), status: widget.NewLabel("Choose model B, then Run: both models classify the readers' beats.")}
	v.gallery.snippet = func(b ErrorBeat) (*Snippet, error) { return callSnippet(v.Actions.Snippet, b) }
	v.gallery.jump = func(b ErrorBeat) { call1(v.Actions.Jump, b) }
	v.model = widget.NewEntry()
	v.model.SetText(modelB)
	v.model.SetPlaceHolder("model B: an ONNX beat model file")
	browse := widget.NewButton("Browse…", func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				v.model.SetText(r.URI().Path())
				_ = r.Close()
			}
		}, win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".onnx"}))
		d.Resize(fyne.NewSize(800, 560))
		d.Show()
	})
	run := widget.NewButton("Run", v.run)
	run.Importance = widget.HighImportance
	v.status.Wrapping = fyne.TextWrapWord
	v.kind = widget.NewRadioGroup([]string{FlipFixed, FlipBroken, FlipOther}, v.showKind)
	v.kind.Horizontal = true
	v.tables = container.NewGridWithColumns(2)
	bar := container.NewBorder(nil, nil, widget.NewLabel("Model B"), container.NewHBox(browse, run), v.model)
	left := container.NewVBox(v.status, v.tables, widget.NewLabel("Flips (A → B):"), v.kind)
	v.left = left
	split := container.NewHSplit(container.NewVScroll(left), v.gallery.content)
	split.Offset = 0.45
	v.content = container.NewBorder(bar, nil, nil, nil, split)
	return v
}

// Content returns the view's canvas object.
func (v *ABView) Content() fyne.CanvasObject { return v.content }

// SetMessage shows msg (progress, an error).
func (v *ABView) SetMessage(msg string) { v.status.SetText(msg) }

func (v *ABView) run() {
	if v.model.Text == "" {
		v.SetMessage("Choose model B first (an ONNX beat model with the model contract).")
		return
	}
	if v.Actions.Run != nil {
		v.SetMessage("Running both models over the reviewed records…")
		v.Actions.Run(v.model.Text)
	}
}

// SetResult shows r: both tables and the fixed flips.
func (v *ABView) SetResult(r *ABResult) {
	v.res = r
	v.tables.Objects = []fyne.CanvasObject{
		container.NewVBox(widget.NewLabelWithStyle("A: "+r.A, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), classTable(r.ClassesA)),
		container.NewVBox(widget.NewLabelWithStyle("B: "+r.B, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), classTable(r.ClassesB)),
	}
	v.tables.Refresh()
	v.left.Refresh()
	v.SetMessage(fmt.Sprintf("%s\n%d of %d scored beats flip: %d fixed by B, %d broken by B, %d other.", r.Title,
		len(r.Flips[FlipFixed])+len(r.Flips[FlipBroken])+len(r.Flips[FlipOther]), r.Beats,
		len(r.Flips[FlipFixed]), len(r.Flips[FlipBroken]), len(r.Flips[FlipOther])))
	v.kind.SetSelected(FlipFixed)
	v.showKind(FlipFixed)
}

func (v *ABView) showKind(k string) {
	if v.res == nil || k == "" {
		return
	}
	v.gallery.set(fmt.Sprintf("%s by B: %d beats, by B's confidence", k, len(v.res.Flips[k])), v.res.Flips[k])
}
