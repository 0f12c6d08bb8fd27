package ui

import (
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/eval"
)

// testConfusion is a two-record confusion whose N>V cell holds beats.
func testConfusion(nv []eval.BeatRef) *eval.Confusion {
	rows := []string{"N", "V", "O"}
	counts := [][]int{{90, 3, 1}, {2, 20, 0}, {1, 0, 0}}
	c := &eval.Confusion{Rows: rows, Cols: rows, Cells: make([][]eval.Cell, len(rows)),
		PerClass: []eval.ClassStat{
			{Class: "N", Reference: 94, TP: 90, FN: 4, FP: 3, Se: 95.74, PP: 96.77, F1: 96.26, SeOK: true, PPOK: true, F1OK: true},
			{Class: "V", Reference: 22, TP: 20, FN: 2, FP: 3, Se: 90.91, PP: 86.96, F1: 88.89, SeOK: true, PPOK: true, F1OK: true}},
		Info: map[annotate.RecordID]annotate.RecordInfo{"r1": {Fs: 360}, "r2": {Fs: 360}}}
	for i, r := range rows {
		c.Cells[i] = make([]eval.Cell, len(rows))
		for j, col := range rows {
			c.Cells[i][j] = eval.Cell{Row: r, Col: col, Beats: make([]eval.BeatRef, counts[i][j])}
		}
	}
	c.Cells[0][1].Beats = nv
	for i, name := range []string{"100", "200"} { // the per-record table
		r := &eval.Result{Record: name}
		r.Matrix[eval.LabelN][eval.LabelN], r.Matrix[eval.LabelN][eval.LabelV] = int64(40+10*i), int64(1+i)
		r.Matrix[eval.LabelV][eval.LabelV], r.Matrix[eval.LabelV][eval.LabelN] = int64(10), int64(1)
		c.Results, c.References = append(c.Results, r), append(c.References, []string{"mitdb", "ann"}[i])
	}
	return c
}

func TestErrorBrowserCellGallery(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	test.ApplyTheme(t, &fixedVariantTheme{NewTheme(), theme.VariantLight})
	var jumped []eval.BeatRef
	beats := []eval.BeatRef{
		{Record: "r1", Name: "100", Sample: 4700, Reader: annotate.Normal, Model: annotate.PVC, Confidence: 0.97},
		{Record: "r2", Name: "200", Sample: 9000, Reader: annotate.Normal, Model: annotate.PVC, Confidence: 0.61},
		{Record: "r2", Name: "200", Sample: 12000, Reader: annotate.Normal, Model: annotate.PVC, Confidence: 0.55},
	}
	var w fyne.Window
	e := NewErrorBrowser(ErrorActions{
		Snippet: func(b eval.BeatRef) (*Snippet, error) {
			v := beatWave(400, 200, 1.5, 0.02, 0)
			return &Snippet{At: b.Sample, Start: b.Sample - 200, Fs: 360, Values: [][]float32{v},
				Beats: []annotate.Beat{{Sample: b.Sample, Code: b.Reader}}}, nil
		},
		Jump: func(b eval.BeatRef) { jumped = append(jumped, b) },
	}, nil)
	w = test.NewTempWindow(t, e.Content())
	w.Resize(fyne.NewSize(1100, 620))
	e.SetConfusion("Model vs reader over 2 records", testConfusion(beats))
	// The N>V cell is a button with its count; a click fills the gallery.
	btn := findButton(e.matrix, "3")
	if btn == nil {
		t.Fatal("no button for the N>V cell")
	}
	test.Tap(btn)
	if g := e.GalleryBeats(); len(g) != 3 || g[0] != beats[0] {
		t.Fatalf("gallery %v, want the N>V cell's 3 beats", g)
	}
	waitFor(t, func() bool { return galleryDrawn(e.gallery) })
	test.AssertImageMatches(t, "errors_browser_light.png", w.Canvas().Capture())
	e.gallery.open(1)
	if len(jumped) != 1 || jumped[0].Sample != 9000 {
		t.Fatalf("jumped %v, want the second beat", jumped)
	}
}

// galleryDrawn reports whether every tile on show has its snippet.
func galleryDrawn(g *beatGallery) bool {
	if len(g.ids) == 0 {
		return false
	}
	for t := range g.ids {
		if t.paint == nil {
			return false
		}
	}
	return true
}

// findButton returns the first button labelled text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

func TestGalleryCaptions(t *testing.T) {
	info := map[annotate.RecordID]annotate.RecordInfo{"r": {Fs: 360}}
	missed := eval.BeatRef{Record: "r", Name: "100", Sample: 4700, Reader: annotate.PVC, Model: annotate.NotQRS}
	if got := beatCaption(missed, info); !slices.Equal(got, []string{"100  0:00:13", "ref V · model none 0.00"}) {
		t.Errorf("missed beat: %q", got)
	}
	flip := eval.Flip{BeatRef: eval.BeatRef{Record: "r", Name: "100", Reader: annotate.PVC, Model: annotate.Normal, Confidence: 0.8},
		B: annotate.PVC, ConfidenceB: 0.9}
	if got := flipCaption(flip, info)[1]; got != "reader V · A N 0.80 · B V 0.90" {
		t.Errorf("flip: %q", got)
	}
}

func TestABViewResult(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var ran []string
	v := NewABView(ABActions{Run: func(m string) { ran = append(ran, m) }}, "", nil)
	v.run()
	if len(ran) != 0 || !strings.Contains(v.status.Text, "Choose model B") {
		t.Fatalf("ran %v without a model; status %q", ran, v.status.Text)
	}
	v.model.SetText("/m/b.onnx")
	v.run()
	if len(ran) != 1 || ran[0] != "/m/b.onnx" {
		t.Fatalf("ran %v", ran)
	}
	ref := func(s int64) eval.BeatRef { return eval.BeatRef{Name: "100", Sample: s} }
	v.SetResult("2 reviewed records", &eval.ABResult{A: eval.Side{ID: "a@1", Matrix: &eval.Confusion{}}, B: eval.Side{ID: "b@2", Matrix: &eval.Confusion{}},
		Beats: 50, Count: [3]int{1, 2, 0},
		Flips: []eval.Flip{{BeatRef: ref(10), Kind: eval.Fixed}, {BeatRef: ref(20), Kind: eval.Broken}, {BeatRef: ref(30), Kind: eval.Broken}}})
	if !strings.Contains(v.status.Text, "3 of 50 scored beats flip: 1 fixed by B, 2 broken by B, 0 other") {
		t.Errorf("status %q", v.status.Text)
	}
	v.kind.SetSelected(eval.Broken.String())
	if len(v.gallery.beats) != 2 {
		t.Errorf("broken gallery holds %d beats", len(v.gallery.beats))
	}
}

func TestPlotsView(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var exported []string
	kinds := []PlotKind{{"hr", "heart rate"}, {"rr", "tachogram"}}
	v := NewPlotsView(kinds, "rr", PlotActions{
		Render: func(kind string, w, h int) (image.Image, error) {
			if kind == "hr" {
				return nil, errors.New("chart: nothing to plot")
			}
			img := image.NewRGBA(image.Rect(0, 0, w, h))
			img.Set(1, 1, color.Black)
			return img, nil
		},
		Export: func(kind, path string, w, h int) error {
			exported = append(exported, kind+" "+filepath.Base(path))
			return os.WriteFile(path, []byte("x"), 0o644)
		},
	}, nil)
	if v.Kind() != "rr" {
		t.Fatalf("kind %q, want the one asked for", v.Kind())
	}
	waitFor(t, func() bool { return v.Image() != nil })
	if b := v.Image().Bounds(); b.Dx() != PlotWidth || b.Dy() != PlotHeight {
		t.Errorf("image %v", b)
	}
	v.SetKind("hr")
	waitFor(t, func() bool { return v.Image() == nil && strings.Contains(v.status.Text, "nothing to plot") })
	dir := t.TempDir()
	for _, c := range []struct{ file, want string }{
		{"a.svg", "Exported"}, {"a.PDF", "Exported"}, {"a.jpg", "must end in .png, .svg or .pdf"},
	} {
		if got := v.ExportTo("rr", filepath.Join(dir, c.file)); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.file, got, c.want)
		}
	}
	if len(exported) != 2 {
		t.Errorf("exported %v", exported)
	}
}

// checkItems are findings of three kinds, given by sample as check.Run
// gives them: three sign-off findings around one VT finding and an s-in-af
// finding with a fix.
func checkItems() []CheckItem {
	su := func(at int64) CheckItem {
		return CheckItem{Finding: check.Finding{Rule: check.SignedUnreviewed, Sample: at, Message: "signed off by ann with an unreviewed AFIB episode"}, Time: "0:00:01"}
	}
	return []CheckItem{su(100),
		{Finding: check.Finding{Rule: check.VTFewV, Sample: 1000, Message: "VT episode with 2 V beats"}, Time: "0:00:02"},
		su(2000), su(3000),
		{Finding: check.Finding{Rule: check.SInAF, Sample: 7000, Message: "3 S beats inside AFIB"}, Time: "0:00:19", Fix: "3 S beats to N"},
	}
}

// TestChecksViewKinds shows one row per kind, the most urgent first; a
// click on a kind lists its findings under it, a click on a finding jumps
// to it, and a second click on the kind folds it.
func TestChecksViewKinds(t *testing.T) {
	v := newChecksWindow(t)
	var got []int64
	v.OnJump = func(it CheckItem) { got = append(got, it.Sample) }
	v.SetItems(nil)
	if !strings.Contains(v.status.Text, "No inconsistencies") || len(v.rows) != 0 {
		t.Errorf("empty: status %q, %d rows", v.status.Text, len(v.rows))
	}
	v.SetItems(checkItems())
	tests := []struct {
		name   string
		choose int      // row chosen, -1 none
		rows   []string // the rows' left columns, trimmed
		jumps  []int64
	}{
		{"kinds only", -1, []string{"▸    1 vt-few-v", "▸    1 s-in-af", "▸    3 signed-unreviewed"}, nil},
		{"list the sign-offs", 2, []string{"▸    1 vt-few-v", "▸    1 s-in-af", "▾    3 signed-unreviewed", "0:00:01", "0:00:01", "0:00:01"}, nil},
		{"jump to the second", 4, []string{"▸    1 vt-few-v", "▸    1 s-in-af", "▾    3 signed-unreviewed", "0:00:01", "0:00:01", "0:00:01"}, []int64{2000}},
		{"list VT instead", 0, []string{"▾    1 vt-few-v", "0:00:02", "▸    1 s-in-af", "▸    3 signed-unreviewed"}, nil},
		{"fold VT", 0, []string{"▸    1 vt-few-v", "▸    1 s-in-af", "▸    3 signed-unreviewed"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			if tc.choose >= 0 {
				v.list.Select(tc.choose)
			}
			if rows := rowTexts(v); !slices.Equal(rows, tc.rows) {
				t.Errorf("rows %q, want %q", rows, tc.rows)
			}
			if !slices.Equal(got, tc.jumps) {
				t.Errorf("jumps %v, want %v", got, tc.jumps)
			}
		})
	}
	if !strings.Contains(v.status.Text, "5 findings of 3 kinds") {
		t.Errorf("status %q", v.status.Text)
	}
}

// rowTexts returns the left column of each row as update fills it.
func rowTexts(v *ChecksView) []string {
	var out []string
	for id := range v.rows {
		o := v.list.CreateItem()
		v.update(id, o)
		out = append(out, strings.TrimSpace(o.(*fyne.Container).Objects[1].(*widget.Label).Text))
	}
	return out
}

// TestChecksViewFix enables the Fix button on a chosen finding that has a
// fix only, and keeps its kind listed when the checks run again.
func TestChecksViewFix(t *testing.T) {
	v := newChecksWindow(t)
	var fixed []int64
	v.OnFix = func(it CheckItem) { fixed = append(fixed, it.Sample) }
	v.SetItems(checkItems())
	tests := []struct {
		name     string
		sel      int
		disabled bool
		text     string
		fixed    []int64
	}{
		{"nothing chosen", -1, true, "Fix", nil},
		{"a kind", 0, true, "Fix", nil},
		{"a finding without a fix", 1, true, "Fix", nil},
		{"the s-in-af kind", 2, true, "Fix", nil},
		{"the s-in-af finding under it", 2, false, "Fix: 3 S beats to N", []int64{7000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fixed = nil
			if tc.sel >= 0 {
				v.list.Select(tc.sel)
			}
			if v.fix.Disabled() != tc.disabled || v.fix.Text != tc.text {
				t.Fatalf("button %q disabled %v, want %q disabled %v", v.fix.Text, v.fix.Disabled(), tc.text, tc.disabled)
			}
			test.Tap(v.fix)
			if !slices.Equal(fixed, tc.fixed) {
				t.Errorf("fixed %v, want %v", fixed, tc.fixed)
			}
		})
	}
	v.SetItems(checkItems()) // checked again: s-in-af stays listed, nothing chosen
	if v.open != check.SInAF || !v.fix.Disabled() {
		t.Errorf("after a new run: open %q, fix enabled %v", v.open, !v.fix.Disabled())
	}
	v.SetItems(checkItems()[:1]) // a lone kind is listed
	if rows := rowTexts(v); len(rows) != 2 {
		t.Errorf("one finding: rows %q", rows)
	}
}

// TestChecksViewRendering renders the kinds with the sign-offs listed.
func TestChecksViewRendering(t *testing.T) {
	test.NewTempApp(t)
	v := NewChecksView()
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(700, 300))
	v.SetItems(checkItems())
	v.Toggle(check.SignedUnreviewed)
	test.AssertImageMatches(t, "checks_view.png", w.Canvas().Capture())
}

// newChecksWindow shows a new ChecksView in a test window.
func newChecksWindow(t *testing.T) *ChecksView {
	t.Helper()
	test.NewTempApp(t)
	v := NewChecksView()
	w := test.NewTempWindow(t, v.Content())
	w.Resize(fyne.NewSize(700, 300))
	return v
}

// TestRecordsDialogShowsAll: with every record compared ("Records: all")
// the dialog opens with every box ticked, and confirming with none ticked
// says that all are compared instead of leaving the button and the boxes
// at odds.
func TestRecordsDialogShowsAll(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(900, 700))
	e := NewErrorBrowser(ErrorActions{}, w)
	w.SetContent(e.Content())
	names := []string{"100", "119", "208"}
	e.SetRecordNames(names)
	test.Tap(e.recs)
	cg := overlayCheckGroup(w)
	if cg == nil {
		t.Fatal("the Records button opened no check boxes")
	}
	if e.recs.Text != "Records: all" || len(cg.Selected) != len(names) {
		t.Fatalf("button %q, ticked %v: want every record ticked", e.recs.Text, cg.Selected)
	}
	test.Tap(overlayButton(w, "None"))
	test.Tap(overlayButton(w, "Use these"))
	if e.recs.Text != "Records: all" || !strings.Contains(e.status.Text, "all are compared") {
		t.Errorf("after confirming no record: button %q, message %q", e.recs.Text, e.status.Text)
	}
}

// overlayCheckGroup returns the check group on the window's top overlay.
func overlayCheckGroup(w fyne.Window) *widget.CheckGroup {
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if cg, ok := o.(*widget.CheckGroup); ok {
			return cg
		}
	}
	return nil
}

// TestErrorBrowserNewMatrix checks that a new matrix clears the gallery of
// the last one, and says why it is empty when no reference beat counts.
func TestErrorBrowserNewMatrix(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	beats := []eval.BeatRef{{Record: "r1", Name: "100", Sample: 4700, Reader: annotate.Normal, Model: annotate.PVC}}
	e := NewErrorBrowser(ErrorActions{}, nil)
	e.SetConfusion("first", testConfusion(beats))
	e.OpenCell("N", "V")
	if len(e.GalleryBeats()) != 1 {
		t.Fatalf("gallery %v, want the N>V beat", e.GalleryBeats())
	}
	empty, err := eval.ConfusionOf([]eval.RecordLabels{{ID: "r1", Name: "100", Info: annotate.RecordInfo{Fs: 360, NSamples: 36000},
		Reader: []annotate.Beat{{Sample: 900, Code: annotate.Normal, Prov: annotate.Provenance{Source: annotate.SourceModel}}},
		Model:  []annotate.Beat{{Sample: 900, Code: annotate.Normal, Prov: annotate.Provenance{Source: annotate.SourceModel}}}}},
		eval.ConfusionOptions{Whole: true, OwnedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	e.SetConfusion("second", empty)
	if len(e.GalleryBeats()) != 0 || !strings.Contains(e.status.Text, "No reference beat counts") {
		t.Errorf("gallery %v, message %q", e.GalleryBeats(), e.status.Text)
	}
}

// TestErrorBrowserReferenceChoice checks the top bar's reference chooser
// and that ticking All beats recomputes at once with it.
func TestErrorBrowserReferenceChoice(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var got []ErrorOptions
	e := NewErrorBrowser(ErrorActions{Compute: func(o ErrorOptions) { got = append(got, o) }}, nil)
	e.SetReaders([]string{"mitdb", "root"})
	if want := []string{autoReference, "mitdb", "root"}; !slices.Equal(e.ref.Options, want) {
		t.Fatalf("chooser offers %v, want %v", e.ref.Options, want)
	}
	e.ref.SetSelected("mitdb")
	test.Tap(e.all)
	if len(got) != 1 || got[0].Reference != "mitdb" || !got[0].AllBeats {
		t.Fatalf("computed %+v, want once with reference mitdb and all beats", got)
	}
	e.SetReference("")
	if e.Options().Reference != "" || e.ref.Selected != autoReference {
		t.Errorf("Automatic: reference %q, chooser %q", e.Options().Reference, e.ref.Selected)
	}
}
