package adapt

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestNeighbourGate: on random label sets, every adapted label that
// changes a beat's population class has at least half of its k nearest
// reader labels (found here by sorting every distance; those of its
// look-alike group when it has one) of the new class, and the gate
// changes no label that keeps the population class.
func TestNeighbourGate(t *testing.T) {
	gateTrials(t, rand.New(rand.NewPCG(9, 10)), func(trial int) bool { return trial%2 == 1 }, 9,
		func(k int) Options { return Options{MinLabels: 5, Neighbours: k} }, backed)
}

// gateCheck reports whether the beat at position p may take class c under a
// gate of k, found by brute force.
type gateCheck func(in Input, rows, teach []int, x []float64, nf, p, k int, c annotate.Class) bool

// gateTrials adapts 30 random label sets (with look-alike groups where
// grouped says so) without and with the gate opt(k), k from 1 to kMax, and
// fails when a gated label changes a beat's population class against ok,
// when the gate adds a label, or when it vetoes nothing at all.
func gateTrials(t *testing.T, rng *rand.Rand, grouped func(trial int) bool, kMax int, opt func(k int) Options, ok gateCheck) {
	t.Helper()
	vetoed := 0
	for trial := range 30 {
		in := randomInput(rng, 50+rng.IntN(250))
		if grouped(trial) {
			in.Group = make([]int, len(in.Beats))
			for i := range in.Group {
				in.Group[i] = rng.IntN(4) - 1
			}
		}
		k := 1 + rng.IntN(kMax)
		free, err := Adapt(in, Options{MinLabels: 5})
		if err != nil {
			t.Fatal(err)
		}
		gated, err := Adapt(in, opt(k))
		if err != nil {
			t.Fatal(err)
		}
		rows, teach := beatRows(in.Beats)
		x := features(&in, rows)
		nf := featureCount(&in)
		pos := map[int64]int{}
		for p, i := range rows {
			pos[in.Beats[i].Sample] = p
		}
		for _, l := range gated.Labels {
			p := pos[l.Sample]
			if pop := popClass(&in, rows[p]); l.Code.Class() != pop && !ok(in, rows, teach, x, nf, p, k, l.Code.Class()) {
				t.Fatalf("trial %d, k %d: beat %d relabelled %s (population %s) without the gate's evidence", trial, k, l.Sample, l.Code.Class(), pop)
			}
		}
		if len(gated.Labels) > len(free.Labels) {
			t.Errorf("trial %d: the gate added labels: %d against %d", trial, len(gated.Labels), len(free.Labels))
		}
		vetoed += len(free.Labels) - len(gated.Labels)
	}
	if vetoed == 0 {
		t.Error("the gate kept no population label in 30 random records: the test proves nothing")
	}
	t.Logf("%d relabels vetoed", vetoed)
}

// backed reports whether at least half of the k reader labels nearest the
// beat at position p are of class c.
func backed(in Input, rows, teach []int, x []float64, nf, p, k int, c annotate.Class) bool {
	type near struct {
		d float64
		c annotate.Class
		j int
	}
	var ns []near
	for j, q := range teach {
		if in.Group != nil && in.Group[rows[p]] >= 0 && in.Group[rows[q]] != in.Group[rows[p]] {
			continue // a beat in a group is compared with its look-alikes only
		}
		d, _ := sqDist(x[p*nf:(p+1)*nf], x[q*nf:(q+1)*nf], -1)
		ns = append(ns, near{d, in.Beats[rows[q]].Code.Class(), j})
	}
	slices.SortFunc(ns, func(a, b near) int {
		if a.d != b.d {
			if a.d < b.d {
				return -1
			}
			return 1
		}
		return a.j - b.j
	})
	votes := 0
	for _, n := range ns[:min(k, len(ns))] {
		if n.c == c {
			votes++
		}
	}
	return len(ns) > 0 && 2*votes >= min(k, len(ns))
}

// TestCrowdGate: on random label sets with look-alike groups, every
// adapted label that changes a beat's population class has at least a
// quarter of the k beats of its group nearest it (found here by sorting
// every distance; reader labels or not, the beat itself among them) reader
// labels of the new class, and the gate adds no label.
func TestCrowdGate(t *testing.T) {
	gateTrials(t, rand.New(rand.NewPCG(11, 12)), func(int) bool { return true }, 16,
		func(k int) Options { return Options{MinLabels: 5, Crowd: k} }, crowded4)
}

// crowded4 reports whether at least a quarter of the k beats of its group
// nearest the beat at position p (ties to the earlier beat) are reader
// labels of class c.
func crowded4(in Input, rows, teach []int, x []float64, nf, p, k int, c annotate.Class) bool {
	reader := map[int]bool{}
	for _, q := range teach {
		reader[q] = true
	}
	type near struct {
		d float64
		q int
	}
	var ns []near
	for q := range rows {
		if in.Group[rows[q]] != in.Group[rows[p]] {
			continue
		}
		d, _ := sqDist(x[p*nf:(p+1)*nf], x[q*nf:(q+1)*nf], -1)
		ns = append(ns, near{d, q})
	}
	slices.SortStableFunc(ns, func(a, b near) int {
		switch {
		case a.d < b.d:
			return -1
		case a.d > b.d:
			return 1
		}
		return 0
	})
	votes, n := 0, min(k, len(ns))
	for _, m := range ns[:n] {
		if reader[m.q] && in.Beats[rows[m.q]].Code.Class() == c {
			votes++
		}
	}
	return 4*votes >= n
}
