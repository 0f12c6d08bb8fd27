//go:build !linux

package store

// DropMapped takes the label database file's pages out of the process's
// resident memory on Linux (see mapped_linux.go); elsewhere it does
// nothing.
func (db *DB) DropMapped() error { return nil }
