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

// TestUpdateRecordSettingsConcurrent: updates of different fields made at
// the same time (the lead choice from the window, the adapter switch from
// a command) all survive: each reads what it changes inside its own
// transaction. Each writes one audit entry; an update that changes nothing
// writes none.
func TestUpdateRecordSettingsConcurrent(t *testing.T) {
	changes := []struct {
		name   string
		change func(*RecordSettings)
	}{
		{"adapter", func(s *RecordSettings) { s.AdapterOff = true }},
		{"shown", func(s *RecordSettings) { s.ShownLeads = []int{0} }},
		{"model", func(s *RecordSettings) { s.ModelLeads = []int{0} }},
		{"nothing", func(*RecordSettings) {}},
	}
	for range 20 {
		db, _ := openTestDB(t)
		id := newRecord(t, db, 1, 20)
		errs := make(chan error, len(changes))
		for _, c := range changes {
			go func() { errs <- db.UpdateRecordSettings(id, c.name, c.change) }()
		}
		for range changes {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.RecordSettings(id)
		if err != nil || !got.AdapterOff || !slices.Equal(got.ShownLeads, []int{0}) || !slices.Equal(got.ModelLeads, []int{0}) {
			t.Fatalf("settings = %+v, %v; want every update", got, err)
		}
		var who []string
		for e, err := range db.Audit(id, 1) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind == "settings" {
				who = append(who, e.Who)
			}
		}
		slices.Sort(who)
		if !slices.Equal(who, []string{"adapter", "model", "shown"}) {
			t.Fatalf("settings audit entries by %v, want one each by adapter, model, shown", who)
		}
	}
}

// TestChangesModelLeads: only a settings entry that changed the model
// leads marks the model layer stale.
func TestChangesModelLeads(t *testing.T) {
	for _, c := range []struct {
		e    AuditEntry
		want bool
	}{
		{AuditEntry{Kind: "settings", Note: "model leads 0"}, true},
		{AuditEntry{Kind: "settings", Note: "adapter off; model leads default"}, true},
		{AuditEntry{Kind: "settings", Note: "shown leads 1,0"}, false},
		{AuditEntry{Kind: "model", Note: "model leads 0"}, false},
	} {
		if got := ChangesModelLeads(c.e); got != c.want {
			t.Errorf("%+v: %v, want %v", c.e, got, c.want)
		}
	}
}
