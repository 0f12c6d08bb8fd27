package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
)

func TestReviewQueueKeys(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var confirmed []int64
	var fixed []annotate.Code
	var jumps, deleted []int64
	q := NewReviewQueue(QueueActions{
		Delete:  func(s int64) error { deleted = append(deleted, s); return nil },
		Confirm: func(s int64) error { confirmed = append(confirmed, s); return nil },
		Fix: func(s int64, c annotate.Code) error {
			if s == 300 {
				return errors.New("refused")
			}
			fixed = append(fixed, c)
			return nil
		},
		Jump: func(s int64) { jumps = append(jumps, s) },
		Snippet: func(at int64) (*Snippet, error) {
			return &Snippet{At: at, Start: at, Fs: 360, Values: [][]float32{{0, 1, 0}}}, nil
		},
	})
	q.SetEntries([]QueueEntry{
		{Item: review.Item{Kind: review.ItemBeat, Sample: 100, Score: 1.2, Reasons: review.LowConfidence | review.ClusterDisagrees}, Label: annotate.Normal},
		{Item: review.Item{Kind: review.ItemBeat, Sample: 200, Score: 0.9}, Label: annotate.Normal},
		{Item: review.Item{Kind: review.ItemGap, Sample: 250, End: 400, Score: 0.8}},
		{Item: review.Item{Kind: review.ItemBeat, Sample: 300, Score: 0.5}, Label: annotate.APC},
	})
	w := test.NewTempWindow(t, q.Content())
	w.Resize(fyne.NewSize(800, 500))
	// Enter confirms the first and moves on; V fixes the second and moves
	// on; Enter on the gap jumps there (a beat is inserted on the strip).
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(q.Grid(), "v")
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(confirmed) != 1 || confirmed[0] != 100 || len(fixed) != 1 || fixed[0] != annotate.PVC || len(jumps) != 1 || jumps[0] != 250 {
		t.Fatalf("confirmed %v fixed %v jumps %v", confirmed, fixed, jumps)
	}
	if q.Entries()[0].done != "confirmed" || q.Entries()[1].Label != annotate.PVC || q.grid.Selected() != 2 {
		t.Fatalf("entries %+v selected %d", q.Entries()[:2], q.grid.Selected())
	}
	// A refused fix leaves the item as it was and the selection on it.
	q.grid.Select(3)
	test.Type(q.Grid(), "n")
	if q.Entries()[3].done != "" || q.grid.Selected() != 3 {
		t.Fatalf("a refused fix changed the item: %+v", q.Entries()[3])
	}
	// Delete takes a false beat out and moves on; on a gap item it does
	// nothing.
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	q.grid.Select(2)
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if len(deleted) != 1 || deleted[0] != 300 || q.Entries()[3].done != "deleted" {
		t.Fatalf("deleted %v, item %+v; want the beat at 300 only", deleted, q.Entries()[3])
	}
}

// TestReviewQueueWhy: the adaptive queue's items show why they are asked,
// and the status line says how the queue is ordered.
func TestReviewQueueWhy(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	q := NewReviewQueue(QueueActions{})
	why := "unsure S/N (0.55); 1,240 beats look alike"
	q.SetEntries([]QueueEntry{{Item: review.Item{Kind: review.ItemBeat, Sample: 100, Score: 600, Reasons: review.OddRR},
		Label: annotate.Normal, Why: why}})
	if got := strings.Join(q.grid.tiles[0].caption, "; "); !strings.Contains(got, why) || strings.Contains(got, "odd RR") {
		t.Errorf("tile says %q, want the question's reason", got)
	}
	if !strings.Contains(q.status.Text, "the answers that would change the most labels first") {
		t.Errorf("status %q", q.status.Text)
	}
	q.SetEntries([]QueueEntry{{Item: review.Item{Kind: review.ItemBeat, Sample: 100, Reasons: review.OddRR}}})
	if got := strings.Join(q.grid.tiles[0].caption, " "); !strings.Contains(got, "odd RR") || !strings.Contains(q.status.Text, "most likely wrong first") {
		t.Errorf("suspicion queue: tile %q, status %q", got, q.status.Text)
	}
}

func TestReasonText(t *testing.T) {
	for _, c := range []struct {
		name string
		r    review.Reason
		want string
	}{
		{"none", 0, ""},
		{"one", review.OddRR, "odd RR"},
		{"all", review.LowConfidence | review.ClusterDisagrees | review.ModelDisagrees | review.OddRR | review.GapRR,
			"low confidence, cluster disagrees, model disagrees, odd RR, long RR"},
	} {
		if got := reasonText(c.r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestWrapReason(t *testing.T) {
	for _, c := range []struct {
		s    string
		want []string
	}{
		{"", []string{""}},
		{"odd RR", []string{"odd RR"}},
		{"unsure S/N (0.55); 1,240 beats look alike; 2 answered among them",
			[]string{"unsure S/N (0.55); 1,240 beats look alike", "2 answered among them"}},
		{"a; b; c", []string{"a; b; c"}},
	} {
		got := wrapReason(c.s, 42)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapReason(%q) = %q, want %q", c.s, got, c.want)
		}
	}
}

// TestQueueTabTakesKeys clicks the Review queue tab and presses Enter and
// V at once: the queue must act without a click on a card first, and the
// template screen's key hints must not show under the queue.
func TestQueueTabTakesKeys(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var confirmed []int64
	var fixed []annotate.Code
	s := NewTemplateScreen(TemplateActions{})
	s.Queue.Actions = QueueActions{
		Confirm: func(at int64) error { confirmed = append(confirmed, at); return nil },
		Fix:     func(_ int64, c annotate.Code) error { fixed = append(fixed, c); return nil },
	}
	s.Queue.SetEntries([]QueueEntry{
		{Item: review.Item{Kind: review.ItemBeat, Sample: 100, Score: 1}, Label: annotate.Normal},
		{Item: review.Item{Kind: review.ItemBeat, Sample: 200, Score: 0.5}, Label: annotate.Normal},
	})
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(900, 600))
	w.Canvas().Unfocus()
	s.tabs.SelectIndex(1)
	typeUnfocused(t, w, fyne.KeyReturn, 0)
	typeUnfocused(t, w, "", 'v')
	if len(confirmed) != 1 || confirmed[0] != 100 || len(fixed) != 1 || fixed[0] != annotate.PVC {
		t.Errorf("Enter then V on the queue tab: confirmed %v, fixed %v; want [100] and [V]", confirmed, fixed)
	}
	if s.status.Visible() {
		t.Errorf("the queue shows the template screen's footer %q", s.status.Text)
	}
	s.tabs.SelectIndex(0)
	if !s.status.Visible() || w.Canvas().Focused() != s.gallery {
		t.Errorf("back on the templates: footer shown %v, focus on %T", s.status.Visible(), w.Canvas().Focused())
	}
}

// TestReviewQueueKeepsSelection: a queue ranked anew keeps the item the
// reader is on, wherever it moved; when that item left the queue nothing
// is selected, so the next key labels no beat the reader has not seen.
func TestReviewQueueKeepsSelection(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	var fixed []int64
	q := NewReviewQueue(QueueActions{Fix: func(s int64, _ annotate.Code) error { fixed = append(fixed, s); return nil }})
	beats := func(samples ...int64) []QueueEntry {
		es := make([]QueueEntry, len(samples))
		for i, s := range samples {
			es[i] = QueueEntry{Item: review.Item{Kind: review.ItemBeat, Sample: s}, Label: annotate.Normal}
		}
		return es
	}
	q.SetEntries(beats(100, 200, 300))
	if q.grid.Selected() != 0 {
		t.Fatalf("a first queue selects %d, want its first item", q.grid.Selected())
	}
	q.grid.Select(2) // the reader is on 300
	q.SetEntries(beats(400, 300, 100))
	if q.grid.Selected() != 1 {
		t.Fatalf("ranked anew, selected %d, want 1 (the beat at 300)", q.grid.Selected())
	}
	q.SetEntries(beats(500, 600))
	test.Type(q.Grid(), "v")
	if q.grid.Selected() != -1 || len(fixed) != 0 || !strings.Contains(q.status.Text, "left the queue") {
		t.Fatalf("the selected beat left the queue: selected %d, fixed %v, status %q; want none selected, no fix, a message",
			q.grid.Selected(), fixed, q.status.Text)
	}
	q.SetEntries(beats(600, 500)) // still nothing chosen: nothing is
	q.grid.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if q.grid.Selected() != 0 {
		t.Fatalf("an arrow after no selection selects %d, want 0", q.grid.Selected())
	}
}
