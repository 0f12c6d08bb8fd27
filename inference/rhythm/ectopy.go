package rhythm

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// The ectopy check's fixed shape: how far around a beat it looks, how much
// it needs to judge, and how far apart two intervals it compares may be.
const (
	ectopyHalf     = 16 // beats on each side of the beat judged
	ectopyMinDiffs = 12 // interval differences needed to judge
	ectopyMinVent  = 2  // ventricular beats needed within ectopyHalf
	ectopyMaxGap   = 6  // beats between two intervals compared, at most
)

// ectopy tells the beats where a model's AF call is explained by
// ventricular ectopy: the supraventricular beats around them keep a rhythm
// as regular as sinus rhythm, and only the ventricular beats make the RR
// intervals irregular (ventricular bigeminy, trigeminy, frequent PVCs in
// sinus rhythm). AF is irregular from beat to beat whatever the ventricular
// beats do, so such beats are not AF.
//
// The intervals compared join consecutive supraventricular beats (N or S)
// with nothing between them (a normal interval) or one ventricular beat
// between them (the cycle around a PVC); an interval is compared with the
// last one of the same kind. A beat is explained by ectopy when, within
// ectopyHalf beats on each side, there are at least ectopyMinVent V or F
// beats and ectopyMinDiffs such comparisons, and the median of their
// absolute differences divided by the pair's mean interval is below the
// threshold. Anything else (too few beats of a known class, no ventricular
// beats, an irregular supraventricular rhythm) leaves the model's call as
// it is: when unsure, the reader sees the call.
type ectopy struct {
	thr  float64
	at   []int     // beat where each comparison ends, ascending
	diff []float64 // each comparison's relative difference
	vent []int     // vent[i]: V or F beats among beats 0..i-1
	buf  []float64
}

// newEctopy prepares the check on s with threshold thr.
func newEctopy(s beatSeq, thr float64) *ectopy {
	e := &ectopy{thr: thr, vent: make([]int, len(s.k)+1)}
	for i, k := range s.k {
		e.vent[i+1] = e.vent[i]
		if ventricular(k) {
			e.vent[i+1]++
		}
	}
	e.compare(s)
	return e
}

// compare finds the interval comparisons of s.
func (e *ectopy) compare(s beatSeq) {
	var last [2]struct{ end, rr int64 }
	last[0].end, last[1].end = -1, -1
	prev := -1
	for b, k := range s.k {
		if !supraventricular(k) {
			continue
		}
		a := prev
		prev = b
		if a < 0 || b-a > 2 || (b-a == 2 && !ventricular(s.k[a+1])) {
			continue
		}
		m, rr := b-a-1, s.r[b]-s.r[a]
		if l := last[m]; l.end >= 0 && int64(b)-l.end <= ectopyMaxGap {
			e.at = append(e.at, b)
			e.diff = append(e.diff, 2*float64(abs64(rr-l.rr))/float64(rr+l.rr))
		}
		last[m].end, last[m].rr = int64(b), rr
	}
}

// explained reports whether beat i's AF call is explained by ventricular
// ectopy.
func (e *ectopy) explained(i int) bool {
	lo, hi := max(0, i-ectopyHalf), min(len(e.vent)-2, i+ectopyHalf)
	if e.vent[hi+1]-e.vent[lo] < ectopyMinVent {
		return false
	}
	a, _ := slices.BinarySearch(e.at, lo)
	b, _ := slices.BinarySearch(e.at, hi+1)
	if b-a < ectopyMinDiffs {
		return false
	}
	e.buf = append(e.buf[:0], e.diff[a:b]...)
	slices.Sort(e.buf)
	n := len(e.buf)
	med := e.buf[n/2]
	if n%2 == 0 {
		med = (e.buf[n/2-1] + e.buf[n/2]) / 2
	}
	return med < e.thr
}

// ventricular reports whether a beat class is of ventricular origin (V, or
// F: a fusion of a ventricular and a normal beat).
func ventricular(k annotate.Class) bool { return k == annotate.ClassV || k == annotate.ClassF }

// supraventricular reports whether a beat class is N or S.
func supraventricular(k annotate.Class) bool { return k == annotate.ClassN || k == annotate.ClassS }

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
