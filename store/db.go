package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/private"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors of the label database. Every error the DB returns wraps one of
// these (or an annotate error) together with the operation and the file.
var (
	ErrDBCorrupt   = errors.New("the label database is damaged")
	ErrDBNewer     = errors.New("the label database was written by a newer ECG Station")
	ErrDBLocked    = errors.New("the label database is in use by another ECG Station program (a window, or a command such as annotate or import-ann)")
	ErrDBReadOnly  = errors.New("the label database is read-only")
	ErrNotDB       = errors.New("not an ECG Station label database")
	ErrNoRecord    = errors.New("no such record in the label database")
	ErrBadRecordID = errors.New("record id must be 64 lower-case hex digits")
	ErrNoReader    = errors.New("reader id must not be empty")
)

// DefaultLockTimeout is how long OpenDB waits for another instance to let
// go of the database before it gives up with ErrDBLocked.
const DefaultLockTimeout = 500 * time.Millisecond

// initialMmap is the address space mapped for a writable database up front
// (the file itself grows only as needed), so that growing the file during a
// bulk save does not remap it again and again.
const initialMmap = 1 << 30

// DBOptions configure OpenDB.
type DBOptions struct {
	// LockTimeout is how long to wait for the file lock; 0 means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// ReadOnly opens the database for reading only, even if the file is
	// writable.
	ReadOnly bool
}

// DB is the label database: one bbolt file holding the records, their
// label sets, undo histories and audit log. It is safe for concurrent use.
// It implements annotate.Repository.
type DB struct {
	bolt     *bolt.DB
	path     string
	readOnly error                       // why the DB is read-only, nil when writable
	damaged  atomic.Pointer[DamageError] // the first damage a transaction found
}

var _ annotate.Repository = (*DB)(nil)

// OpenDB opens (or creates) the label database at path. A bad file is
// never truncated or rewritten: a damaged file gives ErrDBCorrupt, a file
// of a newer schema ErrDBNewer, a file another instance holds ErrDBLocked,
// a bbolt file of another program ErrNotDB. A file the user may not write
// opens read-only; ReadOnly then says why and every commit fails with
// ErrDBReadOnly. An older schema is migrated in one transaction.
func OpenDB(path string, opt DBOptions) (*DB, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = DefaultLockTimeout
	}
	fi, err := os.Stat(path)
	if (errors.Is(err, fs.ErrNotExist) || err == nil && fi.Size() == 0) && !opt.ReadOnly {
		return openRW(path, opt) // a new (or empty) file: nothing to lose
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	ro, err := readOnlyReason(path, fi, opt.ReadOnly)
	if err != nil {
		return nil, err
	}
	probe, version, err := probeDB(path, opt.LockTimeout)
	if err != nil {
		return nil, err
	}
	if ro != nil {
		if version != SchemaVersion {
			probe.Close()
			return nil, fmt.Errorf("store: open %s: schema %d needs upgrading to %d: %w", path, version, SchemaVersion, ro)
		}
		return &DB{bolt: probe, path: path, readOnly: ro}, nil
	}
	if err := probe.Close(); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return openRW(path, opt)
}

// openRW opens path for writing and brings its schema up to date.
func openRW(path string, opt DBOptions) (*DB, error) {
	var b *bolt.DB
	err := guarded(path, "open", func() (err error) {
		b, err = bolt.Open(path, private.FileMode, &bolt.Options{Timeout: opt.LockTimeout, InitialMmapSize: initialMmap})
		return err
	})
	if err != nil {
		var de *DamageError
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, openError(path, err)
	}
	db := &DB{bolt: b, path: path}
	if err := db.migrate(); err != nil {
		b.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return db, nil
}

// readOnlyReason returns why the file must be opened read-only, or nil.
// Permission bits count even for root, who could write anyway.
func readOnlyReason(path string, fi fs.FileInfo, asked bool) (error, error) {
	if asked {
		return fmt.Errorf("%w: opened read-only as asked", ErrDBReadOnly), nil
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%w: %s has no write permission; changes cannot be saved", ErrDBReadOnly, path), nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		return nil, f.Close()
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		return fmt.Errorf("%w: %s cannot be written (%v); changes cannot be saved", ErrDBReadOnly, path, err), nil
	}
	return nil, fmt.Errorf("store: open %s: %w", path, err)
}

// probeDB opens path read-only (writing nothing) and checks that it is a
// whole ECG Station database of a schema this build knows, with no damaged
// page (checkPages, for files up to checkOnOpenMax bytes).
func probeDB(path string, timeout time.Duration) (b *bolt.DB, version uint64, err error) {
	err = guarded(path, "open", func() error {
		if b, err = bolt.Open(path, 0, &bolt.Options{ReadOnly: true, Timeout: timeout}); err != nil {
			b = nil
			return openError(path, err)
		}
		if err := b.View(func(tx *bolt.Tx) error {
			version, err = checkFile(tx, path)
			return err
		}); err != nil {
			return err
		}
		return checkOnOpen(path)
	})
	if err != nil && b != nil {
		b.Close()
		b = nil
	}
	return b, version, err
}

// checkFile reads the schema version and checks the file is not truncated.
func checkFile(tx *bolt.Tx, path string) (uint64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", path, err)
	}
	if fi.Size() < tx.Size() {
		return 0, fmt.Errorf("store: open %s: %w: file is %d bytes, its pages need %d (truncated)",
			path, ErrDBCorrupt, fi.Size(), tx.Size())
	}
	v, err := schemaVersion(tx)
	if err != nil {
		return 0, fmt.Errorf("store: open %s: %w", path, err)
	}
	if v > SchemaVersion {
		return 0, fmt.Errorf("store: open %s: %w: schema %d, this build knows up to %d; update ECG Station",
			path, ErrDBNewer, v, SchemaVersion)
	}
	return v, nil
}

// openError turns bbolt's open errors into the store's.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("store: open %s: %w: close that window, or wait for that command to finish, then try again", path, ErrDBLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum),
		errors.Is(err, berrors.ErrVersionMismatch):
		return fmt.Errorf("store: open %s: %w: %v", path, ErrDBCorrupt, err)
	}
	return fmt.Errorf("store: open %s: %w", path, err)
}

// Close closes the database file.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", db.path, err)
	}
	return nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// ReadOnly returns nil when the database can be written, or an error (that
// wraps ErrDBReadOnly) saying why not, for the UI to show.
func (db *DB) ReadOnly() error { return db.readOnly }

// Damaged returns nil while no transaction has found the file damaged,
// else the first DamageError one found; from then on every write is
// refused, so a damaged file is never written.
func (db *DB) Damaged() error {
	if de := db.damaged.Load(); de != nil {
		return de
	}
	return nil
}

// update runs fn in one write transaction, refusing when read-only or
// damaged. A panic inside (bbolt on a damaged page) rolls the transaction
// back, nothing is committed, and it comes back as a DamageError.
func (db *DB) update(op string, fn func(tx *bolt.Tx) error) error {
	if db.readOnly != nil {
		return fmt.Errorf("store: %s: %w", op, db.readOnly)
	}
	if de := db.damaged.Load(); de != nil {
		return &DamageError{Path: db.path, Op: op + " (nothing written)", Err: de.Err}
	}
	return db.txn(op, func() error { return db.bolt.Update(fn) })
}

// view runs fn in one read transaction; a panic inside comes back as a
// DamageError.
func (db *DB) view(op string, fn func(tx *bolt.Tx) error) error {
	return db.txn(op, func() error { return db.bolt.View(fn) })
}

// txn runs one transaction and wraps its error with op; a panic or a
// damaged value (ErrDBCorrupt) marks the DB damaged.
func (db *DB) txn(op string, run func() error) error {
	err := guarded(db.path, op, run)
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrDBCorrupt) {
		de := damage(db.path, op, err)
		db.damaged.CompareAndSwap(nil, de)
		return de
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
