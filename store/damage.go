package store

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// DamageError reports that the label database file is damaged: what was
// being done, on which file, what is wrong, and what to do about it. It
// wraps ErrDBCorrupt (errors.Is(err, ErrDBCorrupt) holds), so callers need
// not know the type; the window uses errors.As to offer check and salvage.
//
// bbolt trusts its file: a damaged page makes it panic (or, for a page
// number past the mapped file, fault). The DB recovers at the transaction
// boundary, in view and update, and returns a DamageError instead; after
// one, the DB refuses to write (see DB.Damaged).
type DamageError struct {
	Path string // the database file
	Op   string // what was being done ("open", "read labels of ...")
	Err  error  // what is wrong; wraps ErrDBCorrupt
}

// Error says what went wrong and how to look at and rescue the file.
func (e *DamageError) Error() string {
	return fmt.Sprintf("store: %s: %s: %v; run \"ecgstation db check %s\" to see what cannot be read, "+
		"and \"ecgstation db salvage %s --out NEW.db\" to copy everything readable into a new file",
		e.Op, e.Path, e.Err, e.Path, e.Path)
}

// Unwrap returns what is wrong, which wraps ErrDBCorrupt.
func (e *DamageError) Unwrap() error { return e.Err }

// damage returns a DamageError for op on path from err (wrapped in
// ErrDBCorrupt when it does not wrap it yet), or err itself when it
// already is a DamageError.
func damage(path, op string, err error) *DamageError {
	var de *DamageError
	if errors.As(err, &de) {
		return de
	}
	if !errors.Is(err, ErrDBCorrupt) {
		err = fmt.Errorf("%w: %v", ErrDBCorrupt, err)
	}
	return &DamageError{Path: path, Op: op, Err: err}
}

// guarded runs fn, turning a panic or a memory fault inside it (bbolt on a
// damaged page) into a DamageError for op on path. Faults on the mapped
// file are recoverable only in the goroutine that asked for it, so fn must
// run in the caller's goroutine.
func guarded(path, op string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = damage(path, op, fmt.Errorf("%w: %v", ErrDBCorrupt, r))
		}
	}()
	return fn()
}
