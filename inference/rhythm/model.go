package rhythm

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// Windows are a rhythm model's outputs on segments of consecutive beats:
// row j holds the class probabilities of beats Starts[j] ...
// Starts[j]+Segment-1 (indices into the beats of an Input that have a beat
// code).
type Windows struct {
	Starts  []int
	Segment int
	Classes []string  // the model's classes, in output order
	Probs   []float32 // len(Starts) × len(Classes), row-major
	Who     string    // the model's ID ("name@version"), for provenance
}

// BeatProbs returns, for each of n beats, the mean probability of each class
// over the segments that hold the beat (n × len(Classes), row-major), and
// whether each beat is held by any segment.
func (w Windows) BeatProbs(n int) ([]float32, []bool, error) {
	c := len(w.Classes)
	if err := w.check(n); err != nil {
		return nil, nil, err
	}
	sum := make([]float32, n*c)
	cnt := make([]int32, n)
	for j, st := range w.Starts {
		row := w.Probs[j*c : (j+1)*c]
		for i := st; i < st+w.Segment; i++ {
			cnt[i]++
			for k, p := range row {
				sum[i*c+k] += p
			}
		}
	}
	held := make([]bool, n)
	for i, m := range cnt {
		held[i] = m > 0
		for k := 0; m > 0 && k < c; k++ {
			sum[i*c+k] /= float32(m)
		}
	}
	return sum, held, nil
}

func (w Windows) check(n int) error {
	c := len(w.Classes)
	if c == 0 || w.Segment <= 0 || len(w.Probs) != len(w.Starts)*c {
		return fmt.Errorf("%w: model windows: %d classes, segment %d, %d probabilities for %d segments",
			ErrInput, c, w.Segment, len(w.Probs), len(w.Starts))
	}
	for j, st := range w.Starts {
		if st < 0 || st+w.Segment > n {
			return fmt.Errorf("%w: model window %d: beats %d..%d, but there are %d beats", ErrInput, j, st, st+w.Segment-1, n)
		}
	}
	return nil
}

// fromModel returns the episodes of every non-background class of w, by
// hysteresis on the beats' probabilities, before post-processing.
func fromModel(s beatSeq, w Windows, o Options) ([]annotate.Episode, error) {
	probs, held, err := w.BeatProbs(len(s.r))
	if err != nil {
		return nil, err
	}
	var out []annotate.Episode
	c := len(w.Classes)
	var ect *ectopy
	if o.Ectopy > 0 {
		ect = newEctopy(s, o.Ectopy)
	}
	for k, name := range w.Classes {
		if o.background(name) {
			continue
		}
		p := func(i int) (float32, bool) { return probs[i*c+k], held[i] }
		if name == AF && ect != nil {
			p = func(i int) (float32, bool) {
				v := probs[i*c+k]
				return v, held[i] && !(v >= o.Exit && ect.explained(i))
			}
		}
		on := hysteresis(len(s.r), p, o.Enter, o.Exit)
		for _, r := range on {
			conf := meanProb(probs, c, k, r)
			out = append(out, s.span(r[0], r[1], name,
				annotate.Provenance{Source: annotate.SourceModel, Who: w.Who, Confidence: conf}))
		}
	}
	return out, nil
}

// hysteresis returns the runs [i, j] of beats where p(i) reached enter and
// stayed at or above exit. A beat that no segment holds ends a run.
func hysteresis(n int, p func(int) (float32, bool), enter, exit float32) [][2]int {
	var out [][2]int
	first := -1
	for i := 0; i < n; i++ {
		v, ok := p(i)
		switch {
		case first < 0 && ok && v >= enter:
			first = i
		case first >= 0 && (!ok || v < exit):
			out = append(out, [2]int{first, i - 1})
			first = -1
		}
	}
	if first >= 0 {
		out = append(out, [2]int{first, n - 1})
	}
	return out
}

// meanProb returns the mean probability of class k over beats r[0]..r[1].
func meanProb(probs []float32, c, k int, r [2]int) float32 {
	var s float64
	for i := r[0]; i <= r[1]; i++ {
		s += float64(probs[i*c+k])
	}
	return float32(s / float64(r[1]-r[0]+1))
}

// SegmentStarts returns the first beats of segments of seg consecutive
// beats, every stride beats, that together hold all n beats (the last
// segment ends at beat n-1); nil when n < seg.
func SegmentStarts(n, seg, stride int) []int {
	if seg <= 0 || n < seg {
		return nil
	}
	stride = max(stride, 1)
	var out []int
	for s := 0; s+seg < n; s += stride {
		out = append(out, s)
	}
	return append(out, n-seg)
}
