package cluster

import (
	"errors"
	"slices"
	"testing"
)

// evenBeats returns n beats of one shape, 300 samples apart, except that
// every 5th comes early by early samples (and the next one late by as
// much), and the samples of the early ones.
func evenBeats(n int, early int64) ([]int64, []float32, []int64) {
	samples := make([]int64, n)
	emb := make([]float32, 0, n*4)
	var want []int64
	at := int64(0)
	for i := range n {
		step := int64(300)
		switch {
		case i%5 == 4:
			step -= early
		case i%5 == 0 && i > 0:
			step += early
		}
		at += step
		samples[i] = at
		if i%5 == 4 && early > 0 {
			want = append(want, at)
		}
		emb = append(emb, 1, 0, 0, 0)
	}
	return samples, emb, want
}

// TestSplitPremature checks the split by prematurity on a card that the
// shape alone cannot split: one cluster (RR weight 0) of on-time beats and
// beats 20% early. The early ones, exactly, move to the new cluster.
func TestSplitPremature(t *testing.T) {
	o := DefaultOptions()
	o.RRWeight = 0
	samples, emb, early := evenBeats(200, 60)
	c := batch(t, samples, emb, 4, o)
	if n := len(c.Clusters()); n != 1 {
		t.Fatalf("%d clusters, want 1 (shape alone)", n)
	}
	id := c.Clusters()[0].ID
	other, err := c.SplitPremature(id)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := c.Members(other)
	if !slices.Equal(got, early) {
		t.Errorf("the premature part holds %d beats, want the %d early ones", len(got), len(early))
	}
	if rest, _ := c.Members(id); len(rest)+len(got) != len(samples) {
		t.Errorf("%d + %d members after the split, want %d", len(rest), len(got), len(samples))
	}
}

func TestSplitPrematureErrors(t *testing.T) {
	o := DefaultOptions()
	o.RRWeight = 0
	samples, emb, _ := evenBeats(50, 0) // every beat on time
	c := batch(t, samples, emb, 4, o)
	cases := []struct {
		name string
		id   int
		want error
	}{
		{"all equally premature", c.Clusters()[0].ID, ErrTooSmall},
		{"unknown cluster", -3, ErrNoCluster},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := c.SplitPremature(tc.id); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}
