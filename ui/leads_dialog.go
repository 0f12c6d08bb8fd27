package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// LeadChoice is a record's choice of leads, as indices into its leads:
// those the strip shows, top to bottom, and those the detector and the
// models read, in the models' order (the beat model reads one or two).
type LeadChoice struct {
	Shown, Model []int
}

// noLead is the second model lead's "none" entry.
const noLead = "(none)"

// leadsForm is the Leads dialog's content: a row per record lead (shown
// or not, moved up and down), and the first and second lead the models
// read.
type leadsForm struct {
	leads         []annotate.Lead
	order         []int        // record leads in the rows' order
	shown         map[int]bool // record lead -> shown
	rows          *fyne.Container
	first, second *widget.Select
	hint          *widget.Label
	content       fyne.CanvasObject
}

// newLeadsForm returns the form on a record's leads with cur chosen.
func newLeadsForm(leads []annotate.Lead, cur LeadChoice) *leadsForm {
	f := &leadsForm{leads: leads, rows: container.NewVBox(), hint: widget.NewLabel("")}
	f.hint.Wrapping = fyne.TextWrapWord
	opts := make([]string, len(leads))
	for i := range leads {
		opts[i] = f.optionName(i)
	}
	f.first = widget.NewSelect(opts, nil)
	f.second = widget.NewSelect(append([]string{noLead}, opts...), nil)
	f.set(cur)
	defaults := widget.NewButtonWithIcon("Defaults", theme.ContentUndoIcon(), func() {
		f.set(LeadChoice{Shown: annotate.DefaultShownLeads(leads), Model: annotate.ModelLeads(leads)})
	})
	models := container.New(layout.NewFormLayout(), widget.NewLabel("First lead"), f.first, widget.NewLabel("Second lead"), f.second)
	f.content = container.NewBorder(
		widget.NewLabelWithStyle("Shown on the strip, top to bottom", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewVBox(widget.NewSeparator(),
			widget.NewLabelWithStyle("Read by the QRS detector and the models", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			models, f.hint, defaults),
		nil, nil, container.NewVScroll(f.rows))
	return f
}

// optionName names record lead i in the model lead lists: "3 ECG (ECG, mV)".
func (f *leadsForm) optionName(i int) string {
	l := f.leads[i]
	return fmt.Sprintf("%d %s (%s)", i+1, annotate.DisplayName(l), kindText(l))
}

// kindText says what a channel is taken for, and its unit.
func kindText(l annotate.Lead) string {
	k := [...]string{annotate.LeadOther: "not ECG", annotate.LeadVoltage: "voltage", annotate.LeadECG: "ECG"}[annotate.ClassifyLead(l)]
	if u := strings.TrimSpace(l.Units); u != "" {
		return k + ", " + u
	}
	return k
}

// set shows choice c: the shown leads first in their order, then the
// others in record order; the first two model leads.
func (f *leadsForm) set(c LeadChoice) {
	f.order, f.shown = slices.Clone(c.Shown), map[int]bool{}
	for _, i := range c.Shown {
		f.shown[i] = true
	}
	for i := range f.leads {
		if !f.shown[i] {
			f.order = append(f.order, i)
		}
	}
	f.first.SetSelectedIndex(0)
	f.second.SetSelected(noLead)
	if len(c.Model) > 0 {
		f.first.SetSelectedIndex(c.Model[0])
	}
	if len(c.Model) > 1 {
		f.second.SetSelectedIndex(c.Model[1] + 1)
	}
	f.hint.SetText("")
	f.rebuild()
}

// rebuild lays out a row per lead in the current order.
func (f *leadsForm) rebuild() {
	f.rows.Objects = f.rows.Objects[:0]
	for pos, i := range f.order {
		check := widget.NewCheck("", nil)
		check.SetChecked(f.shown[i])
		check.OnChanged = func(on bool) { f.toggle(i, on, check) }
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { f.move(pos, -1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { f.move(pos, 1) })
		enable(up, pos > 0)
		enable(down, pos < len(f.order)-1)
		name := widget.NewLabel(f.optionName(i))
		f.rows.Add(container.NewBorder(nil, nil, check, container.NewHBox(up, down), name))
	}
	f.rows.Refresh()
}

// toggle shows or hides record lead i; the last lead shown stays.
func (f *leadsForm) toggle(i int, on bool, check *widget.Check) {
	if !on && len(f.shownLeads()) == 1 && f.shown[i] {
		check.SetChecked(true)
		f.hint.SetText("At least one lead is shown.")
		return
	}
	f.shown[i] = on
}

// move moves the row at pos by d (-1 up, 1 down).
func (f *leadsForm) move(pos, d int) {
	to := pos + d
	if to < 0 || to >= len(f.order) {
		return
	}
	f.order[pos], f.order[to] = f.order[to], f.order[pos]
	f.rebuild()
}

// shownLeads returns the leads shown, in the rows' order.
func (f *leadsForm) shownLeads() []int {
	var out []int
	for _, i := range f.order {
		if f.shown[i] {
			out = append(out, i)
		}
	}
	return out
}

// choice returns the choice the form shows.
func (f *leadsForm) choice() LeadChoice {
	c := LeadChoice{Shown: f.shownLeads(), Model: []int{max(f.first.SelectedIndex(), 0)}}
	if j := f.second.SelectedIndex() - 1; j >= 0 && j != c.Model[0] {
		c.Model = append(c.Model, j)
	}
	return c
}

// ShowLeads opens the Leads dialog: which leads the strip shows and in
// what order, and which feed the detector and the models. Apply shows
// the choice and hands it to OnLeads (to keep with the record, and to run
// the models again when their leads changed).
func (r *RecordScreen) ShowLeads() {
	if r.win == nil || len(r.info.Leads) == 0 {
		return
	}
	f := newLeadsForm(r.info.Leads, LeadChoice{Shown: r.Strip.Leads(), Model: r.modelLeads()})
	d := dialog.NewCustomConfirm("Leads of "+r.info.Name, "Apply", "Cancel", f.content, func(ok bool) {
		if ok {
			r.applyLeads(f.choice())
		}
		r.FocusView()
	}, r.win)
	d.Resize(fyne.NewSize(560, 620))
	d.Show()
}

// SetLeads shows the leads c.Shown (the disclosure draws the first) and
// notes the models' leads c.Model, for the dialog. Call it on the UI
// goroutine after SetRecord.
func (r *RecordScreen) SetLeads(c LeadChoice) {
	r.Strip.SetLeads(c.Shown)
	if shown := r.Strip.Leads(); len(shown) > 0 { // none: a record without leads
		r.Disclosure.SetLead(shown[0])
		r.Overview.SetLead(shown[0])
	}
	r.model = slices.Clone(c.Model)
	r.status.SetText(r.statusText(r.Strip.View()))
	r.noteLayout()
}

// modelLeads returns the models' leads as last set, or the default.
func (r *RecordScreen) modelLeads() []int {
	if annotate.CheckLeads(r.model, len(r.info.Leads)) == nil {
		return r.model
	}
	return annotate.ModelLeads(r.info.Leads)
}

// applyLeads shows choice c and tells OnLeads.
func (r *RecordScreen) applyLeads(c LeadChoice) {
	r.SetLeads(c)
	if r.OnLeads != nil {
		r.OnLeads(c)
	}
}

// leadsText says how many of the record's channels the strip shows, when
// not all: "1 of 11 leads shown".
func (r *RecordScreen) leadsText() string {
	n, all := len(r.Strip.Leads()), len(r.info.Leads)
	if n >= all {
		return ""
	}
	return fmt.Sprintf("%d of %d leads shown", n, all)
}
