package ui

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// SetLeads sets the leads the strip shows, top to bottom, as indices into
// the record's leads; a choice that does not fit the record (none, a lead
// it does not have, one twice) shows annotate.DefaultShownLeads instead.
func (s *Strip) SetLeads(idx []int) {
	if annotate.CheckLeads(idx, len(s.info.Leads)) != nil {
		idx = annotate.DefaultShownLeads(s.info.Leads)
	}
	s.leads = slices.Clone(idx)
	s.relayout()
	if s.cal.on {
		s.SetCaliper(s.cal.Caliper) // off a lead now hidden, onto the top lane's
	}
	s.Refresh()
}

// Leads returns the leads shown, top to bottom.
func (s *Strip) Leads() []int { return slices.Clone(s.leads) }

// laneOf returns the lane (0 at the top) where record lead i shows, -1
// when it is not shown (or i is -1, every lead).
func (s *Strip) laneOf(i int) int { return slices.Index(s.leads, i) }

// SetLead sets the lead the full disclosure draws (one lead a line); one
// the record does not have draws the first lead shown by default.
func (d *Disclosure) SetLead(i int) {
	if i < 0 || i >= len(d.info.Leads) {
		i = firstShown(d.info.Leads)
	}
	d.lead = i
	d.Refresh()
}

// SetLead sets the lead whose envelope the overview's first track draws;
// one the record does not have draws the first lead shown by default.
func (o *Overview) SetLead(i int) {
	if i < 0 || i >= len(o.info.Leads) {
		i = firstShown(o.info.Leads)
	}
	o.lead = i
	o.Refresh()
}

// firstShown is the first lead annotate.DefaultShownLeads shows (0 for a
// record without leads).
func firstShown(leads []annotate.Lead) int {
	if idx := annotate.DefaultShownLeads(leads); len(idx) > 0 {
		return idx[0]
	}
	return 0
}
