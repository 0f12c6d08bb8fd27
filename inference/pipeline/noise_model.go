package pipeline

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/quality"
)

// QualityRun is the fewest consecutive beats a quality model must call
// noise for them to make a noise stretch: a single odd beat (a PVC, an
// aberrant beat) never does. QualityThreshold is the probability of
// NOISE from which a beat counts.
const (
	QualityRun       = 5
	QualityThreshold = 0.5
)

// addModelNoise adds the quality model's stretches (none without one) to a
// chunk whose beats are classified, and flags the beats inside them.
func (p *Pipeline) addModelNoise(v *view, all []annotate.Beat, sp span, d *done) error {
	if p.cfg.Quality == nil {
		return nil
	}
	t := time.Now()
	more, err := p.modelNoise(v, all, sp)
	if err != nil {
		return fmt.Errorf("pipeline: quality model on %s at sample %d: %w", p.info.Name, sp.start, err)
	}
	quality.Flag(d.chunk.Output.Beats, more)
	annotate.MapNoiseLeads(more, p.cfg.Signal) // the record's leads, when the models read some of them
	d.chunk.Output.Noise = append(d.chunk.Output.Noise, more...)
	d.timing.Quality += time.Since(t)
	return nil
}

// modelNoise returns the noise stretches the quality model finds in a
// chunk whose beats are classified: each run of at least QualityRun
// consecutive beats it calls noise and the beat model does not call V or
// F (breakAtVentricular; judged over the chunk's beats and margins, so a
// run that crosses the chunk's edge is seen whole), from midway before its
// first beat to midway after its last, cut to the chunk's span. Lead 0 is
// the lead the model reads. A stretch flags beats; it never removes one.
func (p *Pipeline) modelNoise(v *view, all []annotate.Beat, sp span) ([]annotate.Noise, error) {
	m := p.cfg.Quality
	if m == nil || len(all) < QualityRun {
		return nil, nil
	}
	peaks := make([]int64, len(all))
	for i, b := range all {
		peaks[i] = b.Sample - v.off
	}
	probs, err := m.NoiseProbs(v, peaks)
	if err != nil {
		return nil, err
	}
	judged, err := p.withMargins(v, peaks, all, sp)
	if err != nil {
		return nil, err
	}
	breakAtVentricular(probs, judged)
	prov := annotate.Provenance{Source: annotate.SourceModel, Who: m.Who()}
	var out []annotate.Noise
	for _, r := range noisyRuns(probs) {
		n := annotate.Noise{Start: edge(all, r[0], -1), End: edge(all, r[1], +1), Lead: 0, Reason: quality.ReasonNoise, Prov: prov}
		n.Start, n.End = max(n.Start, sp.start), min(n.End, sp.end)
		if n.End > n.Start {
			n.Prov.Confidence = meanOf(probs[r[0] : r[1]+1])
			out = append(out, n)
		}
	}
	return out, nil
}

// withMargins returns the chunk's beats with the beats of its margins
// classified too (a copy; the chunk keeps its margin beats unlabelled), so
// that a run crossing the chunk's edge is broken where the next chunk's
// beat model calls a beat V, as a run over the whole record would be.
// Without a beat model the beats are returned as they are.
func (p *Pipeline) withMargins(v *view, peaks []int64, all []annotate.Beat, sp span) ([]annotate.Beat, error) {
	if p.cfg.Beat == nil {
		return all, nil
	}
	lo, hi := inside(all, sp)
	var margin []int
	for i := range all {
		if i < lo || i >= hi {
			margin = append(margin, i)
		}
	}
	judged := slices.Clone(all)
	if len(margin) == 0 {
		return judged, nil
	}
	_, err := label(p.cfg.Beat, v, peaks, margin, judged)
	return judged, err
}

// breakAtVentricular counts every beat the beat model calls V or F as
// readable, whatever the quality model says: a run of ventricular beats
// (a VT, couplets among dense ectopy) is never shaded as noise, and a
// noise stretch never spans one. Unclassified beats (the chunk's margins,
// a record without a beat model) keep the quality model's call.
func breakAtVentricular(probs []float32, beats []annotate.Beat) {
	for i, b := range beats {
		if c := b.Code.Class(); !b.IsUnclassified() && (c == annotate.ClassV || c == annotate.ClassF) {
			probs[i] = 0
		}
	}
}

// noisyRuns returns the runs [i, j] of at least QualityRun consecutive
// probabilities at or above QualityThreshold.
func noisyRuns(probs []float32) [][2]int {
	var out [][2]int
	first := -1
	for i := 0; i <= len(probs); i++ {
		on := i < len(probs) && probs[i] >= QualityThreshold
		switch {
		case on && first < 0:
			first = i
		case !on && first >= 0:
			if i-first >= QualityRun {
				out = append(out, [2]int{first, i - 1})
			}
			first = -1
		}
	}
	return out
}

// edge returns where a stretch whose first (dir -1) or last (dir +1) beat
// is beats[i] ends: midway to the beat beyond it, or at the beat itself
// (one past it, for the end) when there is none.
func edge(beats []annotate.Beat, i, dir int) int64 {
	j := i + dir
	if j < 0 || j >= len(beats) {
		if dir > 0 {
			return beats[i].Sample + 1
		}
		return beats[i].Sample
	}
	return (beats[i].Sample + beats[j].Sample) / 2
}

func meanOf(p []float32) float32 {
	var s float64
	for _, v := range p {
		s += float64(v)
	}
	return float32(s / float64(len(p)))
}
