package ui

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
)

// ErrNoEditor is the error of an edit while no label database is open.
var ErrNoEditor = errors.New("no label database is open, so labels cannot be changed")

// editMargin is how far around the touched samples the labels are read
// again after an edit (a moved beat, a merge window).
const editMargin = 2

// edit runs one command through the editor. On success it reads the labels
// around touched again (all of them when touched is nil) and redraws; on
// failure it shows what went wrong and changes nothing.
func (r *RecordScreen) edit(a annotate.Action, touched []int64, cmd func(Editor) error) bool {
	if r.editor == nil {
		r.showError(fmt.Errorf("%s: %w", a, ErrNoEditor))
		return false
	}
	if err := cmd(r.editor); err != nil {
		r.showError(fmt.Errorf("%s: %w", a, err))
		return false
	}
	r.applyEdit(touched)
	if r.OnEdit != nil {
		r.OnEdit(a, touched)
	}
	return true
}

// applyEdit reads back what an edit touched (everything when touched is
// nil) and shows it. When the edit was the only commit since the copy was
// whole, the copy is whole again and the watcher need not read.
func (r *RecordScreen) applyEdit(touched []int64) {
	prev := r.shown.Load()
	u := ReadUpdate(r.editor, 0, math.MaxInt64)
	if len(touched) > 0 {
		lo, hi := slices.Min(touched), slices.Max(touched)
		u = ReadUpdate(r.editor, lo-editMargin, hi+editMargin+1)
	}
	r.minRev = max(r.minRev, u.Rev)
	if u.full() || u.Rev == prev+1 {
		r.shown.Store(u.Rev)
	}
	r.Update(u)
}

// needBeats returns the selected beats, or says how to select some.
func (r *RecordScreen) needBeats() []int64 {
	s := r.selectedBeats()
	if len(s) == 0 {
		r.status.SetText("Select a beat first: the arrow keys, or a click on it.")
	}
	return s
}

// relabel gives the selected beats code c.
func (r *RecordScreen) relabel(c annotate.Code) {
	if s := r.needBeats(); s != nil {
		r.edit(annotate.ActRelabel, s, func(e Editor) error { return e.Relabel(s, c, "") })
	}
}

// snap returns the R peak nearest sample (sample itself without Snap).
func (r *RecordScreen) snap(sample int64) int64 {
	if r.Snap == nil {
		return sample
	}
	return r.Snap(sample)
}

// insert adds an N beat at the R peak nearest the cursor and selects it.
func (r *RecordScreen) insert() {
	c := r.here()
	if c < 0 {
		r.status.SetText("Put the cursor where the beat is first: a click, or , and .")
		return
	}
	at := r.snap(c)
	if r.labels.beatAt(at) >= 0 {
		r.status.SetText("There is a beat at that peak already.")
		r.selectBeat(at)
		return
	}
	if r.edit(annotate.ActInsert, []int64{at}, func(e Editor) error { return e.Insert(at, annotate.Normal, "") }) {
		r.selectBeat(at)
	}
}

// deleteSelection deletes the selected episode, else the selected beats,
// else the noise stretch under the cursor.
func (r *RecordScreen) deleteSelection() {
	if id := r.episode; id != 0 {
		if r.edit(annotate.ActDeleteEpisode, nil, func(e Editor) error { return e.DeleteEpisode(id, "") }) {
			r.selectEpisode(0)
		}
		return
	}
	if s := r.selectedBeats(); len(s) > 0 {
		if r.edit(annotate.ActDelete, s, func(e Editor) error { return e.Delete(s, "") }) {
			r.setCursor(s[0])
		}
		return
	}
	c := r.here()
	for _, n := range r.labels.Noise() {
		if c >= n.Start && c < n.End {
			id := n.ID
			r.edit(annotate.ActClearNoise, []int64{c}, func(e Editor) error { return e.ClearNoise(id, "") })
			return
		}
	}
	r.status.SetText("Nothing selected to delete.")
}

// moveToCursor moves the selected beat to the cursor.
func (r *RecordScreen) moveToCursor() {
	a, b, ok, c := r.Strip.Selection()
	if !ok || a != b || c == a {
		r.status.SetText("Select one beat, then put the cursor where it belongs (, and .), then press m.")
		return
	}
	r.moveBeat(a, c)
}

// moveBeat moves the beat at from to the R peak nearest to.
func (r *RecordScreen) moveBeat(from, to int64) {
	to = r.snap(to)
	if to == from {
		return
	}
	if r.edit(annotate.ActMove, []int64{from, to}, func(e Editor) error { return e.Move(from, to, "") }) {
		r.selectBeat(to)
	}
}

// confirmSelection confirms the selected beats.
func (r *RecordScreen) confirmSelection() {
	if s := r.needBeats(); s != nil {
		r.edit(annotate.ActConfirm, s, func(e Editor) error { return e.Confirm(s, "") })
	}
}

// confirmShown confirms every unreviewed beat on screen.
func (r *RecordScreen) confirmShown() {
	a, b := r.Strip.View()
	if r.mode == modeDisclosure {
		a, b = r.Disclosure.Page()
	}
	var s []int64
	for _, bt := range r.labels.BeatsIn(a, b) {
		if bt.Review == annotate.Unreviewed {
			s = append(s, bt.Sample)
		}
	}
	if len(s) == 0 {
		r.status.SetText("Every beat shown is reviewed already.")
		return
	}
	r.edit(annotate.ActConfirm, s, func(e Editor) error { return e.Confirm(s, "") })
}

// undo undoes the reader's last command.
func (r *RecordScreen) undo() {
	if r.editor != nil && r.labels.undo == nil {
		r.status.SetText("Nothing to undo.")
		return
	}
	r.edit("undo", nil, func(e Editor) error { return e.Undo() })
}

// redo does the last undone command again.
func (r *RecordScreen) redo() {
	if r.editor != nil && r.labels.redo == nil {
		r.status.SetText("Nothing to redo.")
		return
	}
	r.edit("redo", nil, func(e Editor) error { return e.Redo() })
}

// markNoise marks the selected range as noise on every lead.
func (r *RecordScreen) markNoise() {
	a, b, ok, _ := r.Strip.Selection()
	if !ok || a == b {
		r.status.SetText("Select a range first (Shift+arrows or Shift+click), then press ~.")
		return
	}
	n := annotate.Noise{Start: a, End: b + 1, Lead: -1, Reason: "noise", Prov: r.readerProv()}
	r.edit(annotate.ActMarkNoise, []int64{a, b}, func(e Editor) error { _, err := e.MarkNoise(n, ""); return err })
}

// readerProv is the provenance of a label the reader sets.
func (r *RecordScreen) readerProv() annotate.Provenance {
	p := annotate.Provenance{Source: annotate.SourceReader}
	if r.editor != nil {
		p.Who = string(r.editor.Reader())
	}
	return p
}

// SignOff asks the reader to confirm, then signs the label set off.
func (r *RecordScreen) SignOff() {
	if r.editor == nil {
		r.showError(fmt.Errorf("sign off: %w", ErrNoEditor))
		return
	}
	left := 0
	for _, b := range r.labels.All() {
		if b.Review == annotate.Unreviewed && b.Code.IsBeat() {
			left++
		}
	}
	msg := fmt.Sprintf("Sign off %s as reader %s?", r.info.Name, r.editor.Reader())
	if left > 0 {
		msg += fmt.Sprintf("\n%d beats have not been reviewed; they will be signed off as the model labelled them.", left)
	}
	do := func() { r.edit(annotate.ActSignOff, []int64{0}, func(e Editor) error { return e.SignOff("") }) }
	if r.win == nil {
		do()
		return
	}
	dialog.ShowConfirm("Sign off", msg, func(ok bool) {
		if ok {
			do()
		}
	}, r.win)
}
