package cluster

import (
	"fmt"
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// MorphOptions set the raw-waveform shape features of Morphology.
type MorphOptions struct {
	Before, After time.Duration // window around the R peak; 0: 100 ms and 150 ms
	Points        int           // points per lead after averaging; 0: 20
}

// Morphology returns a shape vector per beat, independent of any model:
// for each lead, the window around the R peak averaged down to Points
// values, less the window's mean; the leads' values concatenated and the
// whole scaled to unit length (so only the shape counts). Rows are
// row-major, len(samples) × dim. Beats too near the record's edges read
// zeros outside it.
func Morphology(sig annotate.Signal, samples []int64, o MorphOptions) ([]float32, int, error) {
	o = o.withDefaults()
	info := sig.Info()
	before := int64(o.Before.Seconds()*info.Fs + 0.5)
	n := int(before + int64(o.After.Seconds()*info.Fs+0.5))
	if n < o.Points {
		return nil, 0, fmt.Errorf("%w: morphology window of %d samples is shorter than %d points", ErrInput, n, o.Points)
	}
	r := snippetReader{sig: sig, info: info, before: before, n: n}
	dim := o.Points * len(info.Leads)
	out := make([]float32, 0, len(samples)*dim)
	for _, s := range samples {
		w, err := r.read(s)
		if err != nil {
			return nil, 0, fmt.Errorf("cluster: morphology: %w", err)
		}
		out = append(out, shape(w, o.Points)...)
	}
	return out, dim, nil
}

func (o MorphOptions) withDefaults() MorphOptions {
	if o.Before <= 0 {
		o.Before = 100 * time.Millisecond
	}
	if o.After <= 0 {
		o.After = 150 * time.Millisecond
	}
	if o.Points <= 0 {
		o.Points = 20
	}
	return o
}

// shape averages each lead of w down to k points, removes the mean and
// scales the concatenation to unit length.
func shape(w [][]float32, k int) []float32 {
	out := make([]float32, 0, k*len(w))
	for _, x := range w {
		var mean float64
		for _, v := range x {
			mean += float64(v)
		}
		mean /= float64(len(x))
		for j := range k {
			lo, hi := j*len(x)/k, (j+1)*len(x)/k
			var s float64
			for _, v := range x[lo:hi] {
				s += float64(v) - mean
			}
			out = append(out, float32(s/float64(hi-lo)))
		}
	}
	return unit(out)
}

func unit(x []float32) []float32 {
	var n float64
	for _, v := range x {
		n += float64(v) * float64(v)
	}
	if n = math.Sqrt(n); n > 0 {
		for i := range x {
			x[i] = float32(float64(x[i]) / n)
		}
	}
	return x
}

// Combine joins two per-beat feature tables (row-major, n × da and n × db)
// into one of n × (da+db): each row of a scaled to unit length, each row of
// b to length wb. It is how the beat model's embedding and Morphology are
// clustered together.
func Combine(a []float32, da int, b []float32, db int, wb float64) ([]float32, int, error) {
	if da <= 0 || db <= 0 || len(a)%da != 0 || len(b)%db != 0 || len(a)/da != len(b)/db {
		return nil, 0, fmt.Errorf("%w: combine %d×%d with %d×%d values", ErrInput, len(a), da, len(b), db)
	}
	n := len(a) / da
	out := make([]float32, 0, n*(da+db))
	for i := range n {
		out = append(out, unit(append([]float32(nil), a[i*da:(i+1)*da]...))...)
		for _, v := range unit(append([]float32(nil), b[i*db:(i+1)*db]...)) {
			out = append(out, float32(float64(v)*wb))
		}
	}
	return out, da + db, nil
}

// Features returns what to cluster the beats at samples by: their model
// embedding (n × dim) joined by Combine with their Morphology weighted by
// morph, or the embedding alone when morph is 0.
func Features(sig annotate.Signal, samples []int64, emb []float32, dim int, morph float64) ([]float32, int, error) {
	if morph <= 0 {
		return emb, dim, nil
	}
	m, md, err := Morphology(sig, samples, MorphOptions{})
	if err != nil {
		return nil, 0, err
	}
	return Combine(emb, dim, m, md, morph)
}

// AddShaped is Add by what Features makes of the beats' embedding emb
// (len(samples) × dim) and their shape in sig, weighted by Options.Morph:
// how the app and bench-effort cluster a record's beats.
func (c *Clusterer) AddShaped(sig annotate.Signal, samples []int64, emb []float32, dim int) error {
	f, fd, err := Features(sig, samples, emb, dim, c.o.Morph)
	if err != nil {
		return err
	}
	return c.Add(samples, f, fd)
}
