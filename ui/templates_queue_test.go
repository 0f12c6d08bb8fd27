package ui

import (
	"errors"
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
	var jumps []int64
	q := NewReviewQueue(QueueActions{
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
