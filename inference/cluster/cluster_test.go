package cluster

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// blobs makes n beats 300 samples apart whose embeddings come from three
// well separated Gaussian blobs (class = i mod 7: 0..4 blob 0, 5 blob 1,
// 6 blob 2), with a fixed seed.
func blobs(n, dim int) ([]int64, []float32, []int) {
	r := rand.New(rand.NewPCG(1, 2))
	centres := make([][]float64, 3)
	for k := range centres {
		centres[k] = make([]float64, dim)
		centres[k][k] = 1 // orthogonal directions: distance sqrt(2) between unit centres
	}
	samples := make([]int64, n)
	emb := make([]float32, 0, n*dim)
	class := make([]int, n)
	for i := range n {
		samples[i] = int64(1000 + 300*i)
		k := 0
		switch i % 7 {
		case 5:
			k = 1
		case 6:
			k = 2
		}
		class[i] = k
		for j := range dim {
			emb = append(emb, float32(centres[k][j]+0.03*r.NormFloat64()))
		}
	}
	return samples, emb, class
}

func batch(t *testing.T, samples []int64, emb []float32, dim int, o Options) *Clusterer {
	t.Helper()
	c := New(o)
	if err := c.Add(samples, emb, dim); err != nil {
		t.Fatal(err)
	}
	c.Finish()
	return c
}

func TestBlobsGiveThreeClusters(t *testing.T) {
	samples, emb, class := blobs(700, 8)
	c := batch(t, samples, emb, 8, DefaultOptions())
	cs := c.Clusters()
	if len(cs) != 3 {
		t.Fatalf("%d clusters, want 3", len(cs))
	}
	wantSizes := []int{500, 100, 100}
	for i, cl := range cs {
		if len(cl.Beats) != wantSizes[i] {
			t.Errorf("cluster %d: %d beats, want %d", i, len(cl.Beats), wantSizes[i])
		}
		if !slices.IsSortedFunc(cl.Distance, func(a, b float32) int { return -cmp32(a, b) }) {
			t.Errorf("cluster %d: distances not decreasing", i)
		}
		k := class[slices.Index(samples, cl.Beats[0])]
		for _, s := range cl.Beats {
			if class[slices.Index(samples, s)] != k {
				t.Fatalf("cluster %d mixes blobs", i)
			}
		}
	}
}

func cmp32(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestDeterministicAndIncremental(t *testing.T) {
	samples, emb, _ := blobs(2000, 8)
	o := DefaultOptions()
	o.MergeEvery = 100
	want := batch(t, samples, emb, 8, o).Clusters()
	again := batch(t, samples, emb, 8, o).Clusters()
	if !reflect.DeepEqual(want, again) {
		t.Fatal("two batch runs differ")
	}
	for _, chunk := range []int{1, 7, 64, 333, 1999} {
		c := New(o)
		for i := 0; i < len(samples); i += chunk {
			j := min(i+chunk, len(samples))
			if err := c.Add(samples[i:j], emb[i*8:j*8], 8); err != nil {
				t.Fatal(err)
			}
		}
		c.Finish()
		if got := c.Clusters(); !reflect.DeepEqual(got, want) {
			t.Errorf("chunks of %d: clusters differ from the batch run", chunk)
		}
	}
}

func TestPrematurityFeature(t *testing.T) {
	// Same shape everywhere, but every 5th beat comes 40% early: RR
	// alone must separate them.
	n := 500
	samples := make([]int64, n)
	emb := make([]float32, 0, n*4)
	at := int64(0)
	for i := range n {
		step := int64(300)
		if i%5 == 4 {
			step = 180
		} else if i%5 == 0 && i > 0 {
			step = 420
		}
		at += step
		samples[i] = at
		emb = append(emb, 1, 0, 0, 0)
	}
	c := batch(t, samples, emb, 4, DefaultOptions())
	early := map[int64]bool{}
	for i, s := range samples {
		early[s] = i%5 == 4
	}
	for _, cl := range c.Clusters() {
		for _, s := range cl.Beats[1:] {
			if early[s] != early[cl.Beats[0]] {
				t.Fatalf("cluster %d mixes early and on-time beats", cl.ID)
			}
		}
	}
}

func TestOperations(t *testing.T) {
	samples, emb, _ := blobs(700, 8)
	c := batch(t, samples, emb, 8, DefaultOptions())
	cs := c.Clusters()
	big, small := cs[0].ID, cs[1].ID
	if err := c.Merge(big, small); err != nil {
		t.Fatal(err)
	}
	if got := len(c.Clusters()); got != 2 {
		t.Fatalf("after merge %d clusters, want 2", got)
	}
	other, err := c.Split(big)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Members(big)
	b, _ := c.Members(other)
	if len(a)+len(b) != 600 || min(len(a), len(b)) != 100 {
		t.Errorf("split gave %d and %d beats, want 500 and 100", len(a), len(b))
	}
	moved := []int64{samples[0], samples[1]}
	to, err := c.Move(moved, NewCluster)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := c.Of(samples[0]); id != to {
		t.Errorf("moved beat in cluster %d, want %d", id, to)
	}
	// New beats join the nearest cluster; pinned clusters are not merged.
	more, memb, _ := blobs(7, 8)
	for i := range more {
		more[i] += samples[len(samples)-1]
	}
	if err := c.Add(more, memb, 8); err != nil {
		t.Fatal(err)
	}
	c.Finish()
	if _, ok := c.Of(more[0]); !ok {
		t.Error("added beat has no cluster")
	}
	total := 0
	for _, cl := range c.Clusters() {
		total += len(cl.Beats)
	}
	if total != c.Len() {
		t.Errorf("clusters hold %d beats, want %d", total, c.Len())
	}
}

func TestErrors(t *testing.T) {
	samples, emb, _ := blobs(20, 4)
	c := batch(t, samples, emb, 4, DefaultOptions())
	nan := []float32{float32(math.NaN()), 0, 0, 0}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"dimension change", c.Add([]int64{1 << 40}, make([]float32, 5), 5), ErrInput},
		{"wrong length", c.Add([]int64{1 << 40}, make([]float32, 3), 4), ErrInput},
		{"zero dimension", c.Add([]int64{1 << 40}, nil, 0), ErrInput},
		{"not after the last beat", c.Add([]int64{samples[3]}, make([]float32, 4), 4), ErrInput},
		{"not increasing", c.Add([]int64{1 << 41, 1 << 40}, make([]float32, 8), 4), ErrInput},
		{"NaN", c.Add([]int64{1 << 40}, nan, 4), ErrInput},
		{"merge unknown", c.Merge(0, 999), ErrNoCluster},
		{"merge with itself", c.Merge(0, 0), ErrNoCluster},
		{"split unknown", errOf(c.Split(-3)), ErrNoCluster},
		{"move unknown beat", errOf(c.Move([]int64{5}, 0)), ErrNoBeat},
		{"move to unknown", errOf(c.Move([]int64{samples[0]}, 999)), ErrNoCluster},
		{"members unknown", errOf(c.Members(999)), ErrNoCluster},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("err %v, want %v", tt.err, tt.want)
			}
		})
	}
	one := New(DefaultOptions())
	if err := one.Add([]int64{10}, []float32{1, 0}, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := one.Split(0); !errors.Is(err, ErrTooSmall) {
		t.Errorf("split of one beat: %v, want ErrTooSmall", err)
	}
}

func errOf[T any](_ T, err error) error { return err }

func TestLookAlikes(t *testing.T) {
	samples, emb, class := blobs(700, 8)
	c := batch(t, samples, emb, 8, DefaultOptions())
	la := c.LookAlikes(samples[5])
	if len(la) == 0 {
		t.Fatal("no look-alikes")
	}
	for _, s := range la {
		if s == samples[5] || class[slices.Index(samples, s)] != class[5] {
			t.Fatalf("look-alike %d is the beat itself or of another blob", s)
		}
	}
	if c.LookAlikes(12345) != nil {
		t.Error("look-alikes of a sample without a beat")
	}
}

func BenchmarkAdd(b *testing.B) {
	samples, emb, _ := blobs(10000, 32)
	b.ReportAllocs()
	b.SetBytes(int64(len(emb) * 4))
	for b.Loop() {
		c := New(DefaultOptions())
		if err := c.Add(samples, emb, 32); err != nil {
			b.Fatal(err)
		}
		c.Finish()
	}
}

// BenchmarkFeatures is the baseline of BenchmarkAdd: only the feature
// vectors (unit embedding and ln prematurity), no clustering.
func BenchmarkFeatures(b *testing.B) {
	_, emb, _ := blobs(10000, 32)
	b.ReportAllocs()
	b.SetBytes(int64(len(emb) * 4))
	for b.Loop() {
		for i := 0; i < len(emb); i += 32 {
			_ = features(emb[i:i+32], 1, 1)
		}
	}
}
