package model

import "sort"

// fillWithTemplates writes the normalised windows of peaks[index[j]] into
// b.Waveform and their templates into b.Template, row j. The template of
// beat i is, sample by sample, the median of the windows of peaks[i-k] ...
// peaks[i+k] (cut at the ends of peaks; an even count takes the mean of
// the two middle values): the patient's usual beat at that time, against
// which the model judges this one's shape. training/data.py's
// median_template computes the same.
func (w *windower) fillWithTemplates(b *Batch, peaks []int64, index []int, k int) error {
	rl := w.m.rowLen(Waveform)
	b.Template = make([]float32, len(index)*rl)
	for _, run := range templateRuns(index, k, len(peaks)) {
		rows := make([]int, run.hi-run.lo)
		for r := range rows {
			rows[r] = run.lo + r
		}
		w.win = growFloat(w.win, len(rows)*rl)
		win := w.win
		if err := w.fill(win, peaks, rows); err != nil {
			return err
		}
		for _, j := range run.rows {
			i := index[j] - run.lo
			copy(b.Waveform[j*rl:(j+1)*rl], win[i*rl:(i+1)*rl])
		}
		templatesOf(b.Template, win, rl, k, run, index)
	}
	return nil
}

// growFloat returns s with length n, its array reused when large enough
// (not cleared: the caller writes every value).
func growFloat(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// templateRun is a stretch of peaks [lo, hi) whose windows give the
// templates of the rows of index listed in rows.
type templateRun struct {
	lo, hi int
	rows   []int
}

// templateRuns groups the rows of index into runs of peaks whose
// neighbourhoods (k on each side, within n peaks) touch, so that windows
// are cut once and far-apart beats do not pull in the record between them.
func templateRuns(index []int, k, n int) []templateRun {
	order := make([]int, len(index))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return index[order[a]] < index[order[b]] })
	var runs []templateRun
	for _, j := range order {
		lo, hi := max(index[j]-k, 0), min(index[j]+k+1, n)
		if last := len(runs) - 1; last >= 0 && lo <= runs[last].hi {
			runs[last].hi = max(runs[last].hi, hi)
			runs[last].rows = append(runs[last].rows, j)
			continue
		}
		runs = append(runs, templateRun{lo: lo, hi: hi, rows: []int{j}})
	}
	return runs
}

// templatesOf writes the templates of run's rows into dst: for each sample
// of the window, a median sliding along the run's beats.
func templatesOf(dst, win []float32, rl, k int, run templateRun, index []int) {
	n := run.hi - run.lo
	col := make([]float32, n)
	med := make([]float32, n)
	buf := make([]float32, 0, 2*k+2)
	for s := 0; s < rl; s++ {
		for r := range col {
			col[r] = win[r*rl+s]
		}
		buf = slidingMedian(col, k, med, buf)
		for _, j := range run.rows {
			dst[j*rl+s] = med[index[j]-run.lo]
		}
	}
}

// slidingMedian writes into out[r] the median of col[r-k] ... col[r+k]
// (those that exist), keeping the window's values sorted in buf as it
// slides: one value in and one out per step.
func slidingMedian(col []float32, k int, out, buf []float32) []float32 {
	n := len(col)
	buf = buf[:0]
	for q := 0; q < min(k, n-1)+1; q++ {
		buf = insertSorted(buf, col[q])
	}
	for r := 0; r < n; r++ {
		out[r] = middle(buf)
		switch in, out := r+k+1 < n, r-k >= 0; {
		case in && out:
			replaceSorted(buf, col[r-k], col[r+k+1])
		case in:
			buf = insertSorted(buf, col[r+k+1])
		case out:
			buf = removeSorted(buf, col[r-k])
		}
	}
	return buf
}

// replaceSorted puts x in the place of one old in the ascending slice v,
// which holds old, and moves it to where it belongs. Neighbouring beats
// are alike, so x rarely moves far.
func replaceSorted(v []float32, old, x float32) {
	i := searchF32(v, old)
	for ; i > 0 && v[i-1] > x; i-- {
		v[i] = v[i-1]
	}
	for ; i < len(v)-1 && v[i+1] < x; i++ {
		v[i] = v[i+1]
	}
	v[i] = x
}

// insertSorted puts x into the ascending slice v.
func insertSorted(v []float32, x float32) []float32 {
	i := searchF32(v, x)
	v = append(v, 0)
	copy(v[i+1:], v[i:])
	v[i] = x
	return v
}

// removeSorted takes one x out of the ascending slice v, which holds it.
func removeSorted(v []float32, x float32) []float32 {
	i := searchF32(v, x)
	copy(v[i:], v[i+1:])
	return v[:len(v)-1]
}

// searchF32 returns the first index of v (ascending) whose value is >= x.
// The halving has no data-dependent branch (the compiler makes the step a
// conditional move), as the values come in no predictable order.
func searchF32(v []float32, x float32) int {
	lo, n := 0, len(v)
	for n > 1 {
		half := n / 2
		if v[lo+half-1] < x {
			lo += half
		}
		n -= half
	}
	if n == 1 && v[lo] < x {
		lo++
	}
	return lo
}

// middle returns the median of the ascending slice v, the mean of the
// middle two for an even count.
func middle(v []float32) float32 {
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}
