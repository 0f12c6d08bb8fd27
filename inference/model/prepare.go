package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// spanGap is how far apart (in seconds) beat windows may lie and still be
// read from the record in one piece; spanMax caps the piece's length.
const (
	spanGap = 2.0
	spanMax = 120.0
)

// ClassifyBeats classifies the beats peaks[i] for i in index with a beat
// model: it prepares their inputs from sig (PrepareBeats) and runs them.
// Row j of the result belongs to peaks[index[j]].
func (m *Model) ClassifyBeats(sig annotate.Signal, peaks []int64, index []int) (*Result, error) {
	b, err := m.PrepareBeats(sig, peaks, index)
	if err != nil {
		return nil, err
	}
	return m.Run(b)
}

// PrepareBeats builds a beat model's inputs for the beats peaks[i], i in
// index. peaks are the R peaks of the record in samples, ascending; they
// give the RR features, so pass all of them (or enough around index).
// Each window is read from sig, converted to mV (or kept in ADC units for
// normalize=none), resampled to the model's rate and normalised.
func (m *Model) PrepareBeats(sig annotate.Signal, peaks []int64, index []int) (*Batch, error) {
	md := m.meta
	if md.Task != TaskBeat {
		return nil, fmt.Errorf("model: prepare beats: %w: %s is a %s model", ErrInput, md.ID(), md.Task)
	}
	sig, leads, err := m.leadsOf(sig)
	info := sig.Info()
	if err == nil {
		err = checkIndex(peaks, index)
	}
	if err != nil {
		return nil, fmt.Errorf("model: prepare beats for %s: %w", info.Name, err)
	}
	b := &Batch{N: len(index), Waveform: make([]float32, len(index)*m.rowLen(Waveform))}
	if _, ok := md.Input(RRFeatures); ok {
		b.RR = make([]float32, len(index)*len(md.RRFeatures))
		fns := rrFuncsFor(md.RRFeatures)
		for j, i := range index {
			rrFeatures(b.RR[j*len(fns):(j+1)*len(fns)], fns, peaks, info.Fs, i)
		}
	}
	w := newWindower(m, sig, leads)
	defer w.release()
	if _, ok := md.Input(Template); ok {
		err = w.fillWithTemplates(b, peaks, index, md.TemplateBeats)
	} else {
		err = w.fill(b.Waveform, peaks, index)
	}
	if err != nil {
		return nil, fmt.Errorf("model: prepare beats for %s: %w", info.Name, err)
	}
	return b, nil
}

// leadsOf returns the signal the model's windows are cut from and the
// record leads it reads (pickLeads), after checking its sampling
// frequency. A model that names its leads reads them by name from the
// whole record, not from the leads chosen for the models by default.
func (m *Model) leadsOf(sig annotate.Signal) (annotate.Signal, []int, error) {
	if r, ok := sig.(interface{ Record() annotate.Signal }); ok && m.meta.LeadNames != nil {
		sig = r.Record()
	}
	info := sig.Info()
	if err := checkFs(info.Fs); err != nil {
		return sig, nil, err
	}
	leads, err := m.pickLeads(info)
	return sig, leads, err
}

// NoLead marks a model lead that the record does not have (pickLeads): its
// windows and templates are zeros, as a lead that is off.
const NoLead = -1

// pickLeads returns the record leads the model reads, in model order. A
// model that asks for a count of leads reads a record with fewer (but at
// least one) with the missing leads off (NoLead): the default beat model
// learns from beats with their second lead zeroed, so a one-lead record
// gets labels rather than an error.
func (m *Model) pickLeads(info annotate.RecordInfo) ([]int, error) {
	md := m.meta
	if md.LeadNames == nil {
		if len(info.Leads) == 0 {
			return nil, fmt.Errorf("%w: the model needs %d leads, the record has none", ErrInput, md.Leads)
		}
		idx := make([]int, md.Leads)
		for i := range idx {
			idx[i] = i
			if i >= len(info.Leads) {
				idx[i] = NoLead
			}
		}
		return idx, nil
	}
	idx := make([]int, 0, md.Leads)
	for _, name := range md.LeadNames {
		k := findLead(info.Leads, name)
		if k < 0 {
			return nil, fmt.Errorf("%w: the model needs lead %s, the record has %s", ErrInput, name, leadNames(info.Leads))
		}
		idx = append(idx, k)
	}
	return idx, nil
}

func findLead(leads []annotate.Lead, name string) int {
	for i, l := range leads {
		if strings.EqualFold(strings.TrimSpace(l.Name), name) {
			return i
		}
	}
	return -1
}

func leadNames(leads []annotate.Lead) string {
	s := make([]string, len(leads))
	for i, l := range leads {
		s[i] = l.Name
	}
	return strings.Join(s, ", ")
}

// checkFs refuses a sampling frequency that is not a positive number.
func checkFs(fs float64) error {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return fmt.Errorf("%w: sampling frequency %v Hz", ErrInput, fs)
	}
	return nil
}

func checkIndex(peaks []int64, index []int) error {
	for j, i := range index {
		if i < 0 || i >= len(peaks) {
			return fmt.Errorf("%w: index[%d] = %d, but there are %d peaks", ErrInput, j, i, len(peaks))
		}
		if peaks[i] < 0 {
			return fmt.Errorf("%w: peak %d is at sample %d, before the record starts", ErrInput, i, peaks[i])
		}
	}
	return nil
}

// PrepareRhythm builds a rhythm model's inputs: one row per start s, the
// per-beat RR features of beats s ... s+Segment-1 of peaks (R peaks of
// sig in samples, ascending) and, for a model with a waveform input, the
// beat windows of those beats cut from sig as PrepareBeats cuts them (the
// model's rate, leads and normalisation; Before and After from
// ecgstation.beat_window). A model without a waveform input reads only
// sig's sampling frequency. With a waveform every start costs
// Segment x leads x (Before+After) floats (3,456 for 32 beats, one lead,
// 108 samples): call it on pieces of a long record's starts, as the
// pipeline does (a 14-day record's starts at once would take tens of GB).
func (m *Model) PrepareRhythm(sig annotate.Signal, peaks []int64, starts []int) (*Batch, error) {
	md := m.meta
	if md.Task != TaskRhythm {
		return nil, fmt.Errorf("model: prepare rhythm: %w: %s is a %s model", ErrInput, md.ID(), md.Task)
	}
	fs := sig.Info().Fs
	if err := checkFs(fs); err != nil {
		return nil, fmt.Errorf("model: prepare rhythm: %w", err)
	}
	nf := len(md.RRFeatures)
	fns := rrFuncsFor(md.RRFeatures)
	b := &Batch{N: len(starts), RR: make([]float32, len(starts)*md.Segment*nf)}
	for j, s := range starts {
		if s < 0 || s+md.Segment > len(peaks) {
			return nil, fmt.Errorf("model: prepare rhythm: %w: a segment of %d beats from beat %d does not fit in %d peaks", ErrInput, md.Segment, s, len(peaks))
		}
		row := b.RR[j*md.Segment*nf:]
		for k := 0; k < md.Segment; k++ {
			rrFeatures(row[k*nf:(k+1)*nf], fns, peaks, fs, s+k)
		}
	}
	if _, ok := md.Input(Waveform); ok {
		if err := m.rhythmWaveform(b, sig, peaks, starts); err != nil {
			return nil, fmt.Errorf("model: prepare rhythm for %s: %w", sig.Info().Name, err)
		}
	}
	return b, nil
}

// ClassifyRhythm runs a rhythm model on the segments of peaks (R peaks of
// sig) that start at starts (PrepareRhythm). Row j of the result belongs
// to the segment from peaks[starts[j]].
func (m *Model) ClassifyRhythm(sig annotate.Signal, peaks []int64, starts []int) (*Result, error) {
	b, err := m.PrepareRhythm(sig, peaks, starts)
	if err != nil {
		return nil, err
	}
	return m.Run(b)
}
