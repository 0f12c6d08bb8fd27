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
// a neighbour would fall outside peaks). index, if not nil, picks the
// peaks judged (their neighbours still come from all of peaks).
func (m *Model) NoiseProbs(sig annotate.Signal, peaks []int64, index []int) ([]float32, error) {
	if m.meta.Task != TaskQuality {
		return nil, fmt.Errorf("model: %s is a %s model, not a quality model", m.meta.ID(), m.meta.Task)
	}
	if err := checkIndex(peaks, index); err != nil {
		return nil, err
	}
	if index == nil {
		index = make([]int, len(peaks))
		for i := range index {
			index[i] = i
		}
	}
	one, err := m.windows(sig, peaks, index)
	if err != nil {
		return nil, err
	}
	res, err := m.Run(one)
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

// windows cuts the window of every beat that index's beats and their
// neighbours need, once each, and lays out the rows of index.
func (m *Model) windows(sig annotate.Signal, peaks []int64, index []int) (*Batch, error) {
	need := neighbourRuns(index, m.meta.Context, len(peaks))
	sig, leads, err := m.leadsOf(sig)
	if err != nil {
		return nil, fmt.Errorf("model: prepare quality windows: %w", err)
	}
	bl := m.beatLen()
	cut := make([]float32, len(need)*bl)
	w := newWindower(m, sig, leads)
	defer w.release()
	if err := w.fill(cut, peaks, need); err != nil {
		return nil, fmt.Errorf("model: prepare quality windows for %s: %w", sig.Info().Name, err)
	}
	at := make(map[int]int, len(need))
	for j, i := range need {
		at[i] = j
	}
	rows := make([]float32, 0, len(index)*m.meta.span()*bl)
	for _, i := range index {
		for d := -m.meta.Context; d <= m.meta.Context; d++ {
			q := i + d
			if q < 0 || q >= len(peaks) {
				q = i
			}
			j := at[q]
			rows = append(rows, cut[j*bl:(j+1)*bl]...)
		}
	}
	return &Batch{N: len(index), Waveform: rows}, nil
}

// neighbourRuns returns, ascending and once each, the beats within k of
// any beat of index (within 0..n-1).
func neighbourRuns(index []int, k, n int) []int {
	seen := make(map[int]bool, len(index)*(2*k+1))
	var out []int
	for _, i := range index {
		for q := max(0, i-k); q <= min(n-1, i+k); q++ {
			if !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	slices.Sort(out)
	return out
}
