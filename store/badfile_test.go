package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// goodDB writes a valid database with one record of n model beats and
// returns its path.
func goodDB(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "labels.db")
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	newRecord(t, db, 1, n)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rawBolt changes a database file with bbolt directly, as another program
// (or a newer ECG Station) would.
func rawBolt(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(fn); err != nil {
		t.Fatal(err)
	}
	b.Close()
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		make    func(t *testing.T) (path string, cleanup func())
		wantErr error
	}{
		{"garbage", func(t *testing.T) (string, func()) {
			p := filepath.Join(t.TempDir(), "garbage.db")
			buf := make([]byte, 16384)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range buf {
				buf[i] = byte(r.Uint32())
			}
			mustDo(t, os.WriteFile(p, buf, 0o644))
			return p, nil
		}, ErrDBCorrupt},
		{"too small", func(t *testing.T) (string, func()) {
			p := filepath.Join(t.TempDir(), "small.db")
			mustDo(t, os.WriteFile(p, []byte("not a database\n"), 0o644))
			return p, nil
		}, ErrDBCorrupt},
		{"both meta pages damaged", func(t *testing.T) (string, func()) {
			p := goodDB(t, 100)
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			mustDo(t, err)
			_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, 64), 16)
			mustDo(t, err)
			_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, 64), 4096+16)
			mustDo(t, err)
			mustDo(t, f.Close())
			return p, nil
		}, ErrDBCorrupt},
		{"truncated", func(t *testing.T) (string, func()) {
			p := goodDB(t, 20000)
			var used int64
			rawBolt(t, p, func(tx *bolt.Tx) error { used = tx.Size(); return nil })
			mustDo(t, os.Truncate(p, used/2)) // cut inside the pages in use
			return p, nil
		}, ErrDBCorrupt},
		{"newer schema", func(t *testing.T) (string, func()) {
			p := goodDB(t, 10)
			rawBolt(t, p, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1)) })
			return p, nil
		}, ErrDBNewer},
		{"another program's bbolt file", func(t *testing.T) (string, func()) {
			p := filepath.Join(t.TempDir(), "other.db")
			rawBolt(t, p, func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
			return p, nil
		}, ErrNotDB},
		{"locked by another instance", func(t *testing.T) (string, func()) {
			p := goodDB(t, 10)
			other, err := OpenDB(p, DBOptions{})
			mustDo(t, err)
			return p, func() { other.Close() }
		}, ErrDBLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, cleanup := tt.make(t)
			if cleanup != nil {
				defer cleanup()
			}
			before := fileSum(t, path)
			db, err := OpenDB(path, DBOptions{LockTimeout: 100 * time.Millisecond})
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("OpenDB: %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("message does not name the file: %v", err)
			}
			if after := fileSum(t, path); after != before {
				t.Errorf("the file changed")
			}
			t.Logf("message: %v", err)
		})
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestReadOnlyFile(t *testing.T) {
	path := goodDB(t, 10)
	mustDo(t, os.Chmod(path, 0o444))
	before := fileSum(t, path)
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatalf("OpenDB on a read-only file: %v", err)
	}
	if !errors.Is(db.ReadOnly(), ErrDBReadOnly) || !strings.Contains(db.ReadOnly().Error(), path) {
		t.Errorf("ReadOnly() = %v", db.ReadOnly())
	}
	if m, err := db.Model(testID(1)); err != nil || len(m.Beats) != 10 {
		t.Errorf("reading a read-only file: %d beats, %v", len(m.Beats), err)
	}
	err = db.SaveModelOutput(testID(1), annotate.ModelOutput{}, "x")
	if !errors.Is(err, ErrDBReadOnly) {
		t.Errorf("write on a read-only file: %v", err)
	}
	mustDo(t, db.Close())
	if fileSum(t, path) != before {
		t.Error("the read-only file changed")
	}
}

func TestEmptyFileBecomesDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	mustDo(t, os.WriteFile(path, nil, 0o644))
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	newRecord(t, db, 1, 1)
}
