package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ecgstation/ecgstation/store/private"
)

// TestDBIsPrivate creates a label database under umask 0, where a file
// created 0644 shows its group and other bits, and checks that it has
// private.FileMode: it holds record paths and header comments.
func TestDBIsPrivate(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	path := filepath.Join(t.TempDir(), "labels.db")
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, db.Close())
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != private.FileMode {
		t.Errorf("label database created %v, want %v", fi.Mode(), private.FileMode)
	}
}
