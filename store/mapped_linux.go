//go:build linux

package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// DropMapped takes the label database file's pages out of the process's
// resident memory (madvise MADV_DONTNEED on bbolt's read-only shared
// mapping). bbolt reads the file through that mapping, so every page a
// transaction ever read stays resident: a 14-day record's pre-annotation
// rewrites most of a 300 MB file and would keep all of it. The pages are
// clean (bbolt writes with pwrite, never through the mapping) and stay in
// the page cache: the next read maps them again, nothing is lost. Done
// inside a read transaction, which keeps bbolt from remapping the file
// meanwhile. A no-op where the platform has no such advice.
func (db *DB) DropMapped() error {
	return db.bolt.View(func(tx *bolt.Tx) error {
		size := tx.Size() // the file bbolt uses, within its mapping
		if size <= 0 {
			return nil
		}
		_, _, errno := unix.Syscall(unix.SYS_MADVISE, db.bolt.Info().Data, uintptr(size), unix.MADV_DONTNEED)
		if errno != 0 {
			return fmt.Errorf("store: drop the mapped pages of %s: %w", db.path, errno)
		}
		return nil
	})
}
