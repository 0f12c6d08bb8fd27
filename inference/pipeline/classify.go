package pipeline

import (
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
)

// classify labels beats all[lo:hi] of the view v with the beat model (all
// give the RR context) and puts their embeddings into c. Without a beat
// model the beats stay in the detector layer, unclassified: code Unknown,
// never a class no model gave.
func (p *Pipeline) classify(v *view, all []annotate.Beat, lo, hi int, c *Chunk, tm *Timing) error {
	m := p.cfg.Beat
	if m == nil {
		for i := lo; i < hi; i++ {
			all[i].Code = annotate.Unclassified
		}
		return nil
	}
	if lo == hi {
		return nil
	}
	t := time.Now()
	peaks := make([]int64, len(all))
	for i, b := range all {
		peaks[i] = b.Sample - v.off
	}
	index := make([]int, hi-lo)
	for j := range index {
		index[j] = lo + j
	}
	res, err := label(m, v, peaks, index, all)
	tm.Classify, t = time.Since(t), time.Now()
	if err != nil {
		return fmt.Errorf("pipeline: classify the beats of %s from sample %d: %w", p.info.Name, c.Start, err)
	}
	if res.Emb != nil {
		c.Emb, c.EmbDim = append([]float32(nil), res.Emb...), res.EmbDim
	}
	tm.Embed = time.Since(t)
	return nil
}

// label classifies the beats peaks[i], i in index, and writes the class and
// provenance into beats[i].
func label(m *model.Model, sig annotate.Signal, peaks []int64, index []int, beats []annotate.Beat) (*model.Result, error) {
	res, err := m.ClassifyBeats(sig, peaks, index)
	if err != nil {
		return nil, err
	}
	for j, i := range index {
		k, prov := m.BeatLabel(res, j)
		beats[i].Code, beats[i].Prov = k.Code(), prov
	}
	return res, nil
}
