package store

import (
	"encoding/json"
	"fmt"
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
	return db.update("set the settings of record "+string(id), func(tx *bolt.Tx) error {
		r, err := openRec(tx, id)
		if err != nil {
			return err
		}
		ri, err := readInfo(r.rb, []byte(id))
		if err != nil {
			return err
		}
		note := settingsChange(ri.Settings, s)
		ri.Settings = s
		raw, err := json.Marshal(ri)
		if err != nil {
			return fmt.Errorf("encode record info: %w", err)
		}
		if err := r.rb.Put(keyInfo, raw); err != nil || note == "" {
			return err
		}
		_, err = appendAudit(r, AuditEntry{When: time.Now().UTC(), Who: who, Kind: "settings",
			Action: "set record settings", Note: note})
		return err
	})
}

// settingsChange says what differs from old to s ("adapter off"), or "".
func settingsChange(old, s RecordSettings) string {
	if old.AdapterOff == s.AdapterOff {
		return ""
	}
	if s.AdapterOff {
		return "adapter off"
	}
	return "adapter on"
}
