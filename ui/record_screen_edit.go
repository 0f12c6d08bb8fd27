package ui

import (
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
)

// ErrNoEditor is the error of an edit while no label database is open.
var ErrNoEditor = errors.New("no label database is open, so labels cannot be changed")

// editMargin is how far around the touched samples the labels are read
// again after an edit (a moved beat, a merge window).
const editMargin = 2

// spanActions are the edits that change episodes or noise stretches.
var spanActions = map[annotate.Action]bool{annotate.ActSetEpisode: true, annotate.ActChangeEpisode: true,
	annotate.ActDeleteEpisode: true, annotate.ActMarkNoise: true, annotate.ActClearNoise: true}

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
		r.do(command{act: annotate.ActRelabel, touched: s, preview: r.previewRelabel(s, c),
			run: func(e Editor) error { return e.Relabel(s, c, "") }})
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
	r.do(command{act: annotate.ActInsert, touched: []int64{at}, preview: r.previewInsert(at, annotate.Normal),
		run: func(e Editor) error { return e.Insert(at, annotate.Normal, "") }})
	r.selectBeat(at)
}

// deleteSelection deletes the selected episode, else the selected beats,
// else the noise stretch under the cursor.
func (r *RecordScreen) deleteSelection() {
	if id := r.episode; id != 0 {
		r.do(command{act: annotate.ActDeleteEpisode, run: func(e Editor) error { return e.DeleteEpisode(id, "") },
			preview: func(l *Labels) {
				l.episodes = slices.DeleteFunc(slices.Clone(l.episodes), func(e annotate.EpisodeEntry) bool { return e.ID == id })
			}})
		r.selectEpisode(0)
		return
	}
	if s := r.selectedBeats(); len(s) > 0 {
		r.do(command{act: annotate.ActDelete, touched: s, preview: previewDelete(s),
			run: func(e Editor) error { return e.Delete(s, "") }})
		r.setCursor(s[0])
		return
	}
	c := r.here()
	for _, n := range r.labels.Noise() {
		if c >= n.Start && c < n.End {
			id := n.ID
			r.do(command{act: annotate.ActClearNoise, touched: []int64{c}, run: func(e Editor) error { return e.ClearNoise(id, "") }})
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
	if r.labels.beatAt(to) >= 0 {
		r.status.SetText("There is a beat at that peak already.")
		return
	}
	r.do(command{act: annotate.ActMove, touched: []int64{from, to}, preview: r.previewMove(from, to),
		run: func(e Editor) error { return e.Move(from, to, "") }})
	r.selectBeat(to)
}

// confirmSelection confirms the selected beats.
func (r *RecordScreen) confirmSelection() {
	if s := r.needBeats(); s != nil {
		r.do(command{act: annotate.ActConfirm, touched: s, preview: previewConfirm(s),
			run: func(e Editor) error { return e.Confirm(s, "") }})
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
	r.do(command{act: annotate.ActConfirm, touched: s, preview: previewConfirm(s),
		run: func(e Editor) error { return e.Confirm(s, "") }})
}

// undo undoes the reader's last command.
func (r *RecordScreen) undo() {
	if r.editor != nil && r.labels.undo == nil {
		r.status.SetText("Nothing to undo.")
		return
	}
	r.do(command{act: "undo", run: func(e Editor) error { return e.Undo() }})
}

// redo does the last undone command again.
func (r *RecordScreen) redo() {
	if r.editor != nil && r.labels.redo == nil {
		r.status.SetText("Nothing to redo.")
		return
	}
	r.do(command{act: "redo", run: func(e Editor) error { return e.Redo() }})
}

// markNoise marks the selected range as noise on every lead.
func (r *RecordScreen) markNoise() {
	a, b, ok, _ := r.Strip.Selection()
	if !ok || a == b {
		r.status.SetText("Select a range first (Shift+arrows or Shift+click), then press ~.")
		return
	}
	n := annotate.Noise{Start: a, End: b + 1, Lead: -1, Reason: "noise", Prov: r.readerProv()}
	r.do(command{act: annotate.ActMarkNoise, touched: []int64{a, b},
		run:     func(e Editor) error { _, err := e.MarkNoise(n, ""); return err },
		preview: func(l *Labels) { l.noise = append(slices.Clone(l.noise), annotate.NoiseEntry{Noise: n}) }})
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
	do := func() {
		r.do(command{act: annotate.ActSignOff, touched: []int64{0}, run: func(e Editor) error { return e.SignOff("") }})
	}
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
