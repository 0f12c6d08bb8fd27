package store

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// recordInfo is the "info" value of a record bucket, stored as JSON.
type recordInfo struct {
	Path  string              `json:"path"`
	Info  annotate.RecordInfo `json:"info"`
	Added time.Time           `json:"added"`
	Seen  time.Time           `json:"seen"`
	// Settings are the record's own choices (schema 3 without them reads
	// as the defaults).
	Settings RecordSettings `json:"settings,omitzero"`
}

// RecordEntry is what the database knows about a record.
type RecordEntry struct {
	ID    annotate.RecordID
	Path  string              // last known path of the record file
	Info  annotate.RecordInfo // metadata (Comments may hold patient data: never export)
	Added time.Time           // first PutRecord
	Seen  time.Time           // last PutRecord
	// Status sums up the readers' label sets: signed off when one is
	// (the latest sign-off), in progress when one has been edited, else new.
	Status  annotate.Status
	Readers []ReaderEntry // sorted by reader id
	// ModelRev is the revision of the model layer, 0 when there is none.
	ModelRev uint64
	// Settings are the record's own choices (SetRecordSettings).
	Settings RecordSettings
}

// ReaderEntry is one reader's label set of a record.
type ReaderEntry struct {
	Reader annotate.ReaderID
	Rev    uint64 // label-set revision, to quote in exports
	Status annotate.Status
}

// validID checks a record id is a lower-case hex SHA-256.
func validID(id annotate.RecordID) error {
	if len(id) != 64 {
		return fmt.Errorf("%w: %q", ErrBadRecordID, id)
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%w: %q", ErrBadRecordID, id)
		}
	}
	return nil
}

// PutRecord registers a record (or updates its last known path and
// metadata): id is the SHA-256 of its content.
func (db *DB) PutRecord(id annotate.RecordID, path string, info annotate.RecordInfo) error {
	if err := validID(id); err != nil {
		return fmt.Errorf("store: put record: %w", err)
	}
	return db.update("put record "+string(id), func(tx *bolt.Tx) error {
		rb, err := tx.Bucket(bucketRecords).CreateBucketIfNotExists([]byte(id))
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		ri := recordInfo{Path: path, Info: info, Added: now, Seen: now}
		if old, err := readInfo(rb, []byte(id)); err == nil && !old.Added.IsZero() {
			ri.Added, ri.Settings = old.Added, old.Settings
			if old.Path != path {
				_ = tx.Bucket(bucketPaths).Delete([]byte(old.Path))
			}
		}
		raw, err := json.Marshal(ri)
		if err != nil {
			return err
		}
		if err := rb.Put(keyInfo, raw); err != nil {
			return err
		}
		return tx.Bucket(bucketPaths).Put([]byte(path), []byte(id))
	})
}

func readInfo(rb *bolt.Bucket, id []byte) (recordInfo, error) {
	return decodeInfo(rb.Get(keyInfo), id)
}

// decodeInfo decodes a record's info value (nil: none).
func decodeInfo(raw, id []byte) (recordInfo, error) {
	var ri recordInfo
	if raw == nil {
		return ri, nil
	}
	if err := json.Unmarshal(raw, &ri); err != nil {
		return ri, fmt.Errorf("%w: record %s info: %v", ErrDBCorrupt, id, err)
	}
	return ri, nil
}

// FindPath returns the id of the record last seen at path.
func (db *DB) FindPath(path string) (annotate.RecordID, bool, error) {
	var id annotate.RecordID
	err := db.view("find path "+path, func(tx *bolt.Tx) error {
		id = annotate.RecordID(tx.Bucket(bucketPaths).Get([]byte(path)))
		return nil
	})
	return id, id != "", err
}

// Record returns what the database knows about record id.
func (db *DB) Record(id annotate.RecordID) (RecordEntry, error) {
	var e RecordEntry
	err := db.view("read record "+string(id), func(tx *bolt.Tx) error {
		r, err := openRec(tx, id)
		if err != nil {
			return err
		}
		e, err = recordEntry(r)
		return err
	})
	return e, err
}

// Records returns every record, sorted by id.
func (db *DB) Records() ([]RecordEntry, error) {
	var out []RecordEntry
	err := db.view("list records", func(tx *bolt.Tx) error {
		recs := tx.Bucket(bucketRecords)
		return recs.ForEachBucket(func(id []byte) error {
			r, err := openRec(tx, annotate.RecordID(id))
			if err != nil {
				return err
			}
			e, err := recordEntry(r)
			out = append(out, e)
			return err
		})
	})
	return out, err
}

// recordEntry reads a record's entry and sums up its readers' status.
func recordEntry(r recTx) (RecordEntry, error) {
	rb, id := r.rb, []byte(hex.EncodeToString(r.key))
	ri, err := readInfo(rb, id)
	if err != nil {
		return RecordEntry{}, err
	}
	e := RecordEntry{ID: annotate.RecordID(id), Path: ri.Path, Info: ri.Info, Added: ri.Added, Seen: ri.Seen, Settings: ri.Settings}
	mm, err := readLayerMeta(rb.Bucket(bucketModel))
	if err != nil {
		return e, err
	}
	e.ModelRev = mm.Rev
	err = heads(r, func(r annotate.ReaderID, h head) error {
		e.Readers = append(e.Readers, ReaderEntry{Reader: r, Rev: h.Rev, Status: h.Status})
		e.Status = sumStatus(e.Status, h.Status)
		return nil
	})
	return e, err
}

// sumStatus combines two label-set states: signed off beats in progress
// beats new; of two sign-offs the later wins.
func sumStatus(a, b annotate.Status) annotate.Status {
	if b.State > a.State || (b.State == a.State && b.At.After(a.At)) {
		return b
	}
	return a
}
