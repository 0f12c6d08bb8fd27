package annotate

import (
	"fmt"
	"slices"
	"sync"
)

// LeadSelection is a Signal that shows some leads of another, in a chosen
// order: lead k of the selection is lead Leads()[k] of the record. The
// models read a record through one, so they are fed the ECG leads the
// reader (or ModelLeads) chose and not a test or pulse channel that comes
// first. It is safe for concurrent use when the record's Signal is.
type LeadSelection struct {
	sig     Signal
	idx     []int
	info    RecordInfo
	scratch sync.Pool // *scratch: buffers for the leads not chosen
}

// LeadMapper is implemented by a Signal whose leads are some of a
// record's (a LeadSelection): RecordLead gives the record's lead of lead k.
type LeadMapper interface {
	RecordLead(k int) int
}

var (
	_ Signal     = (*LeadSelection)(nil)
	_ LeadMapper = (*LeadSelection)(nil)
)

// SelectLeads returns the leads idx of sig, in that order (CheckLeads
// says what is wrong with a bad idx).
func SelectLeads(sig Signal, idx []int) (*LeadSelection, error) {
	info := sig.Info()
	if err := CheckLeads(idx, len(info.Leads)); err != nil {
		return nil, fmt.Errorf("select leads of %s: %w", info.Name, err)
	}
	s := &LeadSelection{sig: sig, idx: slices.Clone(idx), info: info}
	s.info.Leads = make([]Lead, len(idx))
	for k, i := range idx {
		s.info.Leads[k] = info.Leads[i]
	}
	return s, nil
}

// Info implements Signal: the record's, with the chosen leads only.
func (s *LeadSelection) Info() RecordInfo { return s.info }

// Leads returns the record's lead of each lead of the selection.
func (s *LeadSelection) Leads() []int { return slices.Clone(s.idx) }

// Record returns the whole record the selection shows leads of: a model
// that names the leads it reads finds them there by name.
func (s *LeadSelection) Record() Signal { return s.sig }

// RecordLead implements LeadMapper (-1 for k outside the selection).
func (s *LeadSelection) RecordLead(k int) int {
	if k < 0 || k >= len(s.idx) {
		return -1
	}
	return s.idx[k]
}

// Read implements Signal: dst has one slice per chosen lead.
func (s *LeadSelection) Read(dst [][]int32, start int64) (int, error) {
	if len(dst) != len(s.idx) {
		return 0, fmt.Errorf("read %s: %d destination slices for %d leads", s.info.Name, len(dst), len(s.idx))
	}
	if len(dst) == 0 {
		return 0, nil
	}
	n := len(dst[0])
	sp, _ := s.scratch.Get().(*scratch)
	if sp == nil || len(sp.own) != len(s.sig.Info().Leads) {
		k := len(s.sig.Info().Leads)
		sp = &scratch{own: make([][]int32, k), all: make([][]int32, k)}
	}
	for i := range sp.own {
		if cap(sp.own[i]) < n {
			sp.own[i] = make([]int32, n)
		}
		sp.all[i] = sp.own[i][:n]
	}
	for k, i := range s.idx {
		sp.all[i] = dst[k][:n]
	}
	got, err := s.sig.Read(sp.all, start)
	s.scratch.Put(sp)
	return got, err
}

// scratch is one Read's buffers: own holds the samples of the leads not
// chosen, all is what the record's Read fills (dst for the chosen leads).
type scratch struct {
	own, all [][]int32
}

// MapNoiseLeads rewrites the Lead of each noise stretch found on sig's
// leads to the record's lead when sig is a LeadMapper (a stretch of every
// lead, Lead -1, stays so).
func MapNoiseLeads(ns []Noise, sig Signal) {
	m, ok := sig.(LeadMapper)
	if !ok {
		return
	}
	for i := range ns {
		if ns[i].Lead >= 0 {
			ns[i].Lead = m.RecordLead(ns[i].Lead)
		}
	}
}
