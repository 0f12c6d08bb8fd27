package archive

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store"
)

// counts are the beat figures of a label set, of the record and of each
// segment, read in one pass over its beats.
type counts struct {
	counts   [annotate.ClassQ + 1]int
	beats    int
	reviewed int
	step     int64 // segment length in samples, 0: no segments
	seg      []segCounts
}

// segCounts are one segment's beats by class.
type segCounts struct {
	counts [annotate.ClassQ + 1]int
	beats  int
}

// segStep returns the segment length in samples (0: no segments), the
// same length stats.Hourly cuts at.
func segStep(d time.Duration, fs float64) int64 {
	if d <= 0 {
		return 0
	}
	return max(1, int64(d.Seconds()*fs))
}

// readCounts streams the beats of label set who (a chunk at a time: a
// 14-day record's beats are never all in memory) and counts the QRS
// complexes by AAMI class, those a reader owns, and per segment.
func readCounts(db *store.DB, e store.RecordEntry, who annotate.ReaderID, segLen time.Duration) (counts, error) {
	c := counts{step: segStep(segLen, e.Info.Fs)}
	if c.step > 0 && e.Info.NSamples > 0 {
		c.seg = make([]segCounts, (e.Info.NSamples+c.step-1)/c.step)
	}
	for b, err := range db.Beats(e.ID, who, 0, 1<<62) {
		if err != nil {
			return c, err
		}
		if !b.Code.IsBeat() {
			continue
		}
		k := b.Code.Class()
		c.counts[k]++
		c.beats++
		if annotate.ReaderOwned(b.Prov, b.Review) {
			c.reviewed++
		}
		if c.step > 0 && b.Sample/c.step < int64(len(c.seg)) {
			s := &c.seg[b.Sample/c.step]
			s.counts[k]++
			s.beats++
		}
	}
	return c, nil
}

// leadSpans returns, for each of n leads, the union of the noise
// stretches on it or on every lead (Lead -1), and the union over all leads
// (the stretches where any lead is noisy).
func leadSpans(noise []annotate.Noise, n int) (per [][]annotate.Span, anyLead []annotate.Span) {
	per = make([][]annotate.Span, n)
	var all []annotate.Span
	for _, x := range noise {
		s := annotate.Span{Start: x.Start, End: x.End}
		switch {
		case x.Lead < 0:
			for i := range per {
				per[i] = append(per[i], s)
			}
		case x.Lead < n:
			per[x.Lead] = append(per[x.Lead], s)
		default:
			continue // a lead the record does not have
		}
		all = append(all, s)
	}
	for i := range per {
		per[i] = annotate.Union(per[i])
	}
	return per, annotate.Union(all)
}

// overlap returns how many samples of spans (sorted and disjoint, as
// annotate.Union returns them) lie in [lo, hi).
func overlap(spans []annotate.Span, lo, hi int64) int64 {
	i, _ := slices.BinarySearchFunc(spans, lo, func(s annotate.Span, t int64) int { return cmp.Compare(s.End, t+1) })
	var n int64
	for ; i < len(spans) && spans[i].Start < hi; i++ {
		n += max(0, min(spans[i].End, hi)-max(spans[i].Start, lo))
	}
	return n
}

// nan is the value of a figure that cannot be computed.
var nan = math.NaN()

// noiseBurden returns each of n leads' noise burden in [lo, hi), percent
// (NaN when the stretch is empty: a record of unknown length).
func noiseBurden(noise []annotate.Noise, n int, lo, hi int64) []float64 {
	per, _ := leadSpans(noise, n)
	out := make([]float64, n)
	for i, s := range per {
		out[i] = pct(overlap(s, lo, hi), hi-lo)
	}
	return out
}

// pct returns 100 n / of, NaN when of is not positive.
func pct(n, of int64) float64 {
	if of <= 0 {
		return nan
	}
	return 100 * float64(n) / float64(of)
}

// segments cuts the record into c.step-long segments and sums each one up:
// its beats (from c), AF burden (stats.Hourly) and noise burden per lead
// and over any lead. The segments point at r.
func segments(r *Row, in stats.Input, c counts, segLen time.Duration) []Segment {
	if len(c.seg) == 0 {
		return nil
	}
	af := stats.Hourly(stats.Input{Info: in.Info, Episodes: in.Episodes}, segLen)
	per, anyLead := leadSpans(in.Noise, len(r.Leads))
	fs, end := in.Info.Fs, in.Info.NSamples
	out := make([]Segment, len(c.seg))
	for i := range out {
		lo, hi := int64(i)*c.step, min(end, int64(i+1)*c.step)
		s := Segment{Row: r, Index: i, Start: stats.Seconds(lo, fs), Dur: stats.Seconds(hi-lo, fs),
			Counts: c.seg[i].counts, Beats: c.seg[i].beats, AFPct: nan,
			NoisePct: make([]float64, len(per)), AnyNoisePct: pct(overlap(anyLead, lo, hi), hi-lo)}
		if i < len(af) {
			s.AFPct = 100 * af[i].AF
		}
		for l, sp := range per {
			s.NoisePct[l] = pct(overlap(sp, lo, hi), hi-lo)
		}
		out[i] = s
	}
	return out
}
