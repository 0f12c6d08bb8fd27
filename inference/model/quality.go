package model

import (
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// The classes of a quality model (TaskQuality).
const (
	ClassOK    = "OK"    // the beat's window holds a heartbeat
	ClassNoise = "NOISE" // noise the QRS detector took for a beat
)

// parseContext reads KeyContext, which a quality model must carry and
// every other model must not.
func parseContext(m *Meta, p map[string]string) error {
	v, ok := p[KeyContext]
	switch {
	case m.Task != TaskQuality && ok:
		return bad(KeyContext, v, "only a quality model reads neighbouring beats; remove %s", KeyContext)
	case m.Task != TaskQuality:
		return nil
	case !ok:
		return &MetaError{Key: KeyContext, Err: ErrMissingKey,
			Msg: fmt.Sprintf("a quality model needs it: the beats on each side whose windows it reads, 0 to %d", MaxContext)}
	}
	k, err := atoi(v)
	if err != nil || k < 0 || k > MaxContext {
		return bad(KeyContext, v, "the beats on each side a quality model reads, 0 to %d", MaxContext)
	}
	m.Context = k
	return nil
}

// span returns the beats a quality model's row holds: 2·Context+1.
func (m *Meta) span() int { return 2*m.Context + 1 }

// NoiseProbs returns, for each of peaks (R peaks in sig's samples,
// ascending), the probability that a quality model gives NOISE: its window
// and those of the Context beats on each side (the beat's own window where
// a neighbour would fall outside peaks). Every beat's rows are held at
// once (2·Context+1 windows a beat): call it on a piece of a long record,
// as the pipeline does chunk by chunk.
func (m *Model) NoiseProbs(sig annotate.Signal, peaks []int64) ([]float32, error) {
	if m.meta.Task != TaskQuality {
		return nil, fmt.Errorf("model: %s is a %s model, not a quality model", m.meta.ID(), m.meta.Task)
	}
	b, err := m.qualityRows(sig, peaks)
	if err != nil {
		return nil, err
	}
	res, err := m.Run(b)
	if err != nil {
		return nil, err
	}
	k := slices.Index(m.meta.Classes, ClassNoise)
	out := make([]float32, res.N)
	for i := range out {
		out[i] = res.Row(i)[k]
	}
	return out, nil
}

// qualityRows cuts every beat's window once and lays out the row of each
// beat: the windows of beats i-Context ... i+Context, beat i's own in
// place of a neighbour outside peaks.
func (m *Model) qualityRows(sig annotate.Signal, peaks []int64) (*Batch, error) {
	all := make([]int, len(peaks))
	for i := range all {
		all[i] = i
	}
	if err := checkIndex(peaks, all); err != nil {
		return nil, err
	}
	sig, leads, err := m.leadsOf(sig)
	if err != nil {
		return nil, fmt.Errorf("model: prepare quality windows: %w", err)
	}
	bl := m.beatLen()
	cut := make([]float32, len(peaks)*bl)
	w := newWindower(m, sig, leads)
	defer w.release()
	if err := w.fill(cut, peaks, all); err != nil {
		return nil, fmt.Errorf("model: prepare quality windows for %s: %w", sig.Info().Name, err)
	}
	k := m.meta.Context
	rows := make([]float32, 0, len(peaks)*m.meta.span()*bl)
	for i := range peaks {
		for d := -k; d <= k; d++ {
			q := i + d
			if q < 0 || q >= len(peaks) {
				q = i
			}
			rows = append(rows, cut[q*bl:(q+1)*bl]...)
		}
	}
	return &Batch{N: len(peaks), Waveform: rows}, nil
}
