package adapt

import (
	"fmt"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// wrongRecord is a 20-minute record on which the real beat model is wrong
// on purpose: late-coupled V beats from a left posterior fascicle (QRS
// about 110 ms, coupling 0.9 of the RR), which the model mostly calls N,
// and late atrial premature beats of normal QRS shape (S, coupling 0.9),
// which it calls N. (Since beat model v1.4.0, trained with svdb, the model
// finds most fascicular V beats at coupling 0.75, so the record makes them
// later.)
func wrongRecord(seed uint64) synth.Config {
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 20*time.Minute, seed
	cfg.PVC = synth.Ectopy{PerHour: 150, Coupling: 0.9}
	cfg.PVCOrigin = synth.OriginFascicular
	cfg.PAC = synth.Ectopy{PerHour: 150, Coupling: 0.9}
	return cfg
}

// tally counts, over the unreviewed beats, each true class by the class of
// its label: tally[truth][label].
type tally map[annotate.Class]map[annotate.Class]int

func (r *modelRecord) tally() tally {
	t := tally{}
	for _, b := range r.sess.Labels().Beats {
		if b.Review != annotate.Unreviewed {
			continue
		}
		k := r.truth[b.Sample].Class()
		if t[k] == nil {
			t[k] = map[annotate.Class]int{}
		}
		t[k][b.Code.Class()]++
	}
	return t
}

// right returns the share of unreviewed beats of class k labelled k.
func (t tally) right(k annotate.Class) float64 {
	n := 0
	for _, c := range t[k] {
		n += c
	}
	return float64(t[k][k]) / float64(max(n, 1))
}

func (t tally) String() string {
	return fmt.Sprintf("V→V %d/%d (V→N %d), S→S %d/%d (S→N %d), N→N %d/%d",
		t[annotate.ClassV][annotate.ClassV], sum(t[annotate.ClassV]), t[annotate.ClassV][annotate.ClassN],
		t[annotate.ClassS][annotate.ClassS], sum(t[annotate.ClassS]), t[annotate.ClassS][annotate.ClassN],
		t[annotate.ClassN][annotate.ClassN], sum(t[annotate.ClassN]))
}

func sum(m map[annotate.Class]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// TestAdapterFixesWrongPopulation: on records where the real beat model
// calls at most 30% of the fascicular V beats V (most N) and of the S beats S, the reader fixes k of
// each (k V, k S; k = 3 and 5) and confirms 2k N beats, the first ones in the record;
// after one Run the unreviewed V and S beats are right at least 90% of the
// time and under 1% of the N beats become V or S.
func TestAdapterFixesWrongPopulation(t *testing.T) {
	for _, c := range []struct{ k, seed int }{{3, 1}, {3, 2}, {5, 1}, {5, 2}, {5, 3}} {
		k, seed := c.k, uint64(c.seed)
		t.Run(fmt.Sprintf("k=%d seed %d", k, seed), func(t *testing.T) {
			r := openModelRecord(t, wrongRecord(seed))
			pop := r.tally()
			if pop.right(annotate.ClassV) > 0.3 || pop.right(annotate.ClassS) > 0.3 {
				t.Fatalf("the population model is not wrong here: %s", pop)
			}
			r.teach(t, map[annotate.Class]int{annotate.ClassV: k, annotate.ClassS: k})
			if err := r.sess.Confirm(r.unreviewed(annotate.ClassN)[:2*k], ""); err != nil {
				t.Fatal(err)
			}
			sum := r.run(t, Options{})
			got := r.tally()
			t.Logf("k=%d: population %s; adapted (%d reader labels, %v) %s", k, pop, sum.Learned, sum.Elapsed, got)
			if got.right(annotate.ClassV) < 0.9 || got.right(annotate.ClassS) < 0.9 || got.right(annotate.ClassN) < 0.99 {
				t.Errorf("after %d reader labels: %s", sum.Learned, got)
			}
		})
	}
}
