package cluster

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// GalleryOptions say what each template shows.
type GalleryOptions struct {
	Before, After time.Duration // snippet window around the R peak; 0: 250 ms and 400 ms
	Snippets      int           // superimposed beats per template; 0: 24
	MedianOf      int           // members nearest the centre the median beat is taken over; 0: 64
}

func (o GalleryOptions) withDefaults() GalleryOptions {
	if o.Before <= 0 {
		o.Before = 250 * time.Millisecond
	}
	if o.After <= 0 {
		o.After = 400 * time.Millisecond
	}
	if o.Snippets <= 0 {
		o.Snippets = 24
	}
	if o.MedianOf <= 0 {
		o.MedianOf = 64
	}
	return o
}

// Gallery returns the templates of every cluster, largest first, with
// snippets read from sig and the label mix of labels (the current labels,
// sorted by Sample).
func (c *Clusterer) Gallery(sig annotate.Signal, labels []annotate.Beat, o GalleryOptions) ([]review.Template, error) {
	var out []review.Template
	for _, cl := range c.Clusters() {
		t, err := c.template(cl, sig, labels, o.withDefaults())
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Template returns the template of cluster id, as Gallery makes it.
func (c *Clusterer) Template(id int, sig annotate.Signal, labels []annotate.Beat, o GalleryOptions) (review.Template, error) {
	if err := c.live(id); err != nil {
		return review.Template{}, fmt.Errorf("cluster: template: %w", err)
	}
	return c.template(c.describe(id), sig, labels, o.withDefaults())
}

func (c *Clusterer) template(cl Cluster, sig annotate.Signal, labels []annotate.Beat, o GalleryOptions) (review.Template, error) {
	info := sig.Info()
	before := int64(o.Before.Seconds()*info.Fs + 0.5)
	after := int64(o.After.Seconds()*info.Fs + 0.5)
	t := review.Template{ID: cl.ID, Beats: cl.Beats, Distance: cl.Distance, Fs: info.Fs, Before: int(before)}
	t.MeanRR, t.Prematurity = c.rrStats(cl.Beats, info.Fs)
	r := snippetReader{sig: sig, info: info, before: before, n: int(before + after)}
	for _, s := range spread(cl.Beats, o.Snippets) {
		snip, err := r.read(s)
		if err != nil {
			return t, fmt.Errorf("cluster: template %d: %w", cl.ID, err)
		}
		t.Snippets = append(t.Snippets, snip)
	}
	near := cl.Beats[max(0, len(cl.Beats)-o.MedianOf):]
	med, err := r.median(near)
	if err != nil {
		return t, fmt.Errorf("cluster: template %d: %w", cl.ID, err)
	}
	t.Median = med
	t.Summarize(labels)
	return t, nil
}

// rrStats returns the members' mean RR (seconds) and mean prematurity.
func (c *Clusterer) rrStats(beats []int64, fs float64) (float64, float64) {
	var rr, p float64
	n := 0
	for _, s := range beats {
		i, _ := c.index(s)
		if c.rrPrev[i] > 0 {
			rr += float64(c.rrPrev[i])
			p += float64(c.prem[i])
			n++
		}
	}
	if n == 0 {
		return 0, 1
	}
	return rr / float64(n) / fs, p / float64(n)
}

// spread picks at most k of xs, evenly through the list.
func spread(xs []int64, k int) []int64 {
	if len(xs) <= k {
		return xs
	}
	out := make([]int64, k)
	for j := range out {
		out[j] = xs[j*len(xs)/k]
	}
	return out
}

// snippetReader reads beat windows of every lead in physical units.
type snippetReader struct {
	sig    annotate.Signal
	info   annotate.RecordInfo
	before int64
	n      int
}

// read returns the window of the beat at s, [lead][t]; samples outside the
// record are the lead's zero.
func (r snippetReader) read(s int64) ([][]float32, error) {
	start := s - r.before
	off := 0
	if start < 0 {
		off, start = int(-start), 0
	}
	buf := make([][]int32, len(r.info.Leads))
	out := make([][]float32, len(r.info.Leads))
	for l := range buf {
		buf[l] = make([]int32, r.n-off)
		out[l] = make([]float32, r.n)
	}
	got := 0
	if len(buf) > 0 && len(buf[0]) > 0 {
		n, err := r.sig.Read(buf, start)
		if err != nil {
			return nil, fmt.Errorf("read beat at sample %d: %w", s, err)
		}
		got = n
	}
	for l, ld := range r.info.Leads {
		for t := 0; t < got; t++ {
			out[l][off+t] = float32(ld.Physical(buf[l][t]))
		}
	}
	return out, nil
}

// median returns the sample-by-sample median of the windows of beats.
func (r snippetReader) median(beats []int64) ([][]float32, error) {
	var all [][][]float32
	for _, s := range beats {
		w, err := r.read(s)
		if err != nil {
			return nil, err
		}
		all = append(all, w)
	}
	out := make([][]float32, len(r.info.Leads))
	col := make([]float32, len(all))
	for l := range out {
		out[l] = make([]float32, r.n)
		for t := range out[l] {
			for j, w := range all {
				col[j] = w[l][t]
			}
			out[l][t] = stats.Median(col)
		}
	}
	return out, nil
}

// sortByDist sorts xs by key: distance, then sample.
func sortByDist[T any](xs []T, key func(T) (float64, int64)) {
	slices.SortStableFunc(xs, func(a, b T) int {
		da, sa := key(a)
		db, sb := key(b)
		if c := cmp.Compare(da, db); c != 0 {
			return c
		}
		return cmp.Compare(sa, sb)
	})
}
