package model

import (
	"fmt"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// windower cuts beat windows out of a record for a beat model.
type windower struct {
	m     *Model
	sig   annotate.Signal
	info  annotate.RecordInfo
	leads []int // record lead of each model lead
	rs    *resampler

	raw  [][]int32   // one per record lead, for Signal.Read
	span [][]float64 // one per model lead: the span in model units, filtered
	tmp  []float64
}

// fill writes the normalised windows of peaks[index[j]] into dst, row j,
// reading the record in spans that cover nearby beats together.
func (w *windower) fill(dst []float32, peaks []int64, index []int) error {
	before, after := w.reach()
	gap := int64(spanGap * w.info.Fs)
	maxLen := int64(spanMax * w.info.Fs)
	for j := 0; j < len(index); {
		lo, hi := peaks[index[j]]-before, peaks[index[j]]+after
		k := j + 1
		for ; k < len(index); k++ {
			p := peaks[index[k]]
			if p-before < lo || p-before > hi+gap || p+after-lo > maxLen {
				break
			}
			hi = max(hi, p+after)
		}
		if err := w.read(lo, hi); err != nil {
			return err
		}
		for r := j; r < k; r++ {
			w.cut(dst[r*w.m.rowLen(Waveform):(r+1)*w.m.rowLen(Waveform)], peaks[index[r]]-lo)
		}
		j = k
	}
	return nil
}

// reach returns how many record samples a window needs before and after
// its R peak, filter margin included.
func (w *windower) reach() (int64, int64) {
	md := w.m.meta
	mg := float64(w.rs.margin())
	b := math.Ceil(float64(md.Before)*w.rs.step + mg)
	a := math.Ceil(float64(md.After-1)*w.rs.step + mg + 1)
	return int64(b), int64(a)
}

// read loads record samples [lo, hi) of the model's leads into w.span, in
// the model's units, low-passed when downsampling. Samples before the
// record's start or past its end repeat the first or last sample.
func (w *windower) read(lo, hi int64) error {
	n := int(hi - lo)
	start := max(lo, 0)
	if len(w.raw) != len(w.info.Leads) {
		w.raw = make([][]int32, len(w.info.Leads))
	}
	for i := range w.raw {
		w.raw[i] = grow(w.raw[i], n-int(start-lo))
	}
	got, err := w.sig.Read(w.raw, start)
	if err == nil && got == 0 {
		err = annotate.ErrOutOfRange
	}
	if err != nil {
		return fmt.Errorf("read samples %d to %d: %w", lo, hi, err)
	}
	w.span = resize(w.span, len(w.leads))
	w.tmp = growF(w.tmp, n)
	for l, rec := range w.leads {
		w.toUnits(w.tmp, w.raw[rec][:got], w.info.Leads[rec], int(start-lo))
		w.span[l] = growF(w.span[l], n)
		w.rs.filter(w.span[l], w.tmp)
	}
	return nil
}

// toUnits converts src into dst at offset off, in mV (or ADC units for
// normalize=none), repeating the end samples into the rest of dst.
func (w *windower) toUnits(dst []float64, src []int32, lead annotate.Lead, off int) {
	raw := w.m.meta.Normalize == NormNone
	for i, d := range src {
		if raw {
			dst[off+i] = float64(d)
		} else {
			dst[off+i] = lead.Physical(d)
		}
	}
	for i := 0; i < off; i++ {
		dst[i] = dst[off]
	}
	for i := off + len(src); i < len(dst); i++ {
		dst[i] = dst[off+len(src)-1]
	}
}

// cut writes the window whose R peak lies at span position r into row.
func (w *windower) cut(row []float32, r int64) {
	md := w.m.meta
	n := md.WindowLen()
	for l := range w.leads {
		out := row[l*n : (l+1)*n]
		src := w.span[l]
		for k := range out {
			out[k] = float32(at(src, float64(r)+float64(k-md.Before)*w.rs.step))
		}
		if md.Normalize == NormZScore {
			zscore(out)
		}
	}
}

// ZScoreFloor is the smallest standard deviation (in mV) that zscore
// divides by; a flatter window is only centred.
const ZScoreFloor = 1e-6

// zscore scales x to mean 0 and standard deviation 1, in place.
func zscore(x []float32) {
	var sum, sq float64
	for _, v := range x {
		sum += float64(v)
	}
	mean := sum / float64(len(x))
	for _, v := range x {
		d := float64(v) - mean
		sq += d * d
	}
	sd := math.Sqrt(sq / float64(len(x)))
	scale := 1.0
	if sd >= ZScoreFloor {
		scale = 1 / sd
	}
	for i, v := range x {
		x[i] = float32((float64(v) - mean) * scale)
	}
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

func growF(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func resize(s [][]float64, n int) [][]float64 {
	if len(s) < n {
		return make([][]float64, n)
	}
	return s[:n]
}
