package adapt

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// score counts, over the beats nobody reviewed, the beats of each true
// class and how many carry that class after adaptation.
func score(truth []annotate.Code, got []annotate.Beat) (hit, total map[annotate.Class]int) {
	hit, total = map[annotate.Class]int{}, map[annotate.Class]int{}
	for i, b := range got {
		if b.Review != annotate.Unreviewed {
			continue
		}
		k := truth[i].Class()
		total[k]++
		if b.Code.Class() == k {
			hit[k]++
		}
	}
	return hit, total
}

// TestAdaptFixesWrongPopulation: the population model calls every S and V
// beat N; 10 reader labels of each of N, S and V (k = 30) teach the
// adapter the patient, and it labels the rest right.
func TestAdaptFixesWrongPopulation(t *testing.T) {
	r := synthRecord(t, 30, 7)
	k := r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 10, annotate.ClassV: 10})
	res, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Learned != k || len(res.Labels) == 0 {
		t.Fatalf("learned %d (want %d), %d labels", res.Learned, k, len(res.Labels))
	}
	got := apply(t, r.in.Beats, res.Labels)
	hit, total := score(r.truth, got)
	for _, c := range []annotate.Class{annotate.ClassN, annotate.ClassS, annotate.ClassV} {
		se := float64(hit[c]) / float64(total[c])
		t.Logf("class %s: %d of %d unreviewed beats right (%.1f%%) after %d reader labels", c, hit[c], total[c], 100*se, k)
		if se < 0.95 {
			t.Errorf("class %s: sensitivity %.3f after adapting, want ≥ 0.95", c, se)
		}
	}
}

// TestAdaptFewLabelsChangesNothing: under MinLabels reader labels the
// adapter proposes nothing and says why.
func TestAdaptFewLabelsChangesNothing(t *testing.T) {
	r := synthRecord(t, 5, 3)
	r.teach(map[annotate.Class]int{annotate.ClassV: 9})
	res, err := Adapt(r.in, Options{})
	if err != nil || len(res.Labels) != 0 || res.Learned != 9 || res.Note == "" {
		t.Errorf("9 reader labels: %d labels, learned %d, note %q, %v", len(res.Labels), res.Learned, res.Note, err)
	}
}

// TestAdaptKeepsUnlabelledClasses: the reader labels N and V only; the S
// class they never spoke about keeps its population labels.
func TestAdaptKeepsUnlabelledClasses(t *testing.T) {
	r := synthRecord(t, 10, 5)
	for i, c := range r.truth { // this population model gets S right
		if c.Class() == annotate.ClassS {
			r.in.Beats[i].Code = annotate.APC
			copy(r.in.Probs[i*5:(i+1)*5], []float32{0.1, 0.8, 0.05, 0.03, 0.02})
		}
	}
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassV: 5})
	res, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Kept, []annotate.Class{annotate.ClassS}) {
		t.Errorf("kept classes %v, want [S]", res.Kept)
	}
	for _, b := range res.Labels {
		if i := indexOf(r.in.Beats, b.Sample); r.in.Beats[i].Code == annotate.APC {
			t.Errorf("beat %d: population S relabelled %s", b.Sample, b.Code)
		}
	}
}

func indexOf(beats []annotate.Beat, at int64) int {
	for i, b := range beats {
		if b.Sample == at {
			return i
		}
	}
	return -1
}

// TestAdaptDeterministic: the same input twice gives identical results.
func TestAdaptDeterministic(t *testing.T) {
	r := synthRecord(t, 10, 11)
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 4, annotate.ClassV: 4})
	a, err1 := Adapt(r.in, Options{})
	b, err2 := Adapt(r.in, Options{})
	if err1 != nil || err2 != nil || !reflect.DeepEqual(a, b) || len(a.Labels) == 0 {
		t.Errorf("two runs differ (%d and %d labels; %v, %v)", len(a.Labels), len(b.Labels), err1, err2)
	}
}

// TestAdaptNormalsLookLikeV: a population model that calls every beat of
// the patient V (their normal beats look like its V beats; 0.6 V, 0.3
// for the true class). 10 reader N labels and 5 V labels (k = 15) fix it.
func TestAdaptNormalsLookLikeV(t *testing.T) {
	r := synthRecord(t, 30, 9)
	for i, c := range r.truth {
		p := []float32{0.025, 0.025, 0.6, 0.025, 0.025}
		p[popIndex(c.Class())] += 0.3
		copy(r.in.Probs[i*5:(i+1)*5], p)
		r.in.Beats[i].Code = annotate.PVC
	}
	k := r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassV: 5})
	res, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	hit, total := score(r.truth, apply(t, r.in.Beats, res.Labels))
	for _, c := range []annotate.Class{annotate.ClassN, annotate.ClassV} {
		se := float64(hit[c]) / float64(total[c])
		t.Logf("class %s: %d of %d unreviewed beats right (%.1f%%) after %d reader labels", c, hit[c], total[c], 100*se, k)
		if se < 0.95 {
			t.Errorf("class %s: sensitivity %.3f after adapting, want ≥ 0.95", c, se)
		}
	}
}

func popIndex(k annotate.Class) int {
	for j, c := range popClasses {
		if c == k {
			return j
		}
	}
	return -1
}

// TestAdaptMinConfidence: above every probability, the adapter overrules
// no population class.
func TestAdaptMinConfidence(t *testing.T) {
	r := synthRecord(t, 10, 13)
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 5, annotate.ClassV: 5})
	res, err := Adapt(r.in, Options{MinConfidence: 1.01})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range res.Labels {
		if i := indexOf(r.in.Beats, b.Sample); b.Code.Class() != popClass(&r.in, i) {
			t.Errorf("beat %d: population %s overruled by %s at confidence %.2f", b.Sample, popClass(&r.in, i), b.Code, b.Prov.Confidence)
		}
	}
}

// TestOneClassChangesNothing: reader labels of one class (a template card
// relabelled S) cannot tell classes apart, so nothing is relabelled.
func TestOneClassChangesNothing(t *testing.T) {
	r := synthRecord(t, 5, 3)
	n := r.teach(map[annotate.Class]int{annotate.ClassS: 12})
	res, err := Adapt(r.in, Options{})
	if err != nil || len(res.Labels) != 0 || n != 12 || !strings.Contains(res.Note, "one class only") {
		t.Errorf("%d S labels: %d labels, note %q, %v; want none and why", n, len(res.Labels), res.Note, err)
	}
}

// TestNoReaderNKeepsN: reader labels of S and V but none of N (template
// cards relabelled) cannot say which beats are N, so the beats the
// population model calls N keep N.
func TestNoReaderNKeepsN(t *testing.T) {
	r := synthRecord(t, 5, 3)
	r.teach(map[annotate.Class]int{annotate.ClassS: 10, annotate.ClassV: 10})
	res, err := Adapt(r.in, Options{})
	if err != nil || len(res.Labels) != 0 || !slices.Contains(res.Kept, annotate.ClassN) {
		t.Errorf("no N label: %d labels, kept %v, %v; want none and N kept", len(res.Labels), res.Kept, err)
	}
}

// TestConfidenceOfGatedBeats: where MinConfidence keeps the population
// class against the adapter's call, Confidence is the adapter's probability
// of the class kept (what the review queue shows and ranks by), not of the
// class it would have given.
func TestConfidenceOfGatedBeats(t *testing.T) {
	r := synthRecord(t, 10, 13)
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 5, annotate.ClassV: 5})
	free, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gated, err := Adapt(r.in, Options{MinConfidence: 1.01})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range free.Labels {
		i := indexOf(r.in.Beats, b.Sample)
		if b.Code.Class() == popClass(&r.in, i) {
			continue // the adapter agrees with the population: nothing gated
		}
		n++
		if c, f := gated.Confidence[i], free.Confidence[i]; c <= 0 || c+f > 1+1e-5 {
			t.Errorf("beat %d: adapter says %s at %.3f, kept %s shown at %.3f; want at most %.3f",
				b.Sample, b.Code.Class(), f, popClass(&r.in, i), c, 1-f)
		}
	}
	if n == 0 {
		t.Fatal("no beat where the adapter overrules the population: the test tests nothing")
	}
}

// TestAdaptContextCancels: a fit whose context ends stops with its error
// (the window does not wait for it when the record closes); a live
// context gives Adapt's result.
func TestAdaptContextCancels(t *testing.T) {
	r := synthRecord(t, 10, 13)
	r.teach(map[annotate.Class]int{annotate.ClassN: 10, annotate.ClassS: 5, annotate.ClassV: 5})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := AdaptContext(ctx, r.in, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("AdaptContext after cancel: %v, want context.Canceled", err)
	}
	want, err := Adapt(r.in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := AdaptContext(context.Background(), r.in, Options{})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("AdaptContext with a live context differs from Adapt (%v)", err)
	}
}
