package store

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestLeadSettingsPersist: the reader's choice of shown and model leads is
// kept with the record across a restart and a later PutRecord, beside the
// adapter switch.
func TestLeadSettingsPersist(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 20)
	want := RecordSettings{AdapterOff: true, ShownLeads: []int{0}, ModelLeads: []int{0}}
	if err := db.SetRecordSettings(id, want, "ana"); err != nil {
		t.Fatal(err)
	}
	db = reopen(t, db, path)
	if err := db.PutRecord(id, "/moved/rec1.hea", testInfo); err != nil {
		t.Fatal(err)
	}
	got, err := db.RecordSettings(id)
	if err != nil || !got.AdapterOff || !slices.Equal(got.ShownLeads, want.ShownLeads) || !slices.Equal(got.ModelLeads, want.ModelLeads) {
		t.Fatalf("after restart and PutRecord: %+v, %v; want %+v", got, err, want)
	}
}

// TestLeadSettingsFallBack: a choice that does not fit the record (none,
// a lead it does not have, a lead twice) gives the defaults.
func TestLeadSettingsFallBack(t *testing.T) {
	leads := []annotate.Lead{{Name: "pulse", Units: "uV"}, {Name: "II", Units: "mV"}, {Name: "V1", Units: "mV"}}
	cases := []struct {
		name         string
		s            RecordSettings
		shown, model []int
	}{
		{"defaults", RecordSettings{}, []int{1, 2}, []int{1, 2}},
		{"chosen", RecordSettings{ShownLeads: []int{2, 0}, ModelLeads: []int{2}}, []int{2, 0}, []int{2}},
		{"out of range", RecordSettings{ShownLeads: []int{5}, ModelLeads: []int{-1}}, []int{1, 2}, []int{1, 2}},
		{"twice", RecordSettings{ShownLeads: []int{1, 1}, ModelLeads: []int{2, 2}}, []int{1, 2}, []int{1, 2}},
	}
	for _, c := range cases {
		if got := c.s.Shown(leads); !slices.Equal(got, c.shown) {
			t.Errorf("%s: Shown = %v, want %v", c.name, got, c.shown)
		}
		if got := c.s.Model(leads); !slices.Equal(got, c.model) {
			t.Errorf("%s: Model = %v, want %v", c.name, got, c.model)
		}
	}
}
