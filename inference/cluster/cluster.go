package cluster

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate/stats"
)

// Errors of the clustering.
var (
	ErrInput     = errors.New("cluster: bad input")
	ErrNoBeat    = errors.New("cluster: no beat at that sample")
	ErrNoCluster = errors.New("cluster: no such cluster")
	ErrTooSmall  = errors.New("cluster: too few beats to split")
)

// Options tune the clustering (see the package comment).
type Options struct {
	Threshold    float64 // a beat farther than this from every centre starts a cluster
	MergeBelow   float64 // centres closer than this merge
	AbsorbRadius float64 // small clusters' beats join a cluster this near
	RRWeight     float64 // W_rr
	LookRadius   float64 // LookAlikes: beats this near; 0: Threshold/2
	MinSize      int     // clusters smaller than this are absorbed
	MergeEvery   int     // beats between merge and absorb passes
	// Morph is the weight of the raw-waveform shape (Morphology) that
	// Features joins to the model's embedding; 0: the embedding alone.
	Morph float64
}

// DefaultOptions returns the options tuned on DS1 records.
func DefaultOptions() Options {
	return Options{Threshold: 0.7, MergeBelow: 0.12, AbsorbRadius: 0.5, RRWeight: 1.5, LookRadius: 0.05,
		MinSize: 3, MergeEvery: 512, Morph: 1}
}

// NewCluster is the target of Move that makes a new cluster.
const NewCluster = -1

type clus struct {
	sum     []float64 // sum of the members' features
	members []int32   // beat indices, increasing
	born    int       // beats added when it was created
	pinned  bool      // a reader changed it
}

// Clusterer clusters the beats of one record as they arrive. It is not
// safe for concurrent use.
type Clusterer struct {
	o       Options
	emb     int // embedding length, fixed by the first Add
	dim     int // feature length: emb + 1
	samples []int64
	feats   []float32 // len(samples) × dim
	rrPrev  []int64   // RR before each beat, samples (0 for the first)
	prem    []float32 // prematurity p_i
	assign  []int32   // cluster ID of each beat
	cl      []*clus   // by ID; nil when merged away or emptied
	rrWin   []float64 // the last 8 RR intervals, samples
}

// New returns an empty Clusterer.
func New(o Options) *Clusterer {
	if o.MergeEvery <= 0 {
		o.MergeEvery = DefaultOptions().MergeEvery
	}
	return &Clusterer{o: o}
}

// Len returns the number of beats added.
func (c *Clusterer) Len() int { return len(c.samples) }

// Add clusters the beats at samples, whose embeddings are emb (row-major,
// len(samples) × dim). Samples must increase and come after every beat
// added before.
func (c *Clusterer) Add(samples []int64, emb []float32, dim int) error {
	if err := c.check(samples, emb, dim); err != nil {
		return err
	}
	for i, s := range samples {
		c.addOne(s, emb[i*dim:(i+1)*dim])
		if len(c.samples)%c.o.MergeEvery == 0 {
			c.checkpoint(false)
		}
	}
	return nil
}

func (c *Clusterer) check(samples []int64, emb []float32, dim int) error {
	switch {
	case dim <= 0 || len(emb) != len(samples)*dim:
		return fmt.Errorf("%w: %d embedding values for %d beats of %d dimensions", ErrInput, len(emb), len(samples), dim)
	case c.emb != 0 && dim != c.emb:
		return fmt.Errorf("%w: embedding of %d dimensions after %d", ErrInput, dim, c.emb)
	}
	last := int64(-1)
	if n := len(c.samples); n > 0 {
		last = c.samples[n-1]
	}
	for i, s := range samples {
		if s <= last {
			return fmt.Errorf("%w: beat %d at sample %d does not come after sample %d", ErrInput, i, s, last)
		}
		last = s
	}
	for i, v := range emb {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: embedding value %d of beat %d is %v", ErrInput, i%dim, i/dim, v)
		}
	}
	c.emb, c.dim = dim, dim+1
	return nil
}

// addOne computes the beat's features and assigns it.
func (c *Clusterer) addOne(s int64, e []float32) {
	var rr int64
	p := 1.0
	if n := len(c.samples); n > 0 {
		rr = s - c.samples[n-1]
		if len(c.rrWin) > 0 {
			p = float64(rr) / stats.Median(c.rrWin)
		}
		c.rrWin = append(c.rrWin, float64(rr))
		if len(c.rrWin) > 8 {
			c.rrWin = c.rrWin[1:]
		}
	}
	f := features(e, p, c.o.RRWeight)
	i := int32(len(c.samples))
	c.samples = append(c.samples, s)
	c.feats = append(c.feats, f...)
	c.rrPrev = append(c.rrPrev, rr)
	c.prem = append(c.prem, float32(p))
	id, d := c.nearest(f, -1)
	if id < 0 || d > c.o.Threshold {
		id = c.newCluster()
	}
	c.assign = append(c.assign, int32(id))
	c.join(id, i)
}

// features returns f = (e/|e|, w·ln p).
func features(e []float32, p, w float64) []float32 {
	var n float64
	for _, v := range e {
		n += float64(v) * float64(v)
	}
	n = math.Sqrt(n)
	f := make([]float32, len(e)+1)
	if n > 0 {
		for i, v := range e {
			f[i] = float32(float64(v) / n)
		}
	}
	p = min(max(p, 0.2), 5)
	f[len(e)] = float32(w * math.Log(p))
	return f
}

func (c *Clusterer) newCluster() int {
	c.cl = append(c.cl, &clus{sum: make([]float64, c.dim), born: len(c.samples)})
	return len(c.cl) - 1
}

// join adds beat i to cluster id, keeping its members in order.
func (c *Clusterer) join(id int, i int32) {
	k := c.cl[id]
	for j, v := range c.feat(i) {
		k.sum[j] += float64(v)
	}
	at, _ := slices.BinarySearch(k.members, i)
	k.members = slices.Insert(k.members, at, i)
	c.assign[i] = int32(id)
}

// leave removes beat i from its cluster, dropping the cluster when empty.
func (c *Clusterer) leave(i int32) {
	id := c.assign[i]
	k := c.cl[id]
	for j, v := range c.feat(i) {
		k.sum[j] -= float64(v)
	}
	if at, ok := slices.BinarySearch(k.members, i); ok {
		k.members = slices.Delete(k.members, at, at+1)
	}
	if len(k.members) == 0 {
		c.cl[id] = nil
	}
}

func (c *Clusterer) feat(i int32) []float32 {
	return c.feats[int(i)*c.dim : int(i+1)*c.dim]
}

// dist returns the distance of f from the centre of cluster id.
func (c *Clusterer) dist(f []float32, id int) float64 {
	k := c.cl[id]
	n := float64(len(k.members))
	var d float64
	for j, v := range f {
		x := float64(v) - k.sum[j]/n
		d += x * x
	}
	return math.Sqrt(d)
}

// nearest returns the live cluster nearest to f other than skip, and the
// distance; -1 when there is none.
func (c *Clusterer) nearest(f []float32, skip int) (int, float64) {
	best, bd := -1, math.Inf(1)
	for id, k := range c.cl {
		if k == nil || id == skip {
			continue
		}
		if d := c.dist(f, id); d < bd {
			best, bd = id, d
		}
	}
	return best, bd
}
