package wfdb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ten.dat", string(make([]byte, 20)))         // 10 frames of one format-16 signal
	secret := filepath.Join(t.TempDir(), "secret.dat") // a file outside the record's folder
	if err := os.WriteFile(secret, make([]byte, 20), 0o644); err != nil {
		t.Fatal(err)
	}
	up, err := filepath.Rel(dir, secret)
	if err != nil {
		t.Fatal(err)
	}
	for link, to := range map[string]string{"out.dat": secret, "in.dat": "ten.dat"} {
		if err := os.Symlink(to, filepath.Join(dir, link)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	cases := []struct {
		name, header string
		want         error
	}{
		{"truncated signal file", "r 1 250 11\nten.dat 16\n", ErrTruncated},
		{"exact length", "r 1 250 10\nten.dat 16\n", nil},
		{"missing signal file", "r 1 250 10\nnone.dat 16\n", fs.ErrNotExist},
		{"flac", "r 1 250 10\nten.dat 516\n", ErrFormat},
		{"two formats in one file", "r 2 250 1\nten.dat 16\nten.dat 212\n", ErrFormat},
		{"bad header", "r x\n", ErrBadHeader},
		{"multi-segment without layout file", "m/1 1 250 5\nnoseg 5\n", fs.ErrNotExist},
		{"signal file up and out", "r 1 250 10\n" + up + " 16\n", ErrPath},
		{"absolute signal file is the folder's", "r 1 250 10\n/ten.dat 16\n", nil},
		{"absolute signal file elsewhere is not read", "r 1 250 10\n" + secret + " 16\n", fs.ErrNotExist},
		{"symbolic link out of the folder is the user's own: followed", "r 1 250 10\nout.dat 16\n", nil},
		{"symbolic link inside the folder", "r 1 250 10\nin.dat 16\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			write("r.hea", c.header)
			r, err := Open(filepath.Join(dir, "r"))
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				r.Close()
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Open = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := Open(filepath.Join(dir, "absent.hea")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(absent) = %v", err)
	}
}

// TestMissingSegment: a segment whose files are missing fails only the
// reads that reach it, with an error naming it.
func TestMissingSegment(t *testing.T) {
	dir := t.TempDir()
	sig := randomSignal(1, 10, 1)
	writeChunks(t, dir, "s1", testInfo(1), 16, sig, []int{10})
	os.WriteFile(filepath.Join(dir, "m.hea"), []byte("m/3 1 250 30\ns1 10\ngone 10\n~ 10\n"), 0o644)
	r := mustOpen(t, filepath.Join(dir, "m"))
	dst := [][]int32{make([]int32, 10)}
	if n, err := r.Read(dst, 0); n != 10 || err != nil || dst[0][9] != sig[0][9] {
		t.Fatalf("first segment: %d %v", n, err)
	}
	if _, err := r.Read(dst, 10); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing segment: %v", err)
	}
	if n, err := r.ReadMarked(dst, 20); n != 10 || err != nil || dst[0][0] != InvalidSample {
		t.Fatalf("null segment: %d %v %v", n, err, dst[0][:2])
	}
}
