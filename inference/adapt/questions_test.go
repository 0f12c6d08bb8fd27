package adapt

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestQuestionsBeforeLearning: with too few reader labels the first
// question is the beat the population model calls V most surely (a
// class nobody checked), then seeds that are all different, never reader
// labels, and cover the record's shapes: the ectopic beats come early.
func TestQuestionsBeforeLearning(t *testing.T) {
	r := synthRecord(t, 10, 21)
	for i, c := range r.truth { // this population model calls V beats V
		if c.Class() == annotate.ClassV {
			copy(r.in.Probs[i*5:(i+1)*5], []float32{0.1, 0.05, 0.8 + float32(i%7)/100, 0.03, 0.02})
		}
	}
	r.teach(map[annotate.Class]int{annotate.ClassN: 3})
	qs := Questions(r.in, Result{}, 12)
	if len(qs) != 12 {
		t.Fatalf("%d questions, want 12", len(qs))
	}
	if i := qs[0]; popClass(&r.in, i) != annotate.ClassV {
		t.Errorf("first question beat %d is not the model's surest V", i)
	}
	classes := map[annotate.Class]bool{}
	for _, i := range qs {
		if annotate.Teaches(r.in.Beats[i]) {
			t.Errorf("question %d is a reader label", i)
		}
		classes[r.truth[i].Class()] = true
	}
	if len(slices.Compact(slices.Sorted(slices.Values(qs)))) != len(qs) {
		t.Errorf("questions repeat: %v", qs)
	}
	if !classes[annotate.ClassS] || !classes[annotate.ClassV] {
		t.Errorf("12 seeds cover classes %v, want S and V among them", classes)
	}
	if again := Questions(r.in, Result{}, 12); !slices.Equal(again, qs) {
		t.Error("questions differ between two calls")
	}
}

// TestQuestionsAfterLearning: once the adapter has learned, the questions
// are the adaptable beats it is least sure of, least sure first.
func TestQuestionsAfterLearning(t *testing.T) {
	r := synthRecord(t, 10, 23)
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 3, annotate.ClassV: 3})
	res, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	qs := Questions(r.in, res, 5)
	if len(qs) != 5 {
		t.Fatalf("%d questions, want 5", len(qs))
	}
	least := slices.Min(nonZero(res.Confidence))
	if res.Confidence[qs[0]] != least {
		t.Errorf("first question confidence %.3f, the least is %.3f", res.Confidence[qs[0]], least)
	}
	for j, i := range qs {
		if !annotate.Adaptable(r.in.Beats[i]) || (j > 0 && res.Confidence[i] < res.Confidence[qs[j-1]]) {
			t.Errorf("question %d: beat %d (confidence %.3f) out of order or not adaptable", j, i, res.Confidence[i])
		}
	}
}

func nonZero(v []float32) []float32 {
	var out []float32
	for _, x := range v {
		if x > 0 {
			out = append(out, x)
		}
	}
	return out
}
