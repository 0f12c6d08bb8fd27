package adapt

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// Feature counts of the fixed groups.
const (
	rrFeatures    = 4 // RR before and after over the local mean, their ratio, the local mean (s)
	shapeSegments = 8 // segments of the beat-minus-template difference
	tmplFeatures  = 3 + shapeSegments
	rrHalfWidth   = 8   // beats each side of the local RR mean
	tmplBeats     = 512 // beats (evenly spaced) the median template is taken over
	probFloor     = 1e-4
)

// featureCount returns the number of features of in.
func featureCount(in *Input) int {
	f := len(in.Classes) + in.EmbDim + rrFeatures
	if in.WinLen > 0 {
		f += tmplFeatures
	}
	return f
}

// features returns the standardised feature rows of the beats at rows (a
// len(rows) × featureCount matrix, row-major).
func features(in *Input, rows []int) []float64 {
	nf := featureCount(in)
	x := make([]float64, len(rows)*nf)
	rr := rrTable(in, rows)
	var tmpl []float64
	if in.WinLen > 0 {
		tmpl = medianTemplate(in, rows)
	}
	for k, i := range rows {
		dst := x[k*nf : (k+1)*nf]
		j := 0
		for c := range in.Classes {
			dst[j] = math.Log(math.Max(float64(in.Probs[i*len(in.Classes)+c]), probFloor))
			j++
		}
		for _, v := range in.Emb[i*in.EmbDim : (i+1)*in.EmbDim] {
			dst[j] = float64(v)
			j++
		}
		j += copy(dst[j:], rr[k*rrFeatures:(k+1)*rrFeatures])
		if tmpl != nil {
			templateFeatures(dst[j:], in.Windows[i*in.WinLen:(i+1)*in.WinLen], tmpl)
		}
	}
	standardise(x, nf)
	return x
}

// rrTable returns the RR features of the beats at rows: the RR interval
// before and after each beat over the mean RR of the rrHalfWidth beats each
// side, the before/after ratio, and the local mean in seconds.
func rrTable(in *Input, rows []int) []float64 {
	n := len(rows)
	rr := make([]float64, n) // rr[k]: interval from beat k-1 to k, s
	for k := 1; k < n; k++ {
		rr[k] = float64(in.Beats[rows[k]].Sample-in.Beats[rows[k-1]].Sample) / in.Fs
	}
	if n > 1 {
		rr[0] = rr[1]
	}
	sum := make([]float64, n+1)
	for k, v := range rr {
		sum[k+1] = sum[k] + v
	}
	out := make([]float64, n*rrFeatures)
	for k := range n {
		lo, hi := max(0, k-rrHalfWidth), min(n, k+rrHalfWidth+1)
		local := math.Max((sum[hi]-sum[lo])/float64(hi-lo), 1e-3)
		pre, post := rr[k], rr[min(k+1, n-1)]
		out[k*rrFeatures] = pre / local
		out[k*rrFeatures+1] = post / local
		out[k*rrFeatures+2] = pre / math.Max(post, 1e-3)
		out[k*rrFeatures+3] = local
	}
	return out
}

// medianTemplate returns the sample-by-sample median of up to tmplBeats
// evenly spaced beat windows, each less its mean: the record's dominant
// beat shape.
func medianTemplate(in *Input, rows []int) []float64 {
	step := max(1, len(rows)/tmplBeats)
	var pick []int
	for k := 0; k < len(rows); k += step {
		pick = append(pick, rows[k])
	}
	cols := make([][]float64, in.WinLen)
	for _, i := range pick {
		w := in.Windows[i*in.WinLen : (i+1)*in.WinLen]
		m := meanF32(w)
		for t, v := range w {
			cols[t] = append(cols[t], float64(v)-m)
		}
	}
	tmpl := make([]float64, in.WinLen)
	for t, c := range cols {
		slices.Sort(c)
		tmpl[t] = c[len(c)/2]
	}
	return tmpl
}

// templateFeatures writes the correlation of the window w with the
// template, the RMS of their difference and the ratio of their
// peak-to-peak amplitudes (both over the template's peak-to-peak), and the
// mean difference over shapeSegments equal segments.
func templateFeatures(dst []float64, w []float32, tmpl []float64) {
	m := meanF32(w)
	var sxy, sxx, syy, sdd float64
	lo, hi := math.Inf(1), math.Inf(-1)
	tlo, thi := math.Inf(1), math.Inf(-1)
	seg := make([]float64, shapeSegments)
	for t, v := range w {
		x, y := float64(v)-m, tmpl[t]
		sxy, sxx, syy, sdd = sxy+x*y, sxx+x*x, syy+y*y, sdd+(x-y)*(x-y)
		lo, hi = spread(lo, hi, x)
		tlo, thi = spread(tlo, thi, y)
		seg[t*shapeSegments/len(w)] += x - y
	}
	ptp := math.Max(thi-tlo, 1e-9)
	dst[0] = sxy / math.Max(math.Sqrt(sxx*syy), 1e-12)
	dst[1] = math.Sqrt(sdd/float64(len(w))) / ptp
	dst[2] = (hi - lo) / ptp
	for s, v := range seg {
		dst[3+s] = v * shapeSegments / float64(len(w)) / ptp
	}
}

// spread widens [lo, hi] to hold x (plain comparisons: math.Min and
// math.Max cost a third of the adapter's time here).
func spread(lo, hi, x float64) (float64, float64) {
	if x < lo {
		lo = x
	}
	if x > hi {
		hi = x
	}
	return lo, hi
}

func meanF32(w []float32) float64 {
	s := 0.0
	for _, v := range w {
		s += float64(v)
	}
	return s / float64(max(len(w), 1))
}

// standardise gives every column of the row-major matrix x (nf columns)
// zero mean and unit variance; a constant column becomes zero. It walks
// the rows in order (a column walk misses the cache on every value).
func standardise(x []float64, nf int) {
	n := len(x) / nf
	if n == 0 {
		return
	}
	mean, sd := make([]float64, nf), make([]float64, nf)
	for k := range n {
		floats.Add(mean, x[k*nf:(k+1)*nf])
	}
	floats.Scale(1/float64(n), mean)
	for k := range n {
		for j, v := range x[k*nf : (k+1)*nf] {
			sd[j] += (v - mean[j]) * (v - mean[j])
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j] / float64(n))
		if sd[j] < 1e-12 {
			sd[j] = math.Inf(1)
		}
	}
	for k := range n {
		row := x[k*nf : (k+1)*nf]
		for j := range row {
			row[j] = (row[j] - mean[j]) / sd[j]
		}
	}
}
