package store

import (
	"encoding/json"
	"fmt"

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

// SetRecordSettings stores the settings of record id, in one transaction.
func (db *DB) SetRecordSettings(id annotate.RecordID, s RecordSettings) error {
	return db.update("set the settings of record "+string(id), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, id)
		if err != nil {
			return err
		}
		ri, err := readInfo(rb, []byte(id))
		if err != nil {
			return err
		}
		ri.Settings = s
		raw, err := json.Marshal(ri)
		if err != nil {
			return fmt.Errorf("encode record info: %w", err)
		}
		return rb.Put(keyInfo, raw)
	})
}
