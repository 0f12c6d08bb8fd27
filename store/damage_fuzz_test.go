package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
)

// smallDB is a one-record database: a model layer, alice's imported
// labels and her edits.
func smallDB(f *testing.F) string {
	dir := f.TempDir()
	path := filepath.Join(dir, "labels.db")
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	hea, _ := synthRecord(f, dir, "f1", 7, 3*time.Minute)
	if _, err := export.ImportAnnotations(db, hea, "atr", "alice", time.Now()); err != nil {
		f.Fatal(err)
	}
	id, err := store.HashRecord(hea)
	if err != nil {
		f.Fatal(err)
	}
	editAlice(f, db, id)
	return path
}

// FuzzOpenDamaged writes data over a small real database at offset off
// and opens, reads, writes, checks and salvages it as the commands and the
// window do: nothing may panic, a write may only happen to a file whose
// pages check out, and salvage may fail only saying the file is damaged
// (or, when the bytes that mark the file as ours changed, not ours).
func FuzzOpenDamaged(f *testing.F) {
	pristine := usedBytes(f, smallDB(f))
	ps := os.Getpagesize()
	for id := range len(pristine) / ps {
		f.Add(uint32(id*ps+8), []byte{0x10})          // page type
		f.Add(uint32(id*ps+10), []byte{0xff, 0x7f})   // element count
		f.Add(uint32(id*ps+16+8), []byte{1, 0, 0, 0}) // first element: a branch's child, a leaf's key size
		f.Add(uint32(id*ps+100), []byte("damage"))    // the body
	}
	f.Fuzz(func(t *testing.T, off uint32, data []byte) {
		file := bytes.Clone(pristine)
		copy(file[int(off)%len(file):], data)
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.db")
		if err := os.WriteFile(bad, file, 0o644); err != nil {
			t.Fatal(err)
		}
		c := damageCase{t: t, path: bad, name: "fuzz", quick: true}
		_ = c.readAll() // errors of a mutated value need not say damaged: no panic is the point
		rep, err := store.CheckDB(bad)
		if err != nil {
			return
		}
		if _, err := store.Salvage(bad, filepath.Join(dir, "salvaged.db")); err != nil && !errors.Is(err, store.ErrDBCorrupt) && !errors.Is(err, store.ErrNotDB) {
			t.Errorf("salvage: %v", err)
		}
		if db, err := store.OpenDB(bad, store.DBOptions{}); err == nil {
			db.Close()
			if len(rep.Pages) > 0 {
				t.Errorf("a file with damaged pages (%v) opened for writing", rep.Pages)
			}
		}
	})
}
