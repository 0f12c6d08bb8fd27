package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// reclassifySpan is how far around the edited beats Reclassify reads
// beats: enough for the RR features of the beats it labels.
const reclassifySpan = 30 // seconds on each side

// Reclassify classifies again the beats at samples (beats a reader just
// added or moved) and Config.Neighbours beats on each side of each, whose
// RR features the edit changed, reading the current beats from
// Config.Beats. A sample where no beat is any more (a beat a reader
// deleted) stands for the gap: the Neighbours beats on each side of it.
// It runs one small batch at once, beside any Run. The chunk it returns
// is for Session.MergeModelRegion with its Region (the beats it spans),
// which keeps the labels readers own.
// A beat the SVT run rule made S stays S when the model says N again: the
// rule needs ±10 minutes of beats, and an edit nearby does not end the run.
func (p *Pipeline) Reclassify(ctx context.Context, samples []int64) (Chunk, error) {
	if p.cfg.Beat == nil {
		return Chunk{}, ErrNoBeatModel
	}
	if p.cfg.Beats == nil {
		return Chunk{}, ErrNoBeats
	}
	if len(samples) == 0 {
		return Chunk{Stage: StageReclassify}, nil
	}
	if err := ctx.Err(); err != nil {
		return Chunk{}, err
	}
	lo, hi := slices.Min(samples), slices.Max(samples)
	w := int64(reclassifySpan * p.info.Fs)
	beats := slices.DeleteFunc(p.cfg.Beats.BeatsIn(lo-w, hi+w+1), func(b annotate.Beat) bool { return !b.Code.IsBeat() })
	index, err := p.neighbours(beats, samples)
	if err != nil {
		return Chunk{}, err
	}
	peaks := make([]int64, len(beats))
	for i, b := range beats {
		peaks[i] = b.Sample
	}
	ruled := ruledS(beats, index)
	res, err := label(p.cfg.Beat, p.cfg.Signal, peaks, index, beats)
	if err != nil {
		return Chunk{}, fmt.Errorf("pipeline: re-classify %s near sample %d: %w", p.info.Name, lo, err)
	}
	c := Chunk{Stage: StageReclassify, Start: beats[index[0]].Sample, End: beats[index[len(index)-1]].Sample + 1,
		Emb: res.Emb, EmbDim: res.EmbDim}
	for _, i := range index {
		b := beats[i]
		b.Review = annotate.Unreviewed // a suggestion; the merge keeps what readers own
		if ruled[i] {
			b = keepRuleS(b)
		}
		c.Output.Beats = append(c.Output.Beats, b)
	}
	return c, nil
}

// neighbours returns the indices of the beats at samples and of their
// neighbours (of the gap, for a sample without a beat), ascending, each
// once.
func (p *Pipeline) neighbours(beats []annotate.Beat, samples []int64) ([]int, error) {
	k := p.cfg.Neighbours
	var index []int
	for _, s := range samples {
		i, ok := slices.BinarySearchFunc(beats, s, cmpSample)
		lo, hi := i-k, i+k
		if !ok {
			hi = i + k - 1 // beats[i] is the first after the gap
		}
		for j := max(0, lo); j <= min(len(beats)-1, hi); j++ {
			index = append(index, j)
		}
	}
	if len(index) == 0 {
		return nil, fmt.Errorf("pipeline: re-classify %s: %w: no beats near %v", p.info.Name, annotate.ErrNoBeat, samples)
	}
	slices.Sort(index)
	return slices.Compact(index), nil
}
