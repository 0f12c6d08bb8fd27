package qrs

import (
	"math"
	"sort"
)

// initLevels sets each lead's QRS level from the warm-up samples w[:][0:n]
// (the largest integrated slope, a QRS in any ECG of initSec) and the
// starting signal and noise peak levels of the fused feature.
func (d *Detector) initLevels(w [][]int32, n int) {
	feat := make([][]float64, len(d.leads))
	for i := range d.leads {
		l := d.leads[i]
		l.ring = make([]float64, len(l.ring))
		feat[i] = make([]float64, n)
		pos := 0
		for k := 0; k < n; k++ {
			y := l.lp.Step(l.hp.Step(float64(w[l.idx][k])))
			dd := y - l.prevY
			l.prevY = y
			l.sum += dd*dd - l.ring[pos]
			l.ring[pos] = dd * dd
			pos = (pos + 1) % len(l.ring)
			feat[i][k] = math.Sqrt(math.Max(l.sum, 0))
		}
		mx := 0.0
		for _, v := range feat[i][min(n, d.p.win*2):] {
			mx = math.Max(mx, v)
		}
		d.leads[i].level = math.Max(mx*0.7, 1e-9)
		d.leads[i].inv = 1 / d.leads[i].level
		d.leads[i].w = 1
		d.leads[i].agree = 1
	}
	fused := make([]float64, n)
	for i := range d.leads {
		for k, v := range feat[i] {
			fused[k] += v * d.leads[i].inv
		}
	}
	sort.Float64s(fused)
	d.spk = 0.7 * fused[n-1]
	d.npk = 0.5 * fused[n/2]
}

// run processes n samples of every lead.
func (d *Detector) run(chunk [][]int32, n int) {
	leads := d.leads
	for k := 0; k < n; k++ {
		f, c := 0.0, 0.0
		yi := d.n & d.mask
		for i := range leads {
			l := &leads[i]
			y := l.lp.Step(l.hp.Step(float64(chunk[l.idx][k])))

			dd := y - l.prevY
			l.prevY = y
			s := dd * dd
			l.sum += s - l.ring[d.wpos]
			l.ring[d.wpos] = s
			l.yring[yi] = float32(y)
			v := math.Sqrt(math.Abs(l.sum)) * l.inv
			d.vs[i] = float32(v)
			l.vring[yi] = float32(v)
			f += v * l.w
			c += math.Abs(dd) * l.inv * l.w
		}
		d.raw[yi] = float32(chunk[leads[0].idx][k])
		d.wpos++
		if d.wpos == d.p.win {
			d.wpos = 0
			d.resum()
		}
		d.peak(f, c)
		d.n++
	}
}

// resum recomputes the integration sums exactly, so rounding never drifts.
func (d *Detector) resum() {
	for i := range d.leads {
		s := 0.0
		for _, v := range d.leads[i].ring {
			s += v
		}
		d.leads[i].sum = s
	}
}

// peak runs the peak finder on the fused feature f and slope c of sample d.n.
func (d *Detector) peak(f, c float64) {
	if d.rising {
		if f > d.cur.val {
			d.cur.val, d.cur.pos = f, d.n
			d.cur.lv = d.vs
		}
		if c > d.cur.slope {
			d.cur.slope = c
		}
		if f < d.cur.val*dropFrac || d.n-d.cur.pos > d.p.maxWait {
			d.rising = false
			d.valley = f
			d.consider(d.cur)
		}
	} else if f < d.valley {
		d.valley = f
	} else if f > d.valley {
		d.rising = true
		d.cur = candidate{pos: d.n, val: f, slope: c, lv: d.vs}
	}
	if d.n == d.sbAt {
		d.searchBack(false)
	}
	if d.n > d.decayAt && d.n-d.lastDecay > d.p.fs2() {
		d.decay()
	}
}
