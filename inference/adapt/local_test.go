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
	rng := rand.New(rand.NewPCG(9, 10))
	vetoed := 0
	for trial := range 30 {
		in := randomInput(rng, 50+rng.IntN(250))
		if trial%2 == 1 {
			in.Group = make([]int, len(in.Beats))
			for i := range in.Group {
				in.Group[i] = rng.IntN(4) - 1
			}
		}
		k := 1 + rng.IntN(9)
		free, err := Adapt(in, Options{MinLabels: 5})
		if err != nil {
			t.Fatal(err)
		}
		gated, err := Adapt(in, Options{MinLabels: 5, Neighbours: k})
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
			if pop := popClass(&in, rows[p]); l.Code.Class() != pop && !backed(in, rows, teach, x, nf, p, k, l.Code.Class()) {
				t.Fatalf("trial %d, k %d: beat %d relabelled %s (population %s) against its nearest reader labels", trial, k, l.Sample, l.Code.Class(), pop)
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
