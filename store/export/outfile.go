package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/ecgstation/ecgstation/store/private"
)

// FileSum is a file of an export as the manifest lists it.
type FileSum struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // lower-case hex, as sha256sum prints it
}

// testWrap, when a test sets it, wraps the writer of every export file:
// the file layer where a test makes a write fail as a full disk does.
var testWrap func(name string, w io.Writer) io.Writer

// outFile is a file of the export being written into the staging folder:
// it hashes and counts what is written through it.
type outFile struct {
	e    *exporter
	name string
	f    *os.File
	w    io.Writer
	h    hash.Hash
	n    int64
}

// create makes the new file name (a plain file name) in the staging folder,
// with private.FileMode; O_EXCL never follows or reuses anything there.
func (e *exporter) create(name string) (*outFile, error) {
	if name != filepath.Base(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("export: %q is not a file name", name)
	}
	f, err := os.OpenFile(filepath.Join(e.outDir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, private.FileMode)
	if err != nil {
		return nil, err
	}
	o := &outFile{e: e, name: name, f: f, w: f, h: sha256.New()}
	if testWrap != nil {
		o.w = testWrap(name, f)
	}
	return o, nil
}

// Write implements io.Writer.
func (o *outFile) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	o.h.Write(p[:n])
	o.n += int64(n)
	if err != nil {
		return n, fmt.Errorf("write %s: %w", o.name, err)
	}
	return n, nil
}

// Close flushes the file to the disk, closes it and lists it for the
// manifest.
func (o *outFile) Close() error {
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", o.name, err)
	}
	o.e.written = append(o.e.written, FileSum{Name: o.name, Bytes: o.n, SHA256: hex.EncodeToString(o.h.Sum(nil))})
	return nil
}

// fileSHA256 returns the size and SHA-256 of the regular file at path.
func fileSHA256(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// syncDir flushes a folder's entries (new names, renames) to the disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
