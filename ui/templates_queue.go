package ui

import (
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// queueCell is the size of a review-queue tile.
var queueCell = fyne.NewSize(230, 130)

// QueueKeys is the review queue's keyboard help.
const QueueKeys = "Enter or C confirm · N S V F Q fix · Delete not a beat · each moves on · J strip · arrows move"

// QueueActions are what the review queue asks of package app: each goes
// through the reader's session.
type QueueActions struct {
	Confirm func(sample int64) error
	Fix     func(sample int64, c annotate.Code) error
	Delete  func(sample int64) error // the beat is no beat (a false detection)
	Jump    func(sample int64)
	Snippet func(at int64) (*Snippet, error)
	// Reopen offers to reopen a signed-off label set when a confirmation
	// or fix is refused for it (see Reopener).
	Reopen Reopener
}

// QueueEntry is one item of the review queue with what the tile says.
type QueueEntry struct {
	Item  review.Item
	Label annotate.Code // the beat's current label (gap items: none)
	Time  string        // where it is, as a clock time
	// Why says in words why the item is asked (the adaptive queue's
	// review.Question.Reason); empty: the reasons of Item.Reasons.
	Why  string
	done string // what the reader did: "confirmed", "now V"
}

// ReviewQueue shows the beats most likely wrong first; one key confirms or
// fixes the selected beat and moves to the next.
type ReviewQueue struct {
	Actions QueueActions

	grid     *tileGrid
	status   *widget.Label
	content  fyne.CanvasObject
	entries  []QueueEntry
	snippets *snippetCache
	win      fyne.Window
}

// NewReviewQueue returns an empty queue view.
func NewReviewQueue(a QueueActions) *ReviewQueue {
	q := &ReviewQueue{Actions: a, grid: newTileGrid(queueCell), status: widget.NewLabel(QueueKeys)}
	q.snippets = newSnippetCache(func(at int64) (*Snippet, error) { return callSnippet(q.Actions.Snippet, at) })
	q.grid.OnRune, q.grid.OnKey = q.onRune, q.onKey
	q.grid.OnActivate = func(i int) { q.jump(i) }
	q.grid.setEmpty("The review queue is empty.")
	q.status.Truncation = fyne.TextTruncateEllipsis
	q.content = container.NewBorder(q.status, nil, nil, nil, q.grid)
	return q
}

// Content returns the view's canvas object.
func (q *ReviewQueue) Content() fyne.CanvasObject { return q.content }

// SetWindow names the window the queue's dialogs open over.
func (q *ReviewQueue) SetWindow(w fyne.Window) { q.win = w }

// Grid returns the focusable queue, for the window to focus.
func (q *ReviewQueue) Grid() fyne.Focusable { return q.grid }

// Entries returns the queue on show.
func (q *ReviewQueue) Entries() []QueueEntry { return q.entries }

// SetEntries shows the queue (highest score first). The item selected
// before stays selected when its sample is still in es; when it is gone,
// nothing is selected (a key then acts on no beat the reader has not
// looked at) and the status line says so. A first queue selects its first
// item.
func (q *ReviewQueue) SetEntries(es []QueueEntry) {
	prev, had := q.selectedSample()
	first := len(q.entries) == 0
	q.entries = es
	q.snippets.reset()
	n := min(len(es), 400) // the rest waits for a refresh: nobody reads 400 in a row
	tiles := q.grid.setLen(n)
	for i := range tiles {
		q.fill(i)
	}
	q.status.SetText(fmt.Sprintf("%s, %s first · %s", Count(len(es), "item"), queueOrder(es), QueueKeys))
	switch i := q.indexOf(prev, n); {
	case i >= 0 && had:
		q.grid.Select(i)
	case first && n > 0:
		q.grid.Select(0)
	default:
		q.grid.deselect()
	}
	if had && q.grid.Selected() < 0 {
		q.status.SetText(fmt.Sprintf("%s, ranked anew: the item you were on left the queue; choose one · %s", Count(len(es), "item"), QueueKeys))
	}
}

// Relabel shows each open beat item's current label, code's answer for
// its sample (after labels changed elsewhere), without reordering the
// queue or moving the selection.
func (q *ReviewQueue) Relabel(code func(sample int64) (annotate.Code, bool)) {
	for i := range q.entries {
		e := &q.entries[i]
		c, ok := code(e.Item.Sample)
		if e.Item.Kind != review.ItemBeat || e.done != "" || !ok || c == e.Label {
			continue
		}
		e.Label = c
		if i < len(q.grid.tiles) {
			q.fill(i)
		}
	}
}

// selectedSample returns the sample of the selected item; false when
// nothing is selected.
func (q *ReviewQueue) selectedSample() (int64, bool) {
	i := q.grid.Selected()
	if i < 0 || i >= len(q.entries) || i >= len(q.grid.tiles) {
		return 0, false
	}
	return q.entries[i].Item.Sample, true
}

// indexOf returns the index of the item at sample among the first n
// entries, -1 when none.
func (q *ReviewQueue) indexOf(sample int64, n int) int {
	for i, e := range q.entries[:n] {
		if e.Item.Sample == sample {
			return i
		}
	}
	return -1
}

func (q *ReviewQueue) fill(i int) {
	e := &q.entries[i]
	tl := q.grid.tiles[i]
	head := fmt.Sprintf("%s  %s  score %.2f", e.Time, e.Label.Symbol(), e.Item.Score)
	switch {
	case e.Item.Kind == review.ItemGap:
		head = fmt.Sprintf("%s  gap: a missed beat?", e.Time)
	case e.Why != "": // a question: its reason says what it is worth
		head = fmt.Sprintf("%s  %s  is it %s?", e.Time, e.Label.Symbol(), e.Label.Class())
	}
	why := e.Why
	if why == "" {
		why = reasonText(e.Item.Reasons)
	}
	if e.done != "" {
		why = "✓ " + e.done
	}
	caption := append([]string{head}, wrapReason(why, queueLine)...)
	sn, ok := q.snippets.get(e.Item.Sample, func(*Snippet) {
		if i < len(q.entries) && q.entries[i].Item.Sample == e.Item.Sample {
			q.fill(i)
		}
	})
	if !ok {
		tl.set(nil, caption...)
		return
	}
	tl.set(func(img *image.RGBA, p tilePalette, env *trace.Envelope) { drawSnippetImage(img, sn, p, env) }, caption...)
}

// queueLine is about how many characters of a caption fit a queue tile.
const queueLine = 38

// wrapReason packs the "; "-separated parts of a reason into lines of
// about width characters (a longer part stays whole).
func wrapReason(s string, width int) []string {
	var lines []string
	for _, part := range strings.Split(s, "; ") {
		if n := len(lines); n > 0 && len(lines[n-1])+2+len(part) <= width {
			lines[n-1] += "; " + part
			continue
		}
		lines = append(lines, part)
	}
	return lines
}

// queueOrder says how the queue is ordered: the adaptive queue (its items
// say why they are asked) by the labels an answer would change.
func queueOrder(es []QueueEntry) string {
	for _, e := range es {
		if e.Why != "" {
			return "the answers that would change the most labels"
		}
	}
	return "most likely wrong"
}

// reasonText says in words why an item is in the queue.
func reasonText(r review.Reason) string {
	var out []string
	for _, x := range []struct {
		r review.Reason
		s string
	}{{review.LowConfidence, "low confidence"}, {review.ClusterDisagrees, "cluster disagrees"},
		{review.ModelDisagrees, "model disagrees"}, {review.OddRR, "odd RR"}, {review.GapRR, "long RR"}} {
		if r&x.r != 0 {
			out = append(out, x.s)
		}
	}
	return strings.Join(out, ", ")
}

func (q *ReviewQueue) onRune(r rune) {
	i := q.grid.Selected()
	if i < 0 || i >= len(q.grid.tiles) {
		return
	}
	e := &q.entries[i]
	if k, ok := annotate.ParseClass(strings.ToUpper(string(r))); ok && e.Item.Kind == review.ItemBeat {
		q.act(i, "now "+k.String(), func() error { return q.Actions.Fix(e.Item.Sample, k.Code()) })
		return
	}
	switch r {
	case 'c', 'C':
		q.confirm(i)
	case 'j', 'J':
		q.jump(i)
	}
}

func (q *ReviewQueue) onKey(e *fyne.KeyEvent) {
	i := q.grid.Selected()
	if i < 0 || i >= len(q.entries) {
		return
	}
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		q.confirm(i)
	case fyne.KeyDelete:
		if it := q.entries[i].Item; it.Kind == review.ItemBeat && q.Actions.Delete != nil {
			q.act(i, "deleted", func() error { return q.Actions.Delete(it.Sample) })
		}
	}
}

// confirm confirms a beat item; a gap item is for the strip (insert a
// beat there), so Enter jumps to it instead.
func (q *ReviewQueue) confirm(i int) {
	e := &q.entries[i]
	if e.Item.Kind == review.ItemGap {
		q.jump(i)
		return
	}
	q.act(i, "confirmed", func() error { return q.Actions.Confirm(e.Item.Sample) })
}

// act does f on item i, marks the tile done and moves to the next item.
func (q *ReviewQueue) act(i int, done string, f func() error) {
	if f == nil {
		return
	}
	if err := f(); err != nil {
		if !q.Actions.Reopen.offer(err, q.win, "review queue: "+done, func() { q.act(i, done, f) }, q.status.SetText) {
			q.status.SetText("Not done: " + err.Error())
		}
		return
	}
	q.entries[i].done = done
	if k, ok := annotate.ParseClass(strings.TrimPrefix(done, "now ")); ok {
		q.entries[i].Label = k.Code()
	}
	q.snippets.reset()
	q.fill(i)
	q.grid.Select(min(i+1, len(q.grid.tiles)-1))
	q.status.SetText(fmt.Sprintf("item %d of %d %s · %s", i+1, len(q.entries), done, QueueKeys))
}

func (q *ReviewQueue) jump(i int) {
	if q.Actions.Jump != nil && i >= 0 && i < len(q.entries) {
		q.Actions.Jump(q.entries[i].Item.Sample)
	}
}
