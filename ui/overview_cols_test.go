package ui

import (
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// TestOverviewColsIncremental merges chunks into a session out of order,
// with reader edits (relabel, delete, insert) between them, and checks
// after each that the overview's columns summed again only where the
// beats changed equal the columns summed from scratch.
func TestOverviewColsIncremental(t *testing.T) {
	sess, err := annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	v := annotate.NewLabelView(nil)
	v.Open(sess, nil)
	defer v.Close()
	const chunk = 75_000
	view := trace.View{SPP: 12 * chunk / 300.0, Width: 300}
	var cols overviewCols
	cols.update(v, view)
	steps := []func() error{}
	for _, i := range []int{0, 5, 6, 1, 2, 11, 3, 4, 7, 8, 9, 10} {
		steps = append(steps, func() error { return mergeChunk(sess, int64(i)*chunk, chunk, i) })
	}
	edits := []annotate.Command{
		annotate.Relabel{Samples: []int64{chunk + 7}, Code: annotate.PVC},
		annotate.Delete{Samples: []int64{5*chunk + 7 + 190}},
		annotate.Insert{Sample: 2*chunk + 100, Code: annotate.APC},
		annotate.Confirm{Samples: []int64{7, 197}},
	}
	for i, e := range edits {
		steps = slicesInsert(steps, 5+2*i, func() error { _, _, err := sess.Run(e); return err })
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
		v.Changed()
		cols.update(v, view)
		var fresh overviewCols
		fresh.reset(v, view)
		fresh.sum(0, view.Width-1)
		if !sameCols(&cols, &fresh) {
			t.Fatalf("step %d: the columns summed where the beats changed differ from those summed afresh", i)
		}
	}
}

// mergeChunk merges a chunk of model beats 190 samples apart, every
// ninth a V with a low confidence, into [start, start+n) of sess.
func mergeChunk(sess *annotate.Session, start, n int64, seed int) error {
	var out annotate.ModelOutput
	for s, k := start+7, 0; s < start+n; s, k = s+190, k+1 {
		b := annotate.Beat{Sample: s, Code: annotate.Normal, Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "m@1", Confidence: 0.95}}
		if (k+seed)%9 == 0 {
			b.Code, b.Prov.Confidence = annotate.PVC, 0.6
		}
		out.Beats = append(out.Beats, b)
	}
	_, err := sess.MergeModelRegion(out, annotate.ModelRegion{Start: start, End: start + n, Kinds: annotate.KindBeats})
	return err
}

func slicesInsert(s []func() error, i int, f func() error) []func() error {
	return append(s[:i], append([]func() error{f}, s[i:]...)...)
}

// sameCols compares two column sums, an empty RR list equal to none.
func sameCols(a, b *overviewCols) bool {
	for x := range a.rr {
		if len(a.rr[x]) != len(b.rr[x]) || (len(a.rr[x]) > 0 && !reflect.DeepEqual(a.rr[x], b.rr[x])) {
			return false
		}
	}
	return reflect.DeepEqual(a.ect, b.ect) && reflect.DeepEqual(a.hasEct, b.hasEct) && reflect.DeepEqual(a.low, b.low) &&
		reflect.DeepEqual(a.n, b.n) && reflect.DeepEqual(a.done, b.done)
}
