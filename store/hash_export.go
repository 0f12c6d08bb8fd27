package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// HashRecord returns the identity of the record file at path: the SHA-256
// of the bytes of every file that makes up the record, in a fixed order,
// each preceded by its length as a big-endian uint64. An EDF, BDF or ISHNE
// record is one file; a WFDB record is its header followed by its signal
// files in header order (each once), and for a multi-segment record each
// segment's header and signal files in segment order. Annotation files are
// not part of the record. A record moved or renamed keeps its identity
// (for WFDB, as long as its header is unchanged); one whose samples or
// header bytes changed gets another.
func HashRecord(path string) (annotate.RecordID, error) {
	files, err := recordFiles(path)
	if err != nil {
		return "", fmt.Errorf("hash record %s: %w", path, err)
	}
	h := sha256.New()
	for _, f := range files {
		if err := hashFile(h, f); err != nil {
			return "", fmt.Errorf("hash record %s: %w", path, err)
		}
	}
	return annotate.RecordID(hex.EncodeToString(h.Sum(nil))), nil
}

func hashFile(h io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(st.Size()))
	h.Write(n[:])
	got, err := io.Copy(h, f)
	if err == nil && got != st.Size() {
		err = fmt.Errorf("%s changed size while it was read", name)
	}
	return err
}

// recordFiles lists the files of the record at path, in hashing order.
func recordFiles(path string) ([]string, error) {
	kind, err := detect(path)
	if err != nil {
		return nil, err
	}
	if kind != "wfdb" {
		return []string{path}, nil
	}
	return wfdbFiles(strings.TrimSuffix(path, ".hea"), true)
}

// wfdbFiles lists a WFDB record's header and signal files; with segments,
// those of its segments as well (one level, as WFDB allows).
func wfdbFiles(base string, segments bool) ([]string, error) {
	hea := base + ".hea"
	f, err := os.Open(hea)
	if err != nil {
		return nil, err
	}
	h, err := wfdb.ParseHeader(hea, f)
	f.Close()
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(base)
	out := []string{hea}
	seen := map[string]bool{}
	for _, s := range h.Signals {
		if s.File != "~" && s.File != "" && !seen[s.File] {
			seen[s.File] = true
			out = append(out, filepath.Join(dir, s.File))
		}
	}
	if !segments {
		return out, nil
	}
	for _, sg := range h.Segments {
		if sg.Name == "~" {
			continue
		}
		more, err := wfdbFiles(filepath.Join(dir, sg.Name), false)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}
