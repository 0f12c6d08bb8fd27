package pipeline

import (
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

// modelNoise returns the noise stretches the quality model finds in a
// chunk: each run of at least QualityRun consecutive beats it calls noise
// (judged over the chunk's beats and margins, so a run that crosses the
// chunk's edge is seen whole), from midway before its first beat to
// midway after its last, cut to the chunk's span. Lead 0 is the lead the
// model reads. A stretch flags beats; it never removes one.
func (p *Pipeline) modelNoise(v *view, all []annotate.Beat, sp span) ([]annotate.Noise, error) {
	m := p.cfg.Quality
	if m == nil || len(all) < QualityRun {
		return nil, nil
	}
	peaks := make([]int64, len(all))
	for i, b := range all {
		peaks[i] = b.Sample - v.off
	}
	probs, err := m.NoiseProbs(v, peaks, nil)
	if err != nil {
		return nil, err
	}
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
