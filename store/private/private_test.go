package private

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModes creates a file and a folder by each helper under umask 0, where
// any group or other bit asked for would show, and checks their modes.
func TestModes(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := WriteFile(filepath.Join(dir, "b"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	tmp, err := CreateTemp(dir, "c-*")
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	if err := MkdirAll(filepath.Join(dir, "d", "e")); err != nil {
		t.Fatal(err)
	}
	want := map[string]fs.FileMode{"a": FileMode, "b": FileMode, filepath.Base(tmp.Name()): FileMode,
		"d": DirMode | fs.ModeDir, filepath.Join("d", "e"): DirMode | fs.ModeDir}
	for name, m := range want {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != m {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode(), m)
		}
	}
}
