package adapt

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// teach has the reader label the first n beats of each class among the
// beats at every step-th position (the truth's code), one Relabel each.
func (r *modelRecord) teach(t testing.TB, perClass map[annotate.Class]int) {
	t.Helper()
	perClass = maps.Clone(perClass) // the caller's counts stay
	for _, b := range r.sess.Labels().Beats {
		k := r.truth[b.Sample].Class()
		if perClass[k] == 0 {
			continue
		}
		perClass[k]--
		if err := r.sess.Relabel([]int64{b.Sample}, r.truth[b.Sample], ""); err != nil {
			t.Fatal(err)
		}
	}
}

// unreviewed returns the samples of unreviewed beats of class k (truth),
// in order.
func (r *modelRecord) unreviewed(k annotate.Class) []int64 {
	var out []int64
	for _, b := range r.sess.Labels().Beats {
		if b.Review == annotate.Unreviewed && r.truth[b.Sample].Class() == k {
			out = append(out, b.Sample)
		}
	}
	return out
}

// labelState is what must come back bit for bit: live beats and tombs.
func labelState(s *annotate.Session) annotate.LabelSet {
	ls := s.Labels()
	return annotate.LabelSet{Beats: ls.Beats, Deleted: ls.Deleted}
}

// TestUndoRestoresAdaptedLabels: for each kind of reader edit, adapting
// after the edit changes the adapted labels, and undoing the edit and
// adapting again gives the labels of before the edit, bit for bit (also
// when the undo leaves fewer than MinLabels reader labels: then every
// adapted label goes back to the population model's).
func TestUndoRestoresAdaptedLabels(t *testing.T) {
	cases := []struct {
		name  string
		teach map[annotate.Class]int
		edit  func(r *modelRecord) error
	}{
		{"single fix", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4}, func(r *modelRecord) error {
			return r.sess.Relabel(r.unreviewed(annotate.ClassS)[:1], annotate.APC, "")
		}},
		{"single fix to the first 10", map[annotate.Class]int{annotate.ClassN: 6, annotate.ClassS: 3}, func(r *modelRecord) error {
			return r.sess.Relabel(r.unreviewed(annotate.ClassS)[:1], annotate.APC, "")
		}},
		{"cluster relabel", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4}, func(r *modelRecord) error {
			return r.sess.RelabelSet(r.unreviewed(annotate.ClassS)[:10], annotate.APC, "")
		}},
		{"confirm", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4}, func(r *modelRecord) error {
			return r.sess.Confirm(r.unreviewed(annotate.ClassN)[:15], "")
		}},
		{"wrong fix", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4, annotate.ClassV: 3}, func(r *modelRecord) error {
			return r.sess.Relabel(r.unreviewed(annotate.ClassN)[:3], annotate.PVC, "")
		}},
		{"delete", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4}, func(r *modelRecord) error {
			return r.sess.Delete(r.unreviewed(annotate.ClassS)[:1], "")
		}},
		{"insert", map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 4}, func(r *modelRecord) error {
			s := r.unreviewed(annotate.ClassN)
			return r.sess.Insert((s[10]+s[11])/2, annotate.APC, "")
		}},
	}
	gated := Product() // with the local gates: look-alike groups of a minute of beats each
	gated.Group = func(s int64) (int, bool) { return int(s / (60 * 360)), s%7 != 0 }
	for _, o := range []struct {
		name string
		opt  Options
	}{{"plain", Options{}}, {"gated", gated}, {"crowd", crowded(gated)}} {
		for _, c := range cases {
			t.Run(o.name+"/"+c.name, func(t *testing.T) { undoCase(t, c.teach, c.edit, o.opt) })
		}
	}
}

// crowded returns o with the crowd gate on (Options.Crowd 8).
func crowded(o Options) Options {
	o.Crowd = 8
	return o
}

// undoCase teaches the record, adapts, makes the edit, adapts, undoes it
// and adapts: the labels must be those of before the edit.
func undoCase(t *testing.T, teach map[annotate.Class]int, edit func(r *modelRecord) error, opt Options) {
	r := openModelRecord(t, tenMinutes(3))
	r.teach(t, teach)
	s0 := r.run(t, opt)
	before := labelState(r.sess)
	if err := edit(r); err != nil {
		t.Fatal(err)
	}
	s1 := r.run(t, opt)
	if reflect.DeepEqual(labelState(r.sess), before) {
		t.Fatal("the edit changed nothing")
	}
	if err := r.sess.Undo(); err != nil {
		t.Fatal(err)
	}
	s2 := r.run(t, opt)
	if got := labelState(r.sess); !reflect.DeepEqual(got, before) {
		t.Errorf("after undo and adapting: %d beats differ from before the edit", diffBeats(got.Beats, before.Beats))
	}
	t.Logf("before: %s; edited: %s; undone: %s (%d given back)", s0, s1, s2, s2.Restored)
}

// diffBeats counts the positions where a and b differ.
func diffBeats(a, b []annotate.Beat) int {
	n := max(len(a), len(b)) - min(len(a), len(b))
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			n++
		}
	}
	return n
}

// TestReaderLabelsNeverOverwritten is a seeded property test: over random
// sequences of reader edits (fixes, cluster relabels, confirmations,
// deletions, insertions, undo, redo), adapter runs and switch-offs, and
// edits made between the adapter reading the labels and applying its
// proposal, no adapter step ever changes a beat of the reader layer.
func TestReaderLabelsNeverOverwritten(t *testing.T) {
	r := openModelRecord(t, tenMinutes(7))
	r.teach(t, map[annotate.Class]int{annotate.ClassN: 8, annotate.ClassS: 3, annotate.ClassV: 3})
	rng := rand.New(rand.NewPCG(19, 1))
	ctx := context.Background()
	for step := range 60 {
		if err := randomEdit(r, rng); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		readers := readerLayer(r.sess)
		switch rng.IntN(3) {
		case 0: // a plain run, or the switch off
			r.run(t, Options{Off: rng.IntN(6) == 0})
		default: // the reader edits while the adapter works
			labels, _, err := r.feat.propose(ctx, r.sess, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := randomEdit(r, rng); err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			readers = readerLayer(r.sess)
			if _, err := r.sess.SetAdapted(labels, ""); err != nil {
				t.Fatal(err)
			}
		}
		if got := readerLayer(r.sess); !reflect.DeepEqual(got, readers) {
			t.Fatalf("step %d: the adapter changed reader labels", step)
		}
	}
}

// readerLayer returns the beats of the reader layer, by sample.
func readerLayer(s *annotate.Session) map[int64]annotate.Beat {
	out := map[int64]annotate.Beat{}
	for _, b := range s.Labels().Beats {
		if annotate.LayerOf(b) == annotate.LayerReader {
			out[b.Sample] = b
		}
	}
	return out
}

// randomEdit makes one random reader edit on unreviewed or any beats.
func randomEdit(r *modelRecord, rng *rand.Rand) error {
	beats := r.sess.Labels().Beats
	pick := func(n int) []int64 {
		i := rng.IntN(len(beats) - n)
		var out []int64
		for _, b := range beats[i : i+n] {
			out = append(out, b.Sample)
		}
		return out
	}
	codes := []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC}
	var err error
	switch rng.IntN(7) {
	case 0, 1:
		err = r.sess.Relabel(pick(1), codes[rng.IntN(3)], "")
	case 2:
		err = r.sess.RelabelSet(pick(1+rng.IntN(8)), codes[rng.IntN(3)], "")
	case 3:
		err = r.sess.Confirm(pick(1+rng.IntN(5)), "")
	case 4:
		err = r.sess.Delete(pick(1), "")
	case 5:
		s := pick(2)
		if err = r.sess.Insert((s[0]+s[1])/2, codes[rng.IntN(3)], ""); errors.Is(err, annotate.ErrBeatExists) {
			err = nil
		}
	default:
		if err = r.sess.Undo(); errors.Is(err, annotate.ErrNothingToUndo) {
			err = r.sess.Redo()
		}
	}
	if errors.Is(err, annotate.ErrNothingToRedo) {
		return nil
	}
	return err
}
