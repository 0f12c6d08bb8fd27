package qrs

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

func (p params) fs2() int64 { return int64(p.fs) }

func (d *Detector) thr1() float64 { return d.npk + thrFrac*(d.spk-d.npk) }

// prominence replaces c.val by the fused prominence of the peak: each
// lead's value at the peak less the lowest value it had in the preSec
// before the window that holds the QRS. A lead in continuous noise never
// falls quiet there, so its noise peaks have little prominence, while a QRS
// in a clean lead rises from near zero.
func (d *Detector) prominence(c *candidate) {
	hi := c.pos - int64(d.p.win)
	lo := max(hi-d.p.pre, d.n-int64(d.p.yring)+1, 0)
	val := 0.0
	for i := range d.leads {
		l := &d.leads[i]
		m := c.lv[i]
		for k := lo; k <= hi; k++ {
			m = min(m, l.vring[k&d.mask])
		}
		c.pl[i] = c.lv[i] - m
		val += l.w * float64(c.lv[i]-m)
	}
	c.val = val
}

// isT reports whether c looks like a T wave: close after the last QRS and
// with a much smaller slope.
func (d *Detector) isT(c *candidate) bool {
	return d.haveQRS && c.pos-d.last.pos < d.p.twave && c.slope < tSlopeRatio*d.last.slope
}

// vetoed reports whether the cleanest lead that has shown the recent QRS
// complexes shows nothing at c: then c is an artefact of another lead.
func (d *Detector) vetoed(c *candidate) bool {
	b := -1
	for i := range d.leads {
		l := &d.leads[i]
		if l.agree >= aliveAgree && (b < 0 || l.noise < d.leads[b].noise) {
			b = i
		}
	}
	if b < 0 || len(d.leads) < 2 {
		return false
	}
	l := &d.leads[b]
	return l.noise < vetoNoise && float64(c.pl[b]) < vetoFrac*l.agree
}

// consider decides on a feature peak: QRS, or noise kept for search-back.
func (d *Detector) consider(c candidate) {
	d.prominence(&c)
	if d.haveQRS && c.pos-d.last.pos < d.p.refractory {
		return
	}
	c.veto = d.vetoed(&c)
	above := c.val > d.thr1()
	if above && !d.isT(&c) && !c.veto {
		d.accept(c, false)
		return
	}
	if !(above && c.veto) {
		d.npk = 0.125*c.val + 0.875*d.npk
	}
	d.pending = append(d.pending, c)
	if d.haveQRS && d.rrAvg > 0 && float64(d.n-d.last.pos) > sbRR*float64(d.rrAvg) {
		d.searchBack(false)
	}
}

// searchBack accepts the largest pending peak above the lower threshold
// when no QRS was found for sbRR mean RR intervals, repeating while that
// leaves another such gap.
func (d *Detector) searchBack(final bool) {
	for d.haveQRS && d.rrAvg > 0 && float64(d.n-d.last.pos) >= sbRR*float64(d.rrAvg) {
		thr2 := sbFrac * d.thr1()
		best := -1
		for i := range d.pending {
			c := &d.pending[i]
			if c.pos-d.last.pos < d.p.refractory || c.val <= thr2 || d.isT(c) {
				continue
			}
			if best < 0 || better(c, &d.pending[best]) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		c := d.pending[best]
		rest := append(d.pending[:0], d.pending[best+1:]...)
		d.accept(c, true)
		d.pending = rest
	}
	_ = final
}

// better reports whether search-back prefers a to b: a candidate that no
// clean lead vetoes, then the larger.
func better(a, b *candidate) bool {
	if a.veto != b.veto {
		return !a.veto
	}
	return a.val > b.val
}

// decay lowers the signal level after a long stretch without a QRS, so a
// sudden drop in amplitude is followed within seconds.
func (d *Detector) decay() {
	d.lastDecay = d.n
	d.spk = math.Max(0.6*d.spk, d.npk)
	for i := range d.leads {
		l := &d.leads[i]
		l.level *= 0.8
		l.inv = 1 / l.level
	}
	d.searchBack(false)
}

// accept records c as a QRS complex and emits its beat.
func (d *Detector) accept(c candidate, searchBack bool) {
	if d.haveQRS {
		copy(d.rrs[1:], d.rrs[:])
		d.rrs[0] = c.pos - d.last.pos
		d.nrr = min(d.nrr+1, len(d.rrs))
		var s int64
		for _, r := range d.rrs[:d.nrr] {
			s += r
		}
		d.rrAvg = s / int64(d.nrr)
	}
	v := math.Min(c.val, 3*d.spk)
	conf := math.Max(0, math.Min(1, (c.val-d.npk)/math.Max(d.spk-d.npk, 1e-12)))
	if searchBack {
		d.spk = 0.25*v + 0.75*d.spk
		conf *= 0.5
	} else {
		d.spk = 0.125*v + 0.875*d.spk
	}
	d.updateLeads(&c)
	d.locate(&c)
	d.last, d.haveQRS = c, true
	d.decayAt = c.pos + d.p.decayAfter
	if d.rrAvg > 0 {
		d.sbAt = c.pos + int64(sbRR*float64(d.rrAvg))
	}
	d.pending = d.pending[:0]
	if c.r <= d.lastR {
		// In heavy noise two peaks a refractory period apart can snap to
		// the same R peak (onPeak): one QRS, one beat, beats strictly in
		// time order.
		return
	}
	d.lastR = c.r
	d.out = append(d.out, annotate.Beat{Sample: c.r, Code: annotate.Normal,
		Prov: annotate.Provenance{Source: annotate.SourceDetector, Who: Version, Confidence: float32(conf)}})
}

// locate sets c.r to the largest band-passed deflection of the lead that
// dominates c, within the integration window before the feature peak,
// corrected for the band-pass delay.
func (d *Detector) locate(c *candidate) {
	best := 0
	for i := range d.leads {
		if c.lv[i] > c.lv[best] {
			best = i
		}
	}
	y := d.leads[best].yring
	lo := max(c.pos-int64(d.p.win)-d.p.rSearch, d.n-int64(len(y))+1, 0)
	r, m := c.pos, float32(-1)
	for k := lo; k <= c.pos; k++ {
		if a := abs32(y[k&d.mask]); a > m {
			m, r = a, k
		}
	}
	c.r = d.onPeak(max(r-d.p.gd, 0))
}

// onPeak moves the mark r to the largest deviation of the first lead's raw
// signal from its mean over ±peakBase, within ±peakReach, a deviation
// counting less the farther it is (the farthest 3/4): the band-passed
// deflection lies on the QRS but not always on its peak (a wide or notched
// complex, a deep S wave), while reference annotations, readers, and so the
// beat model's training windows put the mark on the peak. Samples not yet
// seen or no longer kept are left out.
func (d *Detector) onPeak(r int64) int64 {
	x := d.raw
	first := max(d.n-int64(len(x))+1, 0)
	lo, hi := max(r-d.p.peakBase, first), min(r+d.p.peakBase, d.n-1)
	if hi < lo {
		return r
	}
	var sum float64
	for k := lo; k <= hi; k++ {
		sum += float64(x[k&d.mask])
	}
	mean := float32(sum / float64(hi-lo+1))
	best, m := r, float32(-1)
	reach := float32(4 * d.p.peakReach)
	for k := max(r-d.p.peakReach, first); k <= min(r+d.p.peakReach, d.n-1); k++ {
		w := 1 - abs32(float32(k-r))/reach
		if a := abs32(x[k&d.mask]-mean) * w; a > m {
			m, best = a, k
		}
	}
	return best
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// updateLeads adapts each lead's QRS level to c and its noise level to the
// largest peak the lead showed among the noise candidates since the last
// QRS, then sets the lead weights: a lead whose noise peaks come close to
// its QRS level counts less in the fused feature.
func (d *Detector) updateLeads(c *candidate) {
	wmax := 0.0
	for i := range d.leads {
		l := &d.leads[i]
		raw := float64(c.lv[i]) * l.level
		l.level = 0.875*l.level + 0.125*math.Min(raw, 3*l.level)
		l.inv = 1 / math.Max(l.level, 1e-12)
		nz := 0.0
		for k := range d.pending {
			if p := &d.pending[k]; p.pos > c.pos-d.p.refractory {
				break
			}
			nz = math.Max(nz, float64(d.pending[k].lv[i]))
		}
		nz = math.Min(nz/math.Max(float64(c.lv[i]), 1e-12), 2)
		a := noiseDecay
		if nz > l.noise {
			a = noiseAttack
		}
		l.noise += a * (nz - l.noise)
		l.w = 1 / (1 + (l.noise/noiseKnee)*(l.noise/noiseKnee))
		l.agree += agreeRate * (math.Min(float64(c.pl[i]), 1.5) - l.agree)
		wmax = math.Max(wmax, l.w)
	}
	for i := range d.leads {
		d.leads[i].w /= wmax
	}
}
