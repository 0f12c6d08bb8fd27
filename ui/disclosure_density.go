package ui

import (
	"fmt"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Full-disclosure density: how many seconds a line shows (30, 60, 120) and
// how many lines a page holds (15, 30, 60, or as many as fit the window).
// The reader picks them from the keyboard ([ ] and { }, and + - while the
// page shows) or from the two selects the tool bar shows beside the page;
// OnDensity hands every change to the app, which keeps it in the
// preferences.

// SetDisclosureDensity sets the full disclosure's seconds a line and lines
// a page (FitLines: as many as fit), e.g. the preferences' choice; values
// not offered are ignored. It does not call OnDensity.
func (r *RecordScreen) SetDisclosureDensity(secs float64, lines int) {
	r.Disclosure.SetDensity(secs, lines)
	r.densityShown()
}

// stepLineSeconds moves the seconds a line dir steps through
// LineSecondsChoices (clamped at the ends), as the reader asked.
func (r *RecordScreen) stepLineSeconds(dir int) {
	secs, lines := r.Disclosure.Density()
	r.chooseDensity(LineSecondsChoices[stepIndex(LineSecondsChoices, secs, dir)], lines)
}

// stepPageLines moves the lines a page dir steps through PageLinesChoices
// (fit, 15, 30, 60; clamped at the ends), as the reader asked.
func (r *RecordScreen) stepPageLines(dir int) {
	secs, lines := r.Disclosure.Density()
	r.chooseDensity(secs, PageLinesChoices[stepIndex(PageLinesChoices, lines, dir)])
}

// stepIndex returns the index dir steps from cur in choices, clamped.
func stepIndex[T comparable](choices []T, cur T, dir int) int {
	i := max(0, slices.Index(choices, cur))
	return max(0, min(len(choices)-1, i+dir))
}

// chooseDensity applies a density the reader chose and reports it to
// OnDensity.
func (r *RecordScreen) chooseDensity(secs float64, lines int) {
	if s, l := r.Disclosure.Density(); s == secs && l == lines {
		return
	}
	r.SetDisclosureDensity(secs, lines)
	if r.OnDensity != nil {
		r.OnDensity(secs, lines)
	}
}

// densityShown brings the tool bar and the status line up to date.
func (r *RecordScreen) densityShown() {
	r.toolbar.update()
	r.status.SetText(r.statusText(r.Strip.View()))
}

// densityText says the density and the page, e.g. "120 s a line, 30 lines
// a page · page 3 of 24".
func (r *RecordScreen) densityText() string {
	secs, lines := r.Disclosure.Density()
	page, pages := r.Disclosure.Pages()
	return fmt.Sprintf("%g s a line, %s a page  ·  page %d of %d", secs, Count(r.Disclosure.Lines(), "line")+fitNote(lines), page, pages)
}

func fitNote(lines int) string {
	if lines == FitLines {
		return " (fit)"
	}
	return ""
}

// densityControl is the tool bar's pair of selects for the full
// disclosure's density, shown while the page is.
type densityControl struct {
	secs, lines *widget.Select
	content     *fyne.Container
	row         *fyne.Container // the tool bar row it is in, laid out again when it shows or hides
	// stripOnly are the tool bar's paper speed buttons: the page has no
	// paper speed, so they make room for the selects while it shows.
	stripOnly []fyne.CanvasObject
}

func newDensityControl(r *RecordScreen) *densityControl {
	c := &densityControl{}
	var secOpts, lineOpts []string
	for _, s := range LineSecondsChoices {
		secOpts = append(secOpts, secondsName(s))
	}
	for _, l := range PageLinesChoices {
		lineOpts = append(lineOpts, linesName(l))
	}
	c.secs = widget.NewSelect(secOpts, func(v string) {
		_, lines := r.Disclosure.Density()
		r.chooseDensity(LineSecondsChoices[slices.Index(secOpts, v)], lines)
		r.FocusView()
	})
	c.lines = widget.NewSelect(lineOpts, func(v string) {
		secs, _ := r.Disclosure.Density()
		r.chooseDensity(secs, PageLinesChoices[slices.Index(lineOpts, v)])
		r.FocusView()
	})
	// A select is as wide as its placeholder: the longest choice.
	c.secs.PlaceHolder, c.lines.PlaceHolder = secondsName(LineSecondsChoices[len(LineSecondsChoices)-1]), linesName(PageLinesChoices[1])
	c.content = container.NewHBox(c.secs, c.lines)
	return c
}

// update shows the density in force, and the selects only with the page.
func (c *densityControl) update(r *RecordScreen) {
	secs, lines := r.Disclosure.Density()
	if c.secs.Selected != secondsName(secs) {
		c.secs.SetSelected(secondsName(secs))
	}
	if c.lines.Selected != linesName(lines) {
		c.lines.SetSelected(linesName(lines))
	}
	if show := r.mode == modeDisclosure; show != c.content.Visible() {
		setVisible(c.content, show)
		for _, o := range c.stripOnly {
			setVisible(o, !show)
		}
		if c.row != nil {
			c.row.Refresh()
		}
	}
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// secondsName and linesName are the selects' words for a density.
func secondsName(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) + " s/line" }

func linesName(l int) string {
	if l == FitLines {
		return "fit"
	}
	return strconv.Itoa(l) + " lines"
}

// zoom zooms the strip in (or out); on the full disclosure it shows fewer
// (or more) seconds a line.
func (r *RecordScreen) zoom(in bool) {
	dir := map[bool]int{true: -1, false: 1}[in]
	switch {
	case r.mode == modeDisclosure:
		r.stepLineSeconds(dir)
	case in:
		r.Strip.ZoomIn()
	default:
		r.Strip.ZoomOut()
	}
	r.toolbar.update()
}
