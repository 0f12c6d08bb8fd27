package store

import (
	"bufio"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestDropMapped reads a model layer of 200,000 beats (several MB of
// file mapped in by the read), drops the mapped pages, and reads it
// again: the same labels come back. On Linux the process's file-backed
// resident memory falls by at least half of what the read mapped in.
func TestDropMapped(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 200_000)
	if err := db.DropMapped(); err != nil {
		t.Fatalf("DropMapped: %v", err)
	}
	unmapped := rssFile(t)
	before, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	size := mustSize(t, db)
	mapped := rssFile(t)
	read := mapped - unmapped
	if err := db.DropMapped(); err != nil {
		t.Fatalf("DropMapped: %v", err)
	}
	dropped := mapped - rssFile(t)
	after, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the model layer read after DropMapped differs from the one before (%d and %d beats)", len(before.Beats), len(after.Beats))
	}
	t.Logf("file %d kB; the read mapped in %d kB, DropMapped took out %d kB", size>>10, read, dropped)
	if runtime.GOOS == "linux" && dropped < read/2 {
		t.Errorf("DropMapped took %d kB out of the file-backed resident memory; the read mapped in %d kB", dropped, read)
	}
}

// mustSize returns the size of db's file in bytes.
func mustSize(t *testing.T, db *DB) int64 {
	t.Helper()
	fi, err := os.Stat(db.path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// rssFile returns the process's file-backed resident memory in kB
// (RssFile of /proc/self/status; 0 where there is none).
func rssFile(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("RssFile %q: %v", rest, err)
			}
			return kb
		}
	}
	return 0
}
