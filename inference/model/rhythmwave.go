package model

import (
	"slices"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// rhythmWaveform writes into b.Waveform the beat windows of every
// segment's beats: row j holds those of beats starts[j] ...
// starts[j]+Segment-1 in order, each as PrepareBeats serves a beat model
// with the same rate, leads, window and normalisation. Segments overlap
// (the pipeline's stride is a quarter of a segment), so each beat's window
// is cut once and copied into every segment that holds it.
func (m *Model) rhythmWaveform(b *Batch, sig annotate.Signal, peaks []int64, starts []int) error {
	sig, leads, err := m.leadsOf(sig)
	if err != nil {
		return err
	}
	runs := segmentRuns(starts, m.meta.Segment)
	index := runs.beats()
	if err := checkIndex(peaks, index); err != nil {
		return err
	}
	w := newWindower(m, sig, leads)
	defer w.release()
	bl := m.beatLen()
	w.win = growFloat(w.win, len(index)*bl)
	if err := w.fill(w.win, peaks, index); err != nil {
		return err
	}
	rl := m.rowLen(Waveform)
	b.Waveform = make([]float32, len(starts)*rl)
	for j, s := range starts {
		off := runs.offset(s) * bl
		copy(b.Waveform[j*rl:(j+1)*rl], w.win[off:off+rl])
	}
	return nil
}

// beatRun is a stretch of beats [lo, hi) covered by segments; its windows
// start at row off of the beats cut.
type beatRun struct{ lo, hi, off int }

// beatRuns are the stretches of beats a set of segments covers, in order.
type beatRuns []beatRun

// segmentRuns merges the segments of seg beats at starts into the
// stretches of beats they cover (segments that overlap or touch join).
func segmentRuns(starts []int, seg int) beatRuns {
	sorted := slices.Clone(starts)
	slices.Sort(sorted)
	var runs beatRuns
	off := 0
	for _, s := range sorted {
		if last := len(runs) - 1; last >= 0 && s <= runs[last].hi {
			off += max(runs[last].hi, s+seg) - runs[last].hi
			runs[last].hi = max(runs[last].hi, s+seg)
			continue
		}
		runs = append(runs, beatRun{lo: s, hi: s + seg, off: off})
		off += seg
	}
	return runs
}

// beats returns the beats of the runs, in order: the index of the windows
// to cut.
func (rs beatRuns) beats() []int {
	var n int
	if len(rs) > 0 {
		last := rs[len(rs)-1]
		n = last.off + last.hi - last.lo
	}
	index := make([]int, 0, n)
	for _, r := range rs {
		for i := r.lo; i < r.hi; i++ {
			index = append(index, i)
		}
	}
	return index
}

// offset returns the row, among the beats cut, of beat s (the start of a
// segment the runs were made from).
func (rs beatRuns) offset(s int) int {
	k := sort.Search(len(rs), func(k int) bool { return rs[k].hi > s })
	return rs[k].off + s - rs[k].lo
}
