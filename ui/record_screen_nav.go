package ui

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// cursorStep is how far , and . move the cursor: 1 mm of paper at 25 mm/s.
const cursorStep = 40 * time.Millisecond

// selectBeat selects the beat at sample alone and puts the cursor on it,
// scrolling the strip to show it.
func (r *RecordScreen) selectBeat(sample int64) {
	r.anchor = sample
	r.Strip.SetSelection(sample, sample, sample)
	r.Strip.EnsureVisible(sample)
	r.selected()
}

// selectRange selects from the anchor to sample, cursor on sample.
func (r *RecordScreen) selectRange(sample int64) {
	a, b := min(r.anchor, sample), max(r.anchor, sample)
	r.Strip.SetSelection(a, b, sample)
	r.Strip.EnsureVisible(sample)
	r.selected()
}

// setCursor puts the cursor at sample with nothing selected.
func (r *RecordScreen) setCursor(sample int64) {
	r.anchor = sample
	r.Strip.SetSelection(1, 0, sample)
	r.Strip.EnsureVisible(sample)
	r.selected()
}

// selected tells OnSelect and the status line about a new selection.
func (r *RecordScreen) selected() {
	r.clearPicks()
	if r.OnSelect != nil {
		a, _, ok, _ := r.Strip.Selection()
		if !ok {
			a = -1
		}
		r.OnSelect(a)
	}
	r.status.SetText(r.statusText(r.Strip.View()))
	if r.mode == modeDisclosure {
		r.Disclosure.Refresh()
	}
}

// here is where navigation starts from: the cursor, else the view's start.
func (r *RecordScreen) here() int64 {
	if _, _, _, c := r.Strip.Selection(); c >= 0 {
		return c
	}
	a, _ := r.Strip.View()
	return a - 1
}

// selectedBeats returns the samples of the beats in the selection.
func (r *RecordScreen) selectedBeats() []int64 {
	if len(r.picked) > 0 {
		return slices.Clone(r.picked)
	}
	a, b, ok, _ := r.Strip.Selection()
	if !ok {
		return nil
	}
	var out []int64
	for _, bt := range r.labels.BeatsIn(a, b+1) {
		out = append(out, bt.Sample)
	}
	return out
}

// step selects the next (dir > 0) or previous beat; with extend, it grows
// the range selection instead.
func (r *RecordScreen) step(dir int, extend bool) {
	from := r.here()
	if a, b, ok, _ := r.Strip.Selection(); ok && extend {
		from = b
		if dir < 0 && r.anchor >= b {
			from = a
		}
	}
	bt, ok := r.labels.Next(from, dir, func(annotate.Beat) bool { return true })
	if !ok {
		r.status.SetText(r.statusText(r.Strip.View()) + "  ·  no more beats this way")
		return
	}
	if s := bt.Sample; extend {
		r.selectRange(s)
	} else {
		r.selectBeat(s)
	}
}

// jump selects the next (dir > 0) or previous beat for which ok holds,
// saying so when there is none.
func (r *RecordScreen) jump(dir int, what string, ok func(annotate.Beat) bool) {
	bt, found := r.labels.Next(r.here(), dir, ok)
	if !found {
		r.status.SetText("No " + what + " beat " + map[bool]string{true: "after", false: "before"}[dir > 0] + " the cursor.")
		return
	}
	s := bt.Sample
	r.selectBeat(s)
	r.Strip.CenterOn(float64(s))
}

// nextEpisode selects the next (dir > 0) or previous episode start.
func (r *RecordScreen) nextEpisode(dir int) {
	here := r.here()
	var best *annotate.EpisodeEntry
	eps := r.labels.Episodes()
	for i, e := range eps {
		if dir > 0 && e.Start > here && (best == nil || e.Start < best.Start) {
			best = &eps[i]
		}
		if dir < 0 && e.Start < here && (best == nil || e.Start > best.Start) {
			best = &eps[i]
		}
	}
	if best == nil {
		r.status.SetText("No episode " + map[bool]string{true: "after", false: "before"}[dir > 0] + " the cursor.")
		return
	}
	r.selectEpisode(best.ID)
	r.anchor = best.Start
	r.Strip.SetSelection(best.Start, best.End-1, best.Start)
	r.Strip.ScrollTo(float64(best.Start) - r.Strip.span()/10)
	r.selected()
}

// page moves the strip or the disclosure a page on and selects its first
// beat.
func (r *RecordScreen) page(dir int) {
	if r.mode == modeDisclosure {
		r.Disclosure.PageBy(dir)
		a, _ := r.Disclosure.Page()
		r.Strip.ScrollTo(float64(a))
		return
	}
	r.Strip.ScrollBy(float64(dir) * pageStep)
	a, b := r.Strip.View()
	if bs := r.labels.BeatsIn(a, b); len(bs) > 0 {
		r.anchor = bs[0].Sample
		r.Strip.SetSelection(bs[0].Sample, bs[0].Sample, bs[0].Sample)
		r.selected()
	}
}

// home goes to the first (end: last) beat of the record.
func (r *RecordScreen) home(end bool) {
	if end {
		r.Strip.ScrollTo(float64(r.info.NSamples))
	} else {
		r.Strip.ScrollTo(0)
	}
	if all := r.labels.All(); len(all) > 0 {
		i := 0
		if end {
			i = len(all) - 1
		}
		r.selectBeat(all[i].Sample)
	}
	if r.mode == modeDisclosure {
		r.Disclosure.ShowSample(r.here())
		r.status.SetText(r.statusText(r.Strip.View()))
	}
}

// moveCursor moves the cursor by dir steps of cursorStep, keeping the
// selection (so m can move the selected beat there).
func (r *RecordScreen) moveCursor(dir int) {
	d := int64(float64(dir) * cursorStep.Seconds() * r.info.Fs)
	c := max(0, min(r.here()+d, r.info.NSamples-1))
	a, b, ok, _ := r.Strip.Selection()
	if !ok {
		a, b = 1, 0
	}
	r.Strip.SetSelection(a, b, c)
	r.Strip.EnsureVisible(c)
	r.selected()
}

// tapAt handles a click on the strip: the beat under it is selected (or
// the range to it, with Shift), else the cursor goes there.
func (r *RecordScreen) tapAt(sample int64, shift bool) {
	r.Episodes.Select(0)
	if b, ok := r.Strip.beatNear(r.Strip.xOf(sample)); ok {
		sample = b
		if !shift {
			r.selectBeat(b)
			return
		}
	}
	if shift {
		r.selectRange(sample)
		return
	}
	r.setCursor(sample)
}

// seek centres the strip on sample (an overview click) and selects the
// beat nearest it, so the keys act there and the status line names it.
func (r *RecordScreen) seek(sample int64) {
	r.Strip.CenterOn(float64(sample))
	if r.mode == modeDisclosure {
		r.Disclosure.ShowSample(sample)
	}
	r.Episodes.Select(0)
	if bt, ok := r.labels.Nearest(sample); ok && r.inView(bt.Sample) {
		r.selectBeat(bt.Sample)
	} else {
		r.setCursor(sample)
	}
	r.FocusView()
}

// ShowSample centres the strip on sample (a jump from the template or
// queue screen) with the beat there selected, or the cursor there when it
// is no beat (a gap: i inserts one), and the status line saying so.
func (r *RecordScreen) ShowSample(sample int64) {
	r.setMode(modeStrip)
	r.Strip.CenterOn(float64(sample))
	r.Episodes.Select(0)
	if _, ok := r.labels.Beat(sample); ok {
		r.selectBeat(sample)
	} else {
		r.setCursor(sample)
	}
	r.FocusView()
}

// dropGoneBeat turns the selection of one beat that is no longer there
// (a redone delete, an edit in another screen) into the cursor at its
// place, so no band stays on a beat that is gone.
func (r *RecordScreen) dropGoneBeat() {
	a, b, ok, _ := r.Strip.Selection()
	if !ok || a != b {
		return
	}
	if _, found := r.labels.Beat(a); !found {
		r.anchor = a
		r.Strip.SetSelection(1, 0, a)
	}
}

// inView reports whether sample is on the strip as it shows now.
func (r *RecordScreen) inView(sample int64) bool {
	a, b := r.Strip.View()
	return sample >= a && sample < b
}

// selectionText describes the selection for the status line.
func (r *RecordScreen) selectionText() string {
	a, b, ok, c := r.Strip.Selection()
	fs := r.info.Fs
	switch {
	case ok && a == b:
		bt, found := r.labels.Beat(a)
		if !found {
			break
		}
		txt := fmt.Sprintf("beat %s at %s, %s", bt.Code.Symbol(), trace.Clock(float64(a)/fs, true), provText(bt))
		return txt
	case ok:
		return fmt.Sprintf("%s selected, %s – %s", Count(len(r.labels.BeatsIn(a, b+1)), "beat"),
			trace.Clock(float64(a)/fs, true), trace.Clock(float64(b)/fs, true))
	case c >= 0:
		return "cursor at " + trace.Clock(float64(c)/fs, true)
	}
	return ""
}

// provText says who set a beat's label and whether it was reviewed.
func provText(b annotate.Beat) string {
	who := b.Prov.Source.String()
	if b.Prov.Who != "" {
		who += " " + b.Prov.Who
	}
	if b.Prov.Confidence > 0 {
		who += fmt.Sprintf(" (%.0f %%)", 100*b.Prov.Confidence)
	}
	return who + ", " + b.Review.String()
}
