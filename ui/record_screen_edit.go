package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
)

// do has the label view run c: it shows at once, marked as being saved,
// and the editor stores it; once stored, OnKeyStored and OnEdit hear of it
// and then (when not nil) gets what was stored. An edit the editor refuses
// is taken back by the view and the reader told why.
func (r *RecordScreen) do(c annotate.Command, then func(annotate.Diff)) {
	if r.labels.Editor() == nil {
		r.showError(fmt.Errorf("%s: %w", c.Action(), ErrNoEditor))
		return
	}
	if r.askReopen(c, then) {
		return
	}
	r.clearPicks() // the edit has taken them
	keyT := r.keyAt
	r.labels.Do(c, func(d annotate.Diff, err error) {
		if err != nil {
			r.showError(fmt.Errorf("%s: %w", c.Action(), err))
			return
		}
		if !keyT.IsZero() && r.OnKeyStored != nil {
			r.OnKeyStored(time.Since(keyT))
		}
		if r.OnEdit != nil {
			r.OnEdit(c.Action(), c.Touched())
		}
		if then != nil {
			then(d)
		}
	})
}

// askReopen asks once, when c edits a signed-off label set, whether to
// reopen it: Yes has the view run the audited Reopen and then c, No leaves
// everything as it was. Once reopened, the set is in progress and further
// edits go through without asking. It reports whether it took c over.
func (r *RecordScreen) askReopen(c annotate.Command, then func(annotate.Diff)) bool {
	st := r.labels.Status()
	if st.State != annotate.StateSignedOff || !isEdit(c) {
		return false
	}
	msg := reopenQuestion(st)
	if r.win == nil { // nowhere to ask: refuse, and say why
		r.status.SetText(msg + " (Sign-off is locked: open the record in a window to reopen it.)")
		return true
	}
	dialog.ShowConfirm("Signed off", msg, func(ok bool) {
		if ok {
			r.do(annotate.Reopen{Why: "to " + string(c.Action())}, nil)
			r.do(c, then)
		}
	}, r.win)
	return true
}

// isEdit reports whether c changes labels (a sign-off, a reopening and
// undo or redo of them do not need the set open).
func isEdit(c annotate.Command) bool {
	switch c.(type) {
	case annotate.SignOff, annotate.Reopen, annotate.Undo, annotate.Redo:
		return false
	}
	return true
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
		r.do(annotate.Relabel{Samples: s, Code: c}, nil)
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
	if _, ok := r.labels.Beat(at); ok {
		r.status.SetText("There is a beat at that peak already.")
		r.selectBeat(at)
		return
	}
	r.do(annotate.Insert{Sample: at, Code: annotate.Normal}, nil)
	r.selectBeat(at)
}

// deleteSelection deletes the selected episode, else the selected beats,
// else the noise stretch under the cursor.
func (r *RecordScreen) deleteSelection() {
	if id := r.episode; id != 0 {
		r.do(annotate.DeleteEpisode{ID: id}, nil)
		r.selectEpisode(0)
		return
	}
	if s := r.selectedBeats(); len(s) > 0 {
		r.do(annotate.Delete{Samples: s}, nil)
		r.setCursor(s[0])
		return
	}
	c := r.here()
	for _, n := range r.labels.Noise() {
		if c >= n.Start && c < n.End {
			r.do(annotate.ClearNoise{ID: n.ID}, nil)
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
	if _, ok := r.labels.Beat(to); ok {
		r.status.SetText("There is a beat at that peak already.")
		return
	}
	r.do(annotate.Move{From: from, To: to}, nil)
	r.selectBeat(to)
}

// confirmSelection confirms the selected beats.
func (r *RecordScreen) confirmSelection() {
	if s := r.needBeats(); s != nil {
		r.do(annotate.Confirm{Samples: s}, nil)
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
	r.do(annotate.Confirm{Samples: s}, nil)
}

// Undo undoes the reader's last command (as Ctrl+Z does).
func (r *RecordScreen) Undo() {
	if r.labels.Editor() != nil && !r.labels.CanUndo() {
		r.status.SetText("Nothing to undo.")
		return
	}
	r.do(annotate.Undo{}, nil)
}

// Redo does the last undone command again (as Ctrl+Shift+Z does).
func (r *RecordScreen) Redo() {
	if r.labels.Editor() != nil && !r.labels.CanRedo() {
		r.status.SetText("Nothing to redo.")
		return
	}
	r.do(annotate.Redo{}, nil)
}

// markNoise marks the selected range as noise on every lead.
func (r *RecordScreen) markNoise() {
	a, b, ok, _ := r.Strip.Selection()
	if !ok || a == b {
		r.status.SetText("Select a range first (Shift+arrows or Shift+click), then press ~.")
		return
	}
	r.do(annotate.MarkNoise{Noise: annotate.Noise{Start: a, End: b + 1, Lead: -1, Reason: "noise"}}, nil)
}

// signOffMessage is the sign-off question: it says how many beats nobody
// reviewed and where their labels come from, since they are signed off as
// they stand: imported reference labels as imported, the others as the
// models (or the detector, the adapter, a propagated correction) gave them.
func signOffMessage(record, reader string, beats []annotate.Beat) string {
	imported, other := 0, 0
	for _, b := range beats {
		switch {
		case b.Review != annotate.Unreviewed || !b.Code.IsBeat() || b.Prov.Source == annotate.SourceReader:
		case b.Prov.Source == annotate.SourceReference:
			imported++
		default:
			other++
		}
	}
	msg := fmt.Sprintf("Sign off %s as reader %s?", record, reader)
	if other > 0 {
		msg += fmt.Sprintf("\n%s not been reviewed: signed off with the labels the models gave.", phrase(other, "beat has", "beats have"))
	}
	if imported > 0 {
		msg += fmt.Sprintf("\n%s imported reference labels, not reviewed here: signed off as imported.", phrase(imported, "beat keeps its", "beats keep their"))
	}
	return msg
}

// SignOff asks the reader to confirm, then signs the label set off.
func (r *RecordScreen) SignOff() {
	ed := r.labels.Editor()
	if ed == nil {
		r.showError(fmt.Errorf("sign off: %w", ErrNoEditor))
		return
	}
	msg := signOffMessage(r.info.Name, string(ed.Reader()), r.labels.All())
	if r.win == nil {
		r.do(annotate.SignOff{}, nil)
		return
	}
	dialog.ShowConfirm("Sign off", msg, func(ok bool) {
		if ok {
			r.do(annotate.SignOff{}, nil)
		}
	}, r.win)
}
