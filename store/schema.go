package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Top-level bucket and key names (see doc.go for the whole tree).
var (
	bucketMeta    = []byte("meta")
	bucketRecords = []byte("records")
	bucketPaths   = []byte("paths")
	keySchema     = []byte("schema")
	keyApp        = []byte("app")
	appName       = []byte("ecgstation labels")
)

// SchemaVersion is the schema this build writes. Each step up is one entry
// of migrations.
const SchemaVersion = 3

// migration brings the database from schema version To-1 to To.
type migration struct {
	To   uint64
	What string
	Run  func(tx *bolt.Tx) error
}

// migrations lists every schema step in order; migrations[i].To == i+1.
var migrations = []migration{
	{1, "create the meta and records buckets", migrateCreate},
	{2, "index records by their last known path", migratePathIndex},
	{3, "journal small edits in the audit log; model beats in blocks", migrateJournal},
}

// schemaVersion returns the file's schema version: 0 for a bbolt file with
// no buckets at all (a new file), ErrNotDB for one that holds buckets but
// not ours.
func schemaVersion(tx *bolt.Tx) (uint64, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if empty {
			return 0, nil
		}
		return 0, ErrNotDB
	}
	if string(meta.Get(keyApp)) != string(appName) {
		return 0, ErrNotDB
	}
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return 0, fmt.Errorf("%w: schema version is %d bytes, want 8", ErrDBCorrupt, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// migrate runs the migrations the file lacks, all in one transaction.
func (db *DB) migrate() error {
	return db.update("migrate", func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		if err != nil {
			return err
		}
		if v > SchemaVersion {
			return fmt.Errorf("%w: schema %d, this build knows up to %d", ErrDBNewer, v, SchemaVersion)
		}
		return runMigrations(tx, v, SchemaVersion)
	})
}

// runMigrations runs the migrations from version from up to version to.
func runMigrations(tx *bolt.Tx, from, to uint64) error {
	for _, m := range migrations[from:to] {
		if err := m.Run(tx); err != nil {
			return fmt.Errorf("migrate to schema %d (%s): %w", m.To, m.What, err)
		}
		if err := tx.Bucket(bucketMeta).Put(keySchema, u64(m.To)); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", m.To, err)
		}
	}
	return nil
}

// migrateCreate makes schema 1: meta (app name, version) and records.
func migrateCreate(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if err := meta.Put(keyApp, appName); err != nil {
		return err
	}
	_, err = tx.CreateBucketIfNotExists(bucketRecords)
	return err
}

// migratePathIndex makes schema 2: the paths bucket maps each record's
// last known path to its id, filled from the records' info.
func migratePathIndex(tx *bolt.Tx) error {
	paths, err := tx.CreateBucketIfNotExists(bucketPaths)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketRecords).ForEachBucket(func(id []byte) error {
		var info recordInfo
		raw := tx.Bucket(bucketRecords).Bucket(id).Get(keyInfo)
		if err := json.Unmarshal(raw, &info); err != nil {
			return fmt.Errorf("record %s info: %w: %v", id, ErrDBCorrupt, err)
		}
		if info.Path == "" {
			return nil
		}
		return paths.Put([]byte(info.Path), id)
	})
}

// u64 returns v as 8 big-endian bytes.
func u64(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}
