package ui

import (
	"math"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// generatorLike is a 10 s record with the channels of wfdb-samples'
// test_generator_2 (all in µV, only the fourth an ECG): the ECG a 1 Hz
// train of 1 mV spikes, the others what their names say.
func generatorLike() *annotate.MemSignal {
	names := []string{"squarewave", "ramp", "pulse", "ECG", "noise", "sine 1 Hz", "sine 8 Hz",
		"sine 8.5 Hz", "sine 15 Hz", "sine 17 Hz", "sine 50 Hz"}
	const fs, n = 200, 2000
	sig := &annotate.MemSignal{Meta: annotate.RecordInfo{Name: "generator", Format: "EDF", Fs: fs, NSamples: n}}
	for i, name := range names {
		sig.Meta.Leads = append(sig.Meta.Leads, annotate.Lead{Name: name, Units: "uV", Gain: 1})
		x := make([]int32, n)
		for k := range x {
			x[k] = int32(3000 * math.Sin(2*math.Pi*float64(k)*float64(i+1)/fs)) // every channel ±3 mV
			if i == 3 {
				x[k] = 0
				if k%fs < 8 {
					x[k] = 1000
				}
			}
		}
		sig.Samples = append(sig.Samples, x)
	}
	return sig
}

// TestLeadsFormChoice: the form starts on the choice given, rows move and
// hide, the last lead shown cannot be hidden, and the model leads are the
// two lists' picks.
func TestLeadsFormChoice(t *testing.T) {
	test.NewTempApp(t)
	leads := generatorLike().Meta.Leads
	f := newLeadsForm(leads, LeadChoice{Shown: annotate.DefaultShownLeads(leads), Model: annotate.ModelLeads(leads)})
	if c := f.choice(); !slices.Equal(c.Shown, []int{3}) || !slices.Equal(c.Model, []int{3}) {
		t.Fatalf("defaults: %+v, want shown [3], model [3]", c)
	}
	if f.order[0] != 3 || len(f.order) != 11 {
		t.Fatalf("rows %v: want the shown lead first, then the other 10", f.order)
	}
	f.toggle(1, true, widget.NewCheck("", nil)) // show the ramp: rows 3, 0, 1, 2, 4...
	f.move(2, -1)                               // rows 3, 1, 0, ...
	f.move(1, -1)                               // rows 1, 3, 0, ...: the ramp on top
	f.second.SetSelectedIndex(1 + 5)            // the models' second lead: sine 1 Hz
	c := f.choice()
	if !slices.Equal(c.Shown, []int{1, 3}) {
		t.Fatalf("after showing the ramp and moving it up: shown %v, want [1 3]", c.Shown)
	}
	if !slices.Equal(c.Model, []int{3, 5}) {
		t.Errorf("model %v, want [3 5]", c.Model)
	}
	f.set(LeadChoice{Shown: []int{4}, Model: []int{3}})
	check := widget.NewCheck("", nil)
	f.toggle(4, false, check)
	if !check.Checked || !slices.Equal(f.choice().Shown, []int{4}) || f.hint.Text == "" {
		t.Errorf("hiding the last lead shown: checked %v, shown %v, hint %q", check.Checked, f.choice().Shown, f.hint.Text)
	}
}

// TestRecordScreenLeads: an 11-channel record opens with its ECG alone on
// the strip (the status line says so); the Leads dialog's Apply shows the
// new choice and hands it to OnLeads.
func TestRecordScreenLeads(t *testing.T) {
	test.NewTempApp(t)
	r := NewRecordScreen()
	r.Inline = true
	w := test.NewTempWindow(t, r.Content())
	w.Resize(fyne.NewSize(1000, 700))
	r.SetWindow(w)
	r.SetRecord(generatorLike(), nil)
	t.Cleanup(r.Close)
	<-r.Ready()
	if got := r.Strip.Leads(); !slices.Equal(got, []int{3}) || r.Disclosure.lead != 3 || r.Overview.lead != 3 {
		t.Fatalf("strip shows %v, disclosure lead %d, overview lead %d; want the ECG (3) alone", got, r.Disclosure.lead, r.Overview.lead)
	}
	if !strings.Contains(r.StatusText(), "1 of 11 leads shown") {
		t.Errorf("status %q does not say 1 of 11 leads shown", r.StatusText())
	}
	var got *LeadChoice
	r.OnLeads = func(c LeadChoice) { got = &c }
	r.SetLeads(LeadChoice{Shown: []int{3, 0}, Model: []int{3}})
	r.ShowLeads()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no Leads dialog")
	}
	apply := findButton(top, "Apply")
	if apply == nil {
		t.Fatal("no Apply button in the dialog")
	}
	test.Tap(apply)
	if got == nil || !slices.Equal(got.Shown, []int{3, 0}) || !slices.Equal(got.Model, []int{3}) {
		t.Fatalf("OnLeads got %+v, want shown [3 0], model [3]", got)
	}
	if l := r.Strip.Leads(); !slices.Equal(l, []int{3, 0}) || r.Disclosure.lead != 3 {
		t.Errorf("after Apply: strip %v, disclosure lead %d", l, r.Disclosure.lead)
	}
}

// TestSetLeadsNoLeads: a record without leads takes any choice without a
// panic and shows nothing.
func TestSetLeadsNoLeads(t *testing.T) {
	test.NewTempApp(t)
	r := NewRecordScreen()
	r.Inline = true
	r.SetRecord(&annotate.MemSignal{Meta: annotate.RecordInfo{Name: "empty", Fs: 250}}, nil)
	t.Cleanup(r.Close)
	r.SetLeads(LeadChoice{Shown: []int{0}, Model: []int{0}})
	if l := r.Strip.Leads(); len(l) != 0 {
		t.Errorf("strip shows %v of a record without leads", l)
	}
	r.ShowLeads() // no window, no leads: nothing opens
}
