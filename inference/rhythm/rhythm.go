package rhythm

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// ErrInput is wrapped by every error Detect returns: the input does not fit
// (sampling frequency, beat order, model windows).
var ErrInput = errors.New("rhythm: bad input")

// Input is what the rhythm stage reads.
type Input struct {
	// Beats in sample order; non-beat annotations are ignored.
	Beats []annotate.Beat
	// Marks, read when Beats is nil, are the beats as Marks: all the
	// stage reads of them, a quarter of a Beat's memory (a 14-day
	// record's 1.4 million beats in 22 MB instead of 90).
	Marks []Mark
	Fs    float64 // sampling frequency, Hz
	// Noise are unreadable stretches (inference/quality); the record-wide
	// ones (Lead -1) without signal (lead off, saturation) suppress pauses.
	Noise []annotate.Noise
	// Model holds a rhythm model's outputs on segments of Beats (beat
	// indices count the beats of Beats with a beat code only); nil: none.
	Model *Windows
}

// beatSeq is the beats of an Input with a beat code: R peaks and classes.
type beatSeq struct {
	r  []int64
	k  []annotate.Class
	fs float64
}

// Detect finds the episodes of in: the model's and the rules', each
// post-processed, sorted by Start (then rhythm).
func Detect(in Input, o Options) ([]annotate.Episode, error) {
	o = o.withDefaults()
	s, err := sequence(in)
	if err != nil {
		return nil, err
	}
	eps := rules(s, in.Noise, o)
	if in.Model != nil {
		m, err := fromModel(s, *in.Model, o)
		if err != nil {
			return nil, err
		}
		eps = append(eps, m...)
	}
	return Clean(eps, in.Fs, o), nil
}

// sequence checks in and keeps its beats.
func sequence(in Input) (beatSeq, error) {
	if !(in.Fs > 0) || math.IsInf(in.Fs, 0) {
		return beatSeq{}, fmt.Errorf("%w: sampling frequency %v Hz", ErrInput, in.Fs)
	}
	s := beatSeq{fs: in.Fs}
	if in.Beats != nil {
		for i, b := range in.Beats {
			if err := s.add(i, b.Sample, b.Code); err != nil {
				return beatSeq{}, err
			}
		}
		return s, nil
	}
	for i, m := range in.Marks {
		if err := s.add(i, m.Sample, m.Code); err != nil {
			return beatSeq{}, err
		}
	}
	return s, nil
}

// add keeps annotation i, at sample with code, when it is a beat.
func (s *beatSeq) add(i int, sample int64, code annotate.Code) error {
	if !code.IsBeat() {
		return nil
	}
	if n := len(s.r); n > 0 && sample <= s.r[n-1] {
		return fmt.Errorf("%w: beat %d at sample %d does not follow the beat at sample %d", ErrInput, i, sample, s.r[n-1])
	}
	s.r = append(s.r, sample)
	s.k = append(s.k, code.Class())
	return nil
}

// Mark is a beat as the rhythm stage reads it: where its R peak is and
// its code.
type Mark struct {
	Sample int64
	Code   annotate.Code
}

// MarksOf returns the marks of beats, in their order.
func MarksOf(beats []annotate.Beat) []Mark {
	out := make([]Mark, len(beats))
	for i, b := range beats {
		out[i] = Mark{Sample: b.Sample, Code: b.Code}
	}
	return out
}

// start returns where an episode that begins with beat i starts: midway
// from the previous beat, or at beat i for the first beat.
func (s beatSeq) start(i int) int64 {
	if i == 0 {
		return s.r[0]
	}
	return (s.r[i-1] + s.r[i]) / 2
}

// end returns where an episode that ends with beat j ends: midway to the
// next beat, or just after beat j for the last beat.
func (s beatSeq) end(j int) int64 {
	if j == len(s.r)-1 {
		return s.r[j] + 1
	}
	return (s.r[j] + s.r[j+1]) / 2
}

// rate returns the mean rate of beats i..j in beats/min.
func (s beatSeq) rate(i, j int) float64 {
	d := s.r[j] - s.r[i]
	if d <= 0 {
		return 0
	}
	return 60 * float64(j-i) * s.fs / float64(d)
}

// span returns the episode of beats i..j.
func (s beatSeq) span(i, j int, rhythm string, prov annotate.Provenance) annotate.Episode {
	return annotate.Episode{Start: s.start(i), End: s.end(j), Rhythm: rhythm, Prov: prov}
}

// Clean post-processes episodes (Options.Post per rhythm): per rhythm,
// episodes at most MergeGap apart are merged (the merged confidence is the
// duration-weighted mean; the provenance Who is kept when the parts agree),
// then those shorter than MinDuration are dropped. The result is sorted by
// Start, then rhythm.
func Clean(eps []annotate.Episode, fs float64, o Options) []annotate.Episode {
	by := map[string][]annotate.Episode{}
	for _, e := range eps {
		by[e.Rhythm] = append(by[e.Rhythm], e)
	}
	out := make([]annotate.Episode, 0, len(eps))
	for r, list := range by {
		p := o.post(r)
		gap, minDur := samples(p.MergeGap.Seconds(), fs), samples(p.MinDuration.Seconds(), fs)
		for _, e := range mergeGaps(list, gap) {
			if e.End-e.Start >= minDur {
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b annotate.Episode) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Rhythm, b.Rhythm))
	})
	return out
}

// mergeGaps merges the episodes (of one rhythm) that overlap or lie at most
// gap samples apart.
func mergeGaps(list []annotate.Episode, gap int64) []annotate.Episode {
	slices.SortFunc(list, func(a, b annotate.Episode) int { return cmp.Compare(a.Start, b.Start) })
	var out []annotate.Episode
	for _, e := range list {
		k := len(out) - 1
		if k < 0 || e.Start-out[k].End > gap {
			out = append(out, e)
			continue
		}
		out[k] = join(out[k], e)
	}
	return out
}

// join returns the episode that covers a and b.
func join(a, b annotate.Episode) annotate.Episode {
	da, db := float64(a.End-a.Start), float64(b.End-b.Start)
	if da+db > 0 {
		a.Prov.Confidence = float32((float64(a.Prov.Confidence)*da + float64(b.Prov.Confidence)*db) / (da + db))
	}
	if a.Prov.Who != b.Prov.Who {
		a.Prov.Who = a.Prov.Who + "+" + b.Prov.Who
	}
	a.Prov.Probs = nil
	a.End = max(a.End, b.End)
	return a
}

// samples converts seconds to samples at fs, rounded.
func samples(sec, fs float64) int64 { return int64(math.Round(sec * fs)) }
