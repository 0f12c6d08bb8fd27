package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// signedOffSession returns a session of reader alice on a procedural
// record's model beats, signed off, and its beats.
func signedOffSession(t *testing.T) (*annotate.Session, []annotate.Beat) {
	t.Helper()
	sess := modelSession(t, tracetest.New(250, 1, 2*time.Minute), "alice")
	if err := sess.SignOff("read"); err != nil {
		t.Fatal(err)
	}
	return sess, sess.BeatsIn(0, 1<<62)
}

// reopenerOf is the Reopener package app gives the screens.
func reopenerOf(sess *annotate.Session) Reopener {
	return Reopener{Status: sess.Status, Reopen: sess.Reopen}
}

// checkReopenOffer types key on a screen whose edits go to sess (signed
// off) and checks the offer: the key asks and changes nothing; No leaves
// the set signed off; the key again and Yes reopen it (an audited reopen
// with the edit's name as the reason) and do the edit, after which the
// beat at sample has code c and the next edit goes through unasked.
func checkReopenOffer(t *testing.T, w fyne.Window, sess *annotate.Session, key func(), sample int64, c annotate.Code) {
	t.Helper()
	signed := sess.Status()
	key()
	if !overlayAsks(w, "signed off by alice") {
		t.Fatal("an edit of a signed-off record did not offer to reopen it")
	}
	if b, _ := sess.Beat(sample); sess.Status() != signed || b.Code == c {
		t.Fatal("the edit changed the signed-off record before the reader answered")
	}
	test.Tap(overlayButton(w, "No"))
	if sess.Status() != signed {
		t.Fatalf("No reopened the record: %+v", sess.Status())
	}
	key()
	yes := overlayButton(w, "Yes")
	if yes == nil {
		t.Fatal("the edit did not ask again while still signed off")
	}
	test.Tap(yes)
	if st := sess.Status(); st.State != annotate.StateInProgress {
		t.Fatalf("after Yes status %+v, want in progress", st)
	}
	if b, _ := sess.Beat(sample); b.Code != c {
		t.Errorf("beat %d after Yes: %s, want %s", sample, b.Code, c)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("a dialog is still open after Yes")
	}
}

// TestTemplateScreenOffersReopen: relabelling a cluster of a signed-off
// record offers to reopen it, as the record screen does.
func TestTemplateScreenOffersReopen(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	sess, beats := signedOffSession(t)
	members := []int64{beats[3].Sample, beats[4].Sample}
	s := NewTemplateScreen(TemplateActions{
		Relabel: func(id int, c annotate.Code) error { return sess.RelabelSet(members, c, "template") },
		Reopen:  reopenerOf(sess),
	})
	tp := testTemplate(1, 2, annotate.ClassN, 1, 0.012)
	tp.Beats = members
	s.SetTemplates([]review.Template{tp})
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(900, 640))
	s.SetWindow(w)
	checkReopenOffer(t, w, sess, func() { test.Type(s.Gallery(), "v") }, members[0], annotate.PVC)
	if e, ok := sess.CanUndo(); !ok || e.Action != annotate.ActRelabelSet {
		t.Errorf("last command %+v, want the cluster relabel after the reopening", e)
	}
}

// TestReviewQueueOffersReopen: a fix in the review queue of a signed-off
// record offers to reopen it; after Yes the fix is done and the queue
// moves on.
func TestReviewQueueOffersReopen(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	sess, beats := signedOffSession(t)
	q := NewReviewQueue(QueueActions{
		Confirm: func(s int64) error { return sess.Confirm([]int64{s}, "review queue") },
		Fix:     func(s int64, c annotate.Code) error { return sess.Relabel([]int64{s}, c, "review queue") },
		Reopen:  reopenerOf(sess),
	})
	at := beats[5].Sample
	q.SetEntries([]QueueEntry{
		{Item: review.Item{Kind: review.ItemBeat, Sample: at, Score: 1}, Label: annotate.Normal},
		{Item: review.Item{Kind: review.ItemBeat, Sample: beats[6].Sample, Score: 0.5}, Label: annotate.Normal},
	})
	w := test.NewTempWindow(t, q.Content())
	w.Resize(fyne.NewSize(800, 500))
	q.SetWindow(w)
	checkReopenOffer(t, w, sess, func() { test.Type(q.Grid(), "v") }, at, annotate.PVC)
	if q.Entries()[0].done != "now V" || q.grid.Selected() != 1 {
		t.Errorf("after Yes entry %+v, selected %d: want done and moved on", q.Entries()[0], q.grid.Selected())
	}
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.Canvas().Overlays().Top() != nil || q.Entries()[1].done != "confirmed" {
		t.Errorf("the confirmation after reopening asked again or failed: %+v", q.Entries()[1])
	}
}
