package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
)

// Reopener is how a screen that edits through package app's actions (the
// template screen and the review queue) offers to reopen a signed-off
// label set, as the record screen does: an edit the session refuses with
// annotate.ErrSignedOff asks the reader once; Yes reopens the set (the
// session audits it) and does the edit again, No leaves everything as it
// was. Without Reopen the refusal is only shown.
type Reopener struct {
	Status func() annotate.Status // the label set's status now
	Reopen func(why string) error // annotate.Session.Reopen
}

// reopenQuestion is what every screen asks on an edit of a signed-off set.
func reopenQuestion(st annotate.Status) string {
	return fmt.Sprintf("This record is signed off by %s at %s. Reopen it to edit?",
		st.By, st.At.Local().Format("2006-01-02 15:04"))
}

// offer asks over win, when err is annotate.ErrSignedOff, whether to reopen
// the label set to do what: Yes reopens it and calls retry, No or a failed
// reopening is told through say. It reports whether it asked (false: err
// is another error, or there is no window or Reopen to ask with).
func (o Reopener) offer(err error, win fyne.Window, what string, retry func(), say func(string)) bool {
	if !errors.Is(err, annotate.ErrSignedOff) || o.Reopen == nil || win == nil {
		return false
	}
	var st annotate.Status
	if o.Status != nil {
		st = o.Status()
	}
	dialog.ShowConfirm("Signed off", reopenQuestion(st), func(ok bool) {
		if !ok {
			say("Not done: the record stays signed off.")
			return
		}
		if err := o.Reopen("to " + what); err != nil {
			say("Not reopened: " + err.Error())
			return
		}
		retry()
	}, win)
	return true
}
