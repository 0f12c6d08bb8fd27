package store

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// boltAt returns a raw bbolt file migrated up to schema version v.
func boltAt(t *testing.T, v uint64) *bolt.DB {
	t.Helper()
	b, err := bolt.Open(filepath.Join(t.TempDir(), "m.db"), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	mustDo(t, b.Update(func(tx *bolt.Tx) error { return runMigrations(tx, 0, v) }))
	return b
}

func TestMigrationsInOrder(t *testing.T) {
	for i, m := range migrations {
		if m.To != uint64(i+1) {
			t.Errorf("migrations[%d].To = %d", i, m.To)
		}
	}
	if migrations[len(migrations)-1].To != SchemaVersion {
		t.Errorf("last migration %d != SchemaVersion %d", migrations[len(migrations)-1].To, SchemaVersion)
	}
}

func TestMigration1CreatesMetaAndRecords(t *testing.T) {
	b := boltAt(t, 1)
	mustDo(t, b.View(func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		if err != nil || v != 1 {
			t.Errorf("version = %d, %v", v, err)
		}
		if tx.Bucket(bucketRecords) == nil || tx.Bucket(bucketPaths) != nil {
			t.Error("schema 1 must have records and no paths")
		}
		return nil
	}))
}

func TestMigration2IndexesPaths(t *testing.T) {
	b := boltAt(t, 1)
	id := testID(1)
	mustDo(t, b.Update(func(tx *bolt.Tx) error {
		rb, err := tx.Bucket(bucketRecords).CreateBucket([]byte(id))
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(recordInfo{Path: "/data/100.hea"})
		return rb.Put(keyInfo, raw)
	}))
	mustDo(t, b.Update(func(tx *bolt.Tx) error { return runMigrations(tx, 1, 2) }))
	mustDo(t, b.View(func(tx *bolt.Tx) error {
		if got := string(tx.Bucket(bucketPaths).Get([]byte("/data/100.hea"))); got != string(id) {
			t.Errorf("paths[/data/100.hea] = %q", got)
		}
		if v, _ := schemaVersion(tx); v != 2 {
			t.Errorf("version = %d", v)
		}
		return nil
	}))
}

func TestMigration2RefusesBadInfo(t *testing.T) {
	b := boltAt(t, 1)
	mustDo(t, b.Update(func(tx *bolt.Tx) error {
		rb, _ := tx.Bucket(bucketRecords).CreateBucket([]byte(testID(1)))
		return rb.Put(keyInfo, []byte("{"))
	}))
	err := b.Update(func(tx *bolt.Tx) error { return runMigrations(tx, 1, 2) })
	if !errors.Is(err, ErrDBCorrupt) {
		t.Errorf("migration over bad info: %v", err)
	}
}

func TestOpenMigratesOldFile(t *testing.T) {
	b := boltAt(t, 1)
	path := b.Path()
	b.Close()
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustDo(t, db.view("check", func(tx *bolt.Tx) error {
		if v, _ := schemaVersion(tx); v != SchemaVersion {
			t.Errorf("version after open = %d", v)
		}
		return nil
	}))
}
