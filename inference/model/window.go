package model

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
)

// windower cuts beat windows out of a record for a beat model, with the
// one window cutter the training export uses (annotate/beatwin).
type windower struct {
	m     *Model
	sig   annotate.Signal
	info  annotate.RecordInfo
	leads []int // record lead of each model lead
	cut   *beatwin.Cutter
	base  []int32   // per model lead: the baseline of its units
	scale []float64 // per model lead: model units per (digital - baseline)

	*windowBufs // from m.bufs, given back by release
}

// windowBufs are a windower's buffers. A model keeps them between calls
// (Model.bufs): each batch of a 14-day pre-annotation made them anew, 6 of
// its 19 GB of allocations, and the collector ran that much more often.
type windowBufs struct {
	raw  [][]int32 // one per record lead, for Signal.Read
	span [][]int32 // one per model lead: the span, ends repeated
	win  []float32 // the windows of a template run (fillWithTemplates)
}

// newWindower returns the windower of model m for the record leads leads
// of sig.
func newWindower(m *Model, sig annotate.Signal, leads []int) *windower {
	info := sig.Info()
	bufs, _ := m.bufs.Get().(*windowBufs)
	if bufs == nil {
		bufs = &windowBufs{}
	}
	w := &windower{m: m, sig: sig, info: info, leads: leads,
		cut:  m.cutter(info.Fs),
		base: make([]int32, len(leads)), scale: make([]float64, len(leads)), windowBufs: bufs}
	for l, rec := range leads {
		if rec != NoLead { // a missing lead keeps scale 0: its windows are zeros
			w.base[l], w.scale[l] = w.units(info.Leads[rec])
		}
	}
	return w
}

// release gives w's buffers back to its model; w is not used after it.
func (w *windower) release() {
	w.m.bufs.Put(w.windowBufs)
	w.windowBufs = nil
}

// cutter returns the window cutter from records at fs Hz to the model's
// windows, made once per rate: its filter bank is the same for every call.
func (m *Model) cutter(fs float64) *beatwin.Cutter {
	if c, ok := m.cutters.Load(fs); ok {
		return c.(*beatwin.Cutter)
	}
	c, _ := m.cutters.LoadOrStore(fs, beatwin.New(fs, m.meta.Fs, m.meta.Before, m.meta.After))
	return c.(*beatwin.Cutter)
}

// fill writes the normalised windows of peaks[index[j]] into dst, row j,
// reading the record in spans that cover nearby beats together.
func (w *windower) fill(dst []float32, peaks []int64, index []int) error {
	before, after := int64(-w.cut.Lo()), int64(w.cut.Hi()+1)
	gap := int64(spanGap * w.info.Fs)
	maxLen := int64(spanMax * w.info.Fs)
	rl := w.m.beatLen()
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
			w.cutRow(dst[r*rl:(r+1)*rl], peaks[index[r]]-before-lo)
		}
		j = k
	}
	return nil
}

// read loads record samples [lo, hi) of the model's leads into w.span.
// Samples before the record's start or past its end repeat the first or
// last sample.
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
	if len(w.span) != len(w.leads) {
		w.span = make([][]int32, len(w.leads))
	}
	for l, rec := range w.leads {
		w.span[l] = grow(w.span[l], n)
		if rec == NoLead {
			clear(w.span[l])
			continue
		}
		padEnds(w.span[l], w.raw[rec][:got], int(start-lo))
	}
	return nil
}

// padEnds copies src into dst at offset off and repeats src's first and
// last samples into the rest of dst.
func padEnds(dst, src []int32, off int) {
	copy(dst[off:], src)
	for i := 0; i < off; i++ {
		dst[i] = src[0]
	}
	for i := off + len(src); i < len(dst); i++ {
		dst[i] = src[len(src)-1]
	}
}

// cutRow writes the window whose reach starts at span position s into
// row, lead after lead, in the model's units and normalisation.
func (w *windower) cutRow(row []float32, s int64) {
	md := w.m.meta
	n := md.WindowLen()
	for l := range w.leads {
		out := row[l*n : (l+1)*n]
		w.cut.Cut(out, w.span[l][s:], w.base[l], w.scale[l])
		if md.Normalize == NormZScore {
			beatwin.ZScore(out)
		}
	}
}

// units returns the baseline and scale that turn a lead's digital values
// into the model's units: mV as the training export writes them
// (beatwin.Scale; 1/gain when the lead's units are not a known voltage),
// or the raw ADC values for normalize=none.
func (w *windower) units(lead annotate.Lead) (int32, float64) {
	if w.m.meta.Normalize == NormNone {
		return 0, 1
	}
	if scale, ok := beatwin.Scale(lead); ok {
		return lead.Baseline, scale
	}
	return lead.Baseline, 1 / lead.Gain
}

func grow(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
