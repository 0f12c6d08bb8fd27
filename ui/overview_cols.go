package ui

import (
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// overviewCols are the overview's beat tracks (ectopy, heart rate,
// confidence, reviewed) summed per pixel column and kept between frames:
// a repaint sums again only the columns whose beats changed since the last
// one (Labels.TakeDirty), so while the models pre-annotate a 14-day record
// (1.4 million beats) a repaint costs the chunks that came in, not every
// beat, on the UI goroutine.
type overviewCols struct {
	labels *Labels
	view   trace.View
	ect    []annotate.Code // the last ectopic beat (classRank >= 2) of each column
	hasEct []bool
	rr     [][]float64 // RR intervals (samples) of the beat pairs ending in each column
	low    []float32   // the lowest confidence of an uncertain label (0: none)
	n      []int32     // beats
	done   []int32     // beats a reader looked at
}

// update brings the columns up to date with l for view.
func (c *overviewCols) update(l *Labels, view trace.View) {
	from, to, all := l.TakeDirty()
	if l != c.labels || view != c.view || all {
		c.reset(l, view)
		c.sum(0, view.Width-1)
		return
	}
	if from > to || view.Width == 0 {
		return
	}
	c0 := c.col(from)
	c1 := view.Width - 1 // the first beat after the change takes its RR from it
	if next := l.BeatsIn(to+1, int64(view.End())+1); len(next) > 0 {
		c1 = c.col(next[0].Sample)
	}
	c.sum(max(c0, 0), min(c1, view.Width-1))
}

// reset sizes the columns for view, empty.
func (c *overviewCols) reset(l *Labels, view trace.View) {
	c.labels, c.view = l, view
	w := view.Width
	c.ect, c.hasEct = make([]annotate.Code, w), make([]bool, w)
	c.rr, c.low = make([][]float64, w), make([]float32, w)
	c.n, c.done = make([]int32, w), make([]int32, w)
}

// col returns the column of sample s (may be out of range).
func (c *overviewCols) col(s int64) int { return int(c.view.X(float64(s))) }

// sum sums the beats of columns c0..c1 again.
func (c *overviewCols) sum(c0, c1 int) {
	if c0 > c1 || c.labels == nil {
		return
	}
	for x := c0; x <= c1; x++ {
		c.ect[x], c.hasEct[x], c.rr[x], c.low[x], c.n[x], c.done[x] = 0, false, c.rr[x][:0], 0, 0, 0
	}
	lo := int64(c.view.Sample(float64(c0))) - 1
	hi := int64(c.view.Sample(float64(c1+1))) + 1
	prev, havePrev := c.labels.Next(lo, -1, func(annotate.Beat) bool { return true })
	for _, b := range c.labels.BeatsIn(lo, hi) {
		if x := c.col(b.Sample); x >= c0 && x <= c1 {
			c.add(x, b, prev, havePrev)
		}
		prev, havePrev = b, true
	}
}

// add sums beat b (after prev, when havePrev) into column x.
func (c *overviewCols) add(x int, b, prev annotate.Beat, havePrev bool) {
	if classRank(b.Code) >= 2 {
		c.ect[x], c.hasEct[x] = b.Code, true
	}
	if havePrev && prev.Code.IsBeat() && b.Code.IsBeat() {
		c.rr[x] = append(c.rr[x], float64(b.Sample-prev.Sample))
	}
	if uncertain(b) && (c.low[x] == 0 || b.Prov.Confidence < c.low[x]) {
		c.low[x] = b.Prov.Confidence
	}
	c.n[x]++
	if b.Review != annotate.Unreviewed {
		c.done[x]++
	}
}

// rrAround returns the RR intervals of columns x-half..x+half in buf.
func (c *overviewCols) rrAround(buf []float64, x, half int) []float64 {
	buf = buf[:0]
	for j := max(0, x-half); j <= min(len(c.rr)-1, x+half); j++ {
		buf = append(buf, c.rr[j]...)
	}
	return buf
}
