package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// RecordSettings are choices made for one record, kept with it in the
// record's info value, so every laptop and every command that opens the
// database sees them. The zero value is the default.
type RecordSettings struct {
	// AdapterOff switches the per-record adapter off (a data scientist's
	// choice, e.g. for a record whose reader labels are being audited):
	// the record shows the population model's labels where the adapter
	// would relabel.
	AdapterOff bool `json:"adapter_off,omitempty"`
	// ShownLeads are the leads the strip shows, top to bottom (indices
	// into the record's leads); nil: annotate.DefaultShownLeads.
	ShownLeads []int `json:"shown_leads,omitempty"`
	// ModelLeads are the leads the detector and the models read, in the
	// models' order (the beat model reads the first one or two); nil:
	// annotate.ModelLeads.
	ModelLeads []int `json:"model_leads,omitempty"`
}

// Shown returns the leads to show of a record with leads: ShownLeads when
// they are a valid choice for it, else the default.
func (s RecordSettings) Shown(leads []annotate.Lead) []int {
	if annotate.CheckLeads(s.ShownLeads, len(leads)) == nil {
		return s.ShownLeads
	}
	return annotate.DefaultShownLeads(leads)
}

// Model returns the leads the models read of a record with leads:
// ModelLeads when they are a valid choice for it, else the default.
func (s RecordSettings) Model(leads []annotate.Lead) []int {
	if annotate.CheckLeads(s.ModelLeads, len(leads)) == nil {
		return s.ModelLeads
	}
	return annotate.ModelLeads(leads)
}

// RecordSettings returns the settings of record id (the defaults when none
// were set).
func (db *DB) RecordSettings(id annotate.RecordID) (RecordSettings, error) {
	e, err := db.Record(id)
	return e.Settings, err
}

// SetRecordSettings stores the settings of record id, in one transaction
// with an audit entry (kind "settings", by who) that says what changed,
// e.g. "adapter off", when anything did.
func (db *DB) SetRecordSettings(id annotate.RecordID, s RecordSettings, who string) error {
	return db.UpdateRecordSettings(id, who, func(st *RecordSettings) { *st = s })
}

// UpdateRecordSettings changes the settings of record id with change, in
// one transaction: the settings change reads are those stored, so two
// updates of different fields (the lead choice from the window, the
// adapter switch from a command) both survive. The audit entry is as for
// SetRecordSettings; a change that changes nothing writes nothing.
func (db *DB) UpdateRecordSettings(id annotate.RecordID, who string, change func(*RecordSettings)) error {
	return db.update("set the settings of record "+string(id), func(tx *bolt.Tx) error {
		r, err := openRec(tx, id)
		if err != nil {
			return err
		}
		ri, err := readInfo(r.rb, []byte(id))
		if err != nil {
			return err
		}
		old := ri.Settings
		old.ShownLeads, old.ModelLeads = slices.Clone(old.ShownLeads), slices.Clone(old.ModelLeads)
		change(&ri.Settings)
		note := settingsChange(old, ri.Settings)
		if note == "" {
			return nil
		}
		raw, err := json.Marshal(ri)
		if err != nil {
			return fmt.Errorf("encode record info: %w", err)
		}
		if err := r.rb.Put(keyInfo, raw); err != nil {
			return err
		}
		_, err = appendAudit(r, AuditEntry{When: time.Now().UTC(), Who: who, Kind: "settings",
			Action: "set record settings", Note: note})
		return err
	})
}

// ChangesModelLeads reports whether audit entry e changed the leads the
// models read of its record: the model layer before it was computed from
// other leads (a later complete "model" run replaces it).
func ChangesModelLeads(e AuditEntry) bool {
	if e.Kind != "settings" {
		return false
	}
	return slices.ContainsFunc(strings.Split(e.Note, "; "), func(p string) bool { return strings.HasPrefix(p, modelLeadsNote) })
}

// modelLeadsNote starts the part of a settings note that says the model
// leads changed.
const modelLeadsNote = "model leads "

// settingsChange says what differs from old to s ("adapter off; model
// leads 1,2"), or "".
func settingsChange(old, s RecordSettings) string {
	var parts []string
	if old.AdapterOff != s.AdapterOff {
		parts = append(parts, map[bool]string{true: "adapter off", false: "adapter on"}[s.AdapterOff])
	}
	if !slices.Equal(old.ShownLeads, s.ShownLeads) {
		parts = append(parts, "shown leads "+leadList(s.ShownLeads))
	}
	if !slices.Equal(old.ModelLeads, s.ModelLeads) {
		parts = append(parts, modelLeadsNote+leadList(s.ModelLeads))
	}
	return strings.Join(parts, "; ")
}

// leadList writes lead indices as "0,2", or "default" for none.
func leadList(ls []int) string {
	if len(ls) == 0 {
		return "default"
	}
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = strconv.Itoa(l)
	}
	return strings.Join(s, ",")
}
