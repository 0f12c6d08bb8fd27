package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate/eval"
)

// ABActions are what the A/B view asks of package app.
type ABActions struct {
	// Run compares the current model with the model file modelB over the
	// reviewed records; app calls SetResult or SetMessage when done.
	Run     func(modelB string)
	Snippet func(eval.BeatRef) (*Snippet, error)
	Jump    func(eval.BeatRef)
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
	res     *eval.ABResult
	content fyne.CanvasObject
}

// NewABView returns the A/B view; modelB is the file last chosen, win
// hosts the file dialog.
func NewABView(a ABActions, modelB string, win fyne.Window) *ABView {
	v := &ABView{Actions: a, gallery: newBeatGallery(), status: widget.NewLabel("Choose model B, then Run: both models classify the readers' beats.")}
	v.gallery.snippet = func(b eval.BeatRef) (*Snippet, error) { return callSnippet(v.Actions.Snippet, b) }
	v.gallery.jump = func(b eval.BeatRef) { call1(v.Actions.Jump, b) }
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
	v.kind = widget.NewRadioGroup([]string{eval.Fixed.String(), eval.Broken.String(), eval.Other.String()}, v.showKind)
	v.kind.Horizontal = true
	v.tables = container.NewGridWithColumns(2)
	bar := container.NewBorder(nil, nil, widget.NewLabel("Model B"), container.NewHBox(browse, run), v.model)
	left := container.NewVBox(v.status, v.tables, widget.NewLabel("Flips from A to B:"), v.kind)
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

// SetResult shows r under title (the records and options, in words):
// both tables and the fixed flips.
func (v *ABView) SetResult(title string, r *eval.ABResult) {
	v.res = r
	v.tables.Objects = []fyne.CanvasObject{
		container.NewVBox(widget.NewLabelWithStyle("A: "+r.A.ID, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), classTable(r.A.Matrix.PerClass)),
		container.NewVBox(widget.NewLabelWithStyle("B: "+r.B.ID, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), classTable(r.B.Matrix.PerClass)),
	}
	v.tables.Refresh()
	v.left.Refresh()
	v.SetMessage(fmt.Sprintf("%s\n%d of %d scored beats flip: %d fixed by B, %d broken by B, %d other.", title,
		len(r.Flips), r.Beats, r.Count[eval.Fixed], r.Count[eval.Broken], r.Count[eval.Other]))
	v.kind.SetSelected(eval.Fixed.String())
	v.showKind(eval.Fixed.String())
}

func (v *ABView) showKind(k string) {
	if v.res == nil || k == "" {
		return
	}
	var flips []eval.Flip
	for kind := eval.Fixed; kind <= eval.Other; kind++ {
		if kind.String() == k {
			flips = v.res.ByKind(kind)
		}
	}
	beats := make([]eval.BeatRef, len(flips))
	for i, f := range flips {
		beats[i] = f.BeatRef
	}
	info := v.res.A.Matrix.Info
	v.gallery.set(fmt.Sprintf("%s by B: %s, by B's confidence", k, Count(len(flips), "beat")), beats,
		func(i int) []string { return flipCaption(flips[i], info) })
}
