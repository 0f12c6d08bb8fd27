package synth

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Annotations are the reference labels of a synthetic record.
//
// Beats have Sample at the beat's dominant deflection in lead 0 (exactly the
// sample where |lead 0| of the clean beat is largest), Code N, A, V or F,
// Chan 0 and Source reference. Episodes are the rhythm episodes AFIB, AFL,
// VT and B, from midway between the last beat before and the first beat of
// the episode to midway between its last beat and the next (where MIT-BIH
// puts its rhythm annotations), and PAUSE from the R peak before the pause
// to the one after it. Noise holds the stretches whose SNR is below
// NoiseConfig.MarkSNR; beats inside them carry FlagNoisy.
type Annotations struct {
	Beats    []annotate.Beat
	Episodes []annotate.Episode
	Noise    []annotate.Noise
}

// provenance of every label the generator makes.
var provenance = annotate.Provenance{Source: annotate.SourceReference, Who: "synth", Confidence: 1}

// annState turns the beat stream into annotations.
type annState struct {
	total    int64
	beats    []annotate.Beat
	eps      []annotate.Episode
	noise    []annotate.Noise
	noisy    []annotate.Noise // union of the noise marks, for FlagNoisy
	cur      string
	curStart int64
	prev     int64
	havePrev bool
	closed   bool
}

func newAnnState(marks []annotate.Noise, total int64) annState {
	return annState{total: total, noise: slices.Clone(marks), noisy: union(marks)}
}

// union merges overlapping stretches (sorted by Start) into disjoint ones.
func union(ns []annotate.Noise) []annotate.Noise {
	var out []annotate.Noise
	for _, n := range ns {
		if k := len(out) - 1; k >= 0 && n.Start <= out[k].End {
			out[k].End = max(out[k].End, n.End)
			continue
		}
		out = append(out, n)
	}
	return out
}

// beat records the annotation of b and the rhythm changes it makes.
func (a *annState) beat(b *beat) {
	if b.peak >= a.total || b.peak < 0 {
		return
	}
	ab := annotate.Beat{Sample: b.peak, Code: b.code, Prov: provenance}
	for len(a.noisy) > 0 && a.noisy[0].End <= b.peak {
		a.noisy = a.noisy[1:]
	}
	if len(a.noisy) > 0 && a.noisy[0].Start <= b.peak {
		ab.Flags |= annotate.FlagNoisy
	}
	a.beats = append(a.beats, ab)
	if b.pauseBefore && a.havePrev {
		a.eps = append(a.eps, annotate.Episode{Start: a.prev, End: b.peak, Rhythm: "PAUSE", Prov: provenance})
	}
	if b.rhythm != a.cur {
		mid := int64(0)
		if a.havePrev {
			mid = (a.prev + b.peak) / 2
		}
		a.closeEpisode(mid)
		a.cur, a.curStart = b.rhythm, mid
	}
	a.prev, a.havePrev = b.peak, true
}

// closeEpisode ends the running episode, if any, at sample end.
func (a *annState) closeEpisode(end int64) {
	if a.cur != "" {
		a.eps = append(a.eps, annotate.Episode{Start: a.curStart, End: end, Rhythm: a.cur, Prov: provenance})
	}
	a.cur = ""
}

// Drain appends to dst the annotations of the samples handed out so far
// and forgets them: beats before Pos, episodes and noise stretches that end
// at or before Pos, and at the end of the record everything that is left.
// Called after every Next, it keeps memory flat however long the record.
func (g *Generator) Drain(dst *Annotations) {
	a := &g.ann
	end := g.pos >= g.total
	if end && !a.closed {
		a.closeEpisode(g.total)
		a.closed = true
	}
	k := 0
	for k < len(a.beats) && a.beats[k].Sample < g.pos {
		k++
	}
	dst.Beats = append(dst.Beats, a.beats[:k]...)
	a.beats = a.beats[:copy(a.beats, a.beats[k:])]
	a.eps = moveEnded(&dst.Episodes, a.eps, g.pos, end, func(e annotate.Episode) int64 { return e.End })
	a.noise = moveEnded(&dst.Noise, a.noise, g.pos, end, func(n annotate.Noise) int64 { return n.End })
}

// moveEnded moves the items of src that end at or before pos (all when
// last is set) to dst, keeping their order, and returns what is left.
func moveEnded[T any](dst *[]T, src []T, pos int64, last bool, end func(T) int64) []T {
	left := src[:0]
	for _, x := range src {
		if last || end(x) <= pos {
			*dst = append(*dst, x)
		} else {
			left = append(left, x)
		}
	}
	return left
}

// Record generates a whole record in memory: samples[lead][i] in ADC units
// and its annotations. Use it for short records (fixtures, tests); stream
// long ones with New, Next and Drain.
func Record(cfg Config) (annotate.RecordInfo, [][]int32, Annotations, error) {
	g, err := New(cfg)
	if err != nil {
		return annotate.RecordInfo{}, nil, Annotations{}, err
	}
	samples := make([][]int32, len(g.q))
	for l := range samples {
		samples[l] = make([]int32, g.total)
	}
	g.Next(samples)
	var ann Annotations
	g.Drain(&ann)
	return g.Info(), samples, ann, nil
}
