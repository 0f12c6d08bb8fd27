package review

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// beat is a model beat of class k at s whose probabilities give p to k and
// the rest to N (or to S when k is N).
func beat(s int64, k annotate.Class, p float32) annotate.Beat {
	probs := make([]float32, 5)
	probs[k-annotate.ClassN] = p
	other := annotate.ClassN
	if k == annotate.ClassN {
		other = annotate.ClassS
	}
	probs[other-annotate.ClassN] = 1 - p
	return annotate.Beat{Sample: s, Code: k.Code(), Prov: annotate.Provenance{
		Source: annotate.SourceModel, Confidence: p, Probs: probs}}
}

// rhythm returns model beats every 300 samples, with the ones in early
// moved 120 samples earlier.
func rhythm(n int, early map[int]bool, k func(i int) (annotate.Class, float32)) []annotate.Beat {
	var out []annotate.Beat
	for i := range n {
		s := int64(1000 + 300*i)
		if early[i] {
			s -= 120
		}
		c, p := k(i)
		out = append(out, beat(s, c, p))
	}
	return out
}

func TestQueue(t *testing.T) {
	sure := func(int) (annotate.Class, float32) { return annotate.ClassN, 0.99 }
	tests := []struct {
		name    string
		beats   []annotate.Beat
		dom     annotate.Class
		drop    int // a beat removed (a gap), or -1
		first   Reason
		firstAt int // index of the beat the queue starts with (before dropping)
		n       int // items
	}{
		{"all sure and regular", rhythm(30, nil, sure), annotate.ClassN, -1, 0, -1, 0},
		{"unsure beat", rhythm(30, nil, func(i int) (annotate.Class, float32) {
			if i == 12 {
				return annotate.ClassN, 0.55
			}
			return annotate.ClassN, 0.99
		}), annotate.ClassN, -1, LowConfidence, 12, 1},
		{"early N", rhythm(30, map[int]bool{20: true}, sure), annotate.ClassN, -1, OddRR, 20, 1},
		{"on-time S", rhythm(30, nil, func(i int) (annotate.Class, float32) {
			if i == 15 {
				return annotate.ClassS, 0.99
			}
			return annotate.ClassN, 0.99
		}), annotate.ClassN, -1, ClusterDisagrees | OddRR, 15, 1},
		{"gap", rhythm(30, nil, sure), annotate.ClassN, 17, GapRR, 16, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beats := tt.beats
			if tt.drop >= 0 {
				beats = slices.Delete(slices.Clone(beats), tt.drop, tt.drop+1)
			}
			in := QueueInput{Beats: beats, Model: beats,
				Dominant: func(int64) (annotate.Class, bool) { return tt.dom, true }}
			q := Queue(in, DefaultQueueOptions())
			if len(q) != tt.n {
				t.Fatalf("%d items %+v, want %d", len(q), q, tt.n)
			}
			if tt.n > 0 && (q[0].Sample != tt.beats[tt.firstAt].Sample || q[0].Reasons != tt.first) {
				t.Errorf("first item %+v, want beat %d with reasons %b", q[0], tt.beats[tt.firstAt].Sample, tt.first)
			}
		})
	}
}

func TestQueueOrderAndReview(t *testing.T) {
	beats := rhythm(40, nil, func(i int) (annotate.Class, float32) {
		return annotate.ClassN, 0.5 + float32(i%10)/20 // 0.5 .. 0.95
	})
	beats[3].Review = annotate.Confirmed // looked at: never queued
	q := Queue(QueueInput{Beats: beats, Model: beats}, DefaultQueueOptions())
	for i := 1; i < len(q); i++ {
		if q[i].Score > q[i-1].Score || (q[i].Score == q[i-1].Score && q[i].Sample < q[i-1].Sample) {
			t.Fatalf("items %d and %d out of order: %+v %+v", i-1, i, q[i-1], q[i])
		}
	}
	for _, it := range q {
		if it.Sample == beats[3].Sample {
			t.Error("a confirmed beat is in the queue")
		}
	}
	// With auto-accept at 0.8 for N, exactly the N beats below 0.8 are
	// queued (model-labelled, nothing else odd).
	th := Thresholds{2, 0.8, 2, 2, 2, 2}
	q = Queue(QueueInput{Beats: beats, Model: beats, Accept: &th}, DefaultQueueOptions())
	want := 0
	for i, b := range beats {
		if i != 3 && b.Prov.Confidence < 0.8 {
			want++
		}
	}
	if len(q) != want {
		t.Errorf("auto-accept at 0.8: %d items, want %d", len(q), want)
	}
}

// TestCalibrate builds outcomes whose error rate is known by construction:
// of the beats the model calls N with confidence c, a fraction 1-c is
// wrong (a perfectly calibrated model), in steps of 0.1.
func TestCalibrate(t *testing.T) {
	var outs []Outcome
	for step := 5; step <= 10; step++ {
		c := float32(step) / 10
		for j := range 100 {
			truth := annotate.ClassN
			if j >= 10*step {
				truth = annotate.ClassS
			}
			outs = append(outs, Outcome{Pred: annotate.ClassN, Conf: c, Truth: truth})
		}
	}
	cal := Calibrate(outs)
	tests := []struct {
		t             float32
		accepted, bad int
	}{
		{1.0, 100, 0}, {0.95, 100, 0}, {0.9, 200, 10}, {0.7, 400, 60}, {0.5, 600, 150}, {0.3, 600, 150},
	}
	for _, tt := range tests {
		if n, w := cal.At(annotate.ClassN, tt.t); n != tt.accepted || w != tt.bad {
			t.Errorf("At(%.2f) = %d, %d; want %d, %d", tt.t, n, w, tt.accepted, tt.bad)
		}
	}
	// Error <= 5%: at 0.9 it is 10/200; at 0.8, 30/300 = 10%.
	if got := cal.Threshold(annotate.ClassN, 0.05, 1); got != 0.9 {
		t.Errorf("Threshold(5%%) = %v, want 0.9", got)
	}
	if got := cal.Threshold(annotate.ClassN, 0, 1); got != 1 {
		t.Errorf("Threshold(0) = %v, want 1", got)
	}
	if got := cal.Threshold(annotate.ClassS, 0.5, 1); got != 2 {
		t.Errorf("Threshold of a class never predicted = %v, want 2 (accept none)", got)
	}
	if got := cal.Threshold(annotate.ClassN, 0.05, 300); got != 2 {
		t.Errorf("Threshold with 300 beats needed = %v, want 2", got)
	}
	th := cal.Thresholds(0.05, 1)
	record := []annotate.Beat{beat(1, annotate.ClassN, 0.95), beat(2, annotate.ClassN, 0.91), beat(3, annotate.ClassN, 0.6), beat(4, annotate.ClassS, 0.99)}
	est := cal.Estimate(record, th)
	if est[0].Class != annotate.ClassN || est[0].Beats != 3 || est[0].Accepted != 2 || est[0].ErrRate != 0.05 || est[0].Errors != 0.1 {
		t.Errorf("N estimate %+v, want 2 of 3 accepted at 5%% error, 0.1 errors", est[0])
	}
	if est[1].Accepted != 0 {
		t.Errorf("S estimate %+v: nothing should be accepted", est[1])
	}
	if est[0].String() == "" {
		t.Error("empty estimate string")
	}
}

func TestSummarize(t *testing.T) {
	labels := []annotate.Beat{beat(10, annotate.ClassN, 1), beat(20, annotate.ClassV, 1), beat(30, annotate.ClassV, 1)}
	tp := Template{Beats: []int64{30, 10, 20, 40}}
	tp.Summarize(labels)
	if tp.Dominant != annotate.ClassV || tp.Mix[annotate.ClassV] != 2 || tp.Mix[annotate.ClassNone] != 1 || tp.Fraction(annotate.ClassN) != 0.25 || tp.Adapted != 0 {
		t.Errorf("summary %+v", tp)
	}
	labels[1].Prov.Source, labels[2].Prov.Source, labels[2].Review = annotate.SourceAdapted, annotate.SourceAdapted, annotate.Confirmed
	if tp.Summarize(labels); tp.Adapted != 1 {
		t.Errorf("%d adapted members, want 1 (an adapted label a reader confirmed is the reader's)", tp.Adapted)
	}
	var empty Template
	empty.Summarize(labels)
	if empty.Dominant != annotate.ClassNone || empty.Fraction(annotate.ClassN) != 0 {
		t.Errorf("empty template %+v", empty)
	}
}

func TestLocalRR(t *testing.T) {
	beats := rhythm(12, nil, func(int) (annotate.Class, float32) { return annotate.ClassN, 1 })
	got := LocalRR(beats)
	want := []float64{0, 0, 300, 300}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("LocalRR[%d] = %v, want %v", i, got[i], w)
		}
	}
	if len(LocalRR(nil)) != 0 {
		t.Error("LocalRR(nil) not empty")
	}
}

// randomSession opens a session on n beats with random provenance and
// review states (model, detector, reader, reference, propagated), fixed seed.
func randomSession(t *testing.T, r *rand.Rand, n int) *annotate.Session {
	t.Helper()
	s, err := annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	var model []annotate.Beat
	sources := []annotate.Source{annotate.SourceModel, annotate.SourceDetector, annotate.SourceReference}
	for i := range n {
		b := beat(int64(100*(i+1)), annotate.Classes[r.IntN(3)], 0.9)
		b.Prov.Source = sources[r.IntN(len(sources))]
		model = append(model, b)
	}
	if _, err := s.MergeModel(annotate.ModelOutput{Beats: model}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		at := int64(100 * (i + 1))
		switch r.IntN(5) {
		case 0:
			err = s.Relabel([]int64{at}, annotate.Classes[r.IntN(3)].Code(), "")
		case 1:
			err = s.Confirm([]int64{at}, "")
		case 2:
			err = s.RelabelSet([]int64{at}, annotate.Classes[r.IntN(3)].Code(), "")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// groups is a LookAlikes: beats look alike when their index is equal mod k.
type groups struct{ k, n int }

func (g groups) LookAlikes(s int64) []int64 {
	var out []int64
	i := int(s/100) - 1
	for j := i % g.k; j < g.n; j += g.k {
		if j != i {
			out = append(out, int64(100*(j+1)))
		}
	}
	return out
}

// TestPropagateNeverOverwritesReaders is a property test: over random
// sessions and random corrections, propagation changes only beats that
// were unreviewed model, detector or propagated labels, marks every
// change SourcePropagated and unreviewed, and leaves every reader-owned
// label exactly as it was.
func TestPropagateNeverOverwritesReaders(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 200 {
		n := 20 + r.IntN(40)
		s := randomSession(t, r, n)
		var corrected []int64
		for range 1 + r.IntN(4) {
			at := int64(100 * (1 + r.IntN(n)))
			if err := s.Relabel([]int64{at}, annotate.Classes[r.IntN(3)].Code(), "fix"); err != nil {
				t.Fatal(err)
			}
			corrected = append(corrected, at)
		}
		before := s.BeatsIn(0, 1<<40)
		if _, err := Propagate(s, groups{k: 2 + r.IntN(5), n: n}, corrected, "trial"); err != nil {
			t.Fatal(err)
		}
		after := s.BeatsIn(0, 1<<40)
		if len(after) != len(before) {
			t.Fatalf("trial %d: %d beats became %d", trial, len(before), len(after))
		}
		for i, b := range before {
			a := after[i]
			if !Propagatable(b) && !sameBeat(a, b) {
				t.Fatalf("trial %d: reader-owned beat %+v became %+v", trial, b, a)
			}
			if !sameBeat(a, b) && (a.Prov.Source != annotate.SourcePropagated || a.Review != annotate.Unreviewed) {
				t.Fatalf("trial %d: changed beat %+v is not marked propagated and unreviewed", trial, a)
			}
		}
	}
}

// Propagatable mirrors annotate.Propagatable for the property's statement.
func Propagatable(b annotate.Beat) bool { return annotate.Propagatable(b) }

func sameBeat(a, b annotate.Beat) bool {
	return a.Sample == b.Sample && a.Code == b.Code && a.Review == b.Review && a.Prov.Source == b.Prov.Source
}

func TestPropagateSpreadsAndUndoes(t *testing.T) {
	s, err := annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	model := rhythm(10, nil, func(int) (annotate.Class, float32) { return annotate.ClassN, 0.9 })
	if _, err := s.MergeModel(annotate.ModelOutput{Beats: model}); err != nil {
		t.Fatal(err)
	}
	at := model[0].Sample
	if err := s.Relabel([]int64{at}, annotate.PVC, ""); err != nil {
		t.Fatal(err)
	}
	all := lookAll{}
	for _, b := range model[1:] {
		all = append(all, b.Sample)
	}
	n, err := Propagate(s, all, []int64{at}, "")
	if err != nil || n != 9 {
		t.Fatalf("propagated %d, %v; want 9", n, err)
	}
	if b, _ := s.Beat(model[5].Sample); b.Code != annotate.PVC || b.Review != annotate.Unreviewed {
		t.Errorf("look-alike %+v, want V, unreviewed", b)
	}
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Beat(model[5].Sample); b.Code != annotate.Normal {
		t.Errorf("after undo %+v, want N", b)
	}
	// A correction that is not the reader's own does not propagate.
	if n, err := Propagate(s, all, []int64{model[3].Sample}, ""); n != 0 || err != nil {
		t.Errorf("propagation from a model beat: %d, %v", n, err)
	}
}

type lookAll []int64

func (l lookAll) LookAlikes(int64) []int64 { return l }
