package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/ishne"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// ErrUnknownFormat is returned by Open for a file that is no record format
// ECG Station reads.
var ErrUnknownFormat = errors.New("not a record format ECG Station reads (WFDB .hea, EDF/EDF+ .edf, BDF .bdf, ISHNE .ecg)")

// Recording is a record file opened for reading, with the reference labels
// found beside it.
type Recording struct {
	Path   string          // the path that was opened
	Signal annotate.Signal // lazy sample access
	// Beats, Episodes and Noise are the reference labels read by
	// LoadReference from the preferred annotation file (WFDB "atr", or an
	// EDF+ file's own TAL annotations); nil until then, or when there is none.
	Beats    []annotate.Beat
	Episodes []annotate.Episode
	Noise    []annotate.Noise
	// RefExt names where the reference labels came from ("atr", "edf+", ...).
	RefExt string
	// AnnotationFiles lists every WFDB annotation file found beside the
	// record, by extension ("atr", "qrs", ...).
	AnnotationFiles []string
	closer          io.Closer
	load            func() error // reads the reference labels; nil when there are none
}

// Close releases the record's files.
func (r *Recording) Close() error {
	if r.closer == nil {
		return nil
	}
	return r.closer.Close()
}

// Open opens a record of any supported format, chosen by the file's first
// bytes and then its extension. A WFDB record may be named with or without
// ".hea". It finds the annotation files beside the record but does not read
// them: LoadReference does, so a window can show a long record's signal
// before its hundreds of thousands of reference beats are decoded.
func Open(path string) (*Recording, error) {
	kind, err := detect(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	switch kind {
	case "wfdb":
		return openWFDB(path)
	case "edf":
		return openEDF(path)
	default:
		return openISHNE(path)
	}
}

// detect names the format of the file at path: "wfdb", "edf" or "ishne".
func detect(path string) (string, error) {
	if strings.HasSuffix(path, ".hea") {
		return "wfdb", nil
	}
	head := make([]byte, 8)
	f, err := os.Open(path)
	if err != nil {
		if _, herr := os.Stat(path + ".hea"); herr == nil {
			return "wfdb", nil
		}
		return "", err
	}
	defer f.Close()
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("ISHNE1.0")):
		return "ishne", nil
	case bytes.Equal(head, []byte("0       ")), bytes.Equal(head, []byte("\xffBIOSEMI")):
		return "edf", nil
	}
	return "", ErrUnknownFormat
}

func openWFDB(path string) (*Recording, error) {
	rec, err := wfdb.Open(path)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(path, ".hea")
	r := &Recording{Path: path, Signal: rec, closer: rec}
	r.AnnotationFiles = findAnnotationFiles(base, signalFiles(rec.Header()))
	r.load = func() error { return r.loadWFDB(base) }
	return r, nil
}

// LoadReference reads the reference labels (Beats, Episodes, Noise, RefExt)
// from the preferred annotation file beside the record, or from an EDF+
// file's own annotations. It leaves them nil when there is none. It is not
// safe to call concurrently with reading those fields.
func (r *Recording) LoadReference() error {
	if r.load == nil {
		return nil
	}
	return r.load()
}

// loadWFDB reads the first annotation file, in order of preference, that
// decodes; a broken extra file does not stop the record from opening.
func (r *Recording) loadWFDB(base string) error {
	var first error
	for _, ext := range preferredRef(r.AnnotationFiles) {
		anns, err := wfdb.ReadAnnotations(base + "." + ext)
		if err != nil {
			first = cmp.Or(first, err)
			continue
		}
		prov := annotate.Provenance{Source: annotate.SourceReference, Who: ext}
		l := wfdb.ToLabels(anns, r.Signal.Info(), prov)
		r.Beats, r.Episodes, r.Noise = l.Beats, l.Episodes, l.Noise
		r.RefExt = ext
		return nil
	}
	return first
}

// knownAnnExt lists annotation file extensions in order of preference as the
// reference: expert annotations first, then machine ones.
var knownAnnExt = []string{"atr", "ari", "ecg", "qrs", "ann", "wqrs", "sqrs", "gqrsh", "gqrsl", "wabp"}

// findAnnotationFiles returns the extensions of the files base.EXT that are
// neither the header nor one of the record's signal files: WFDB keeps
// annotation files beside the record under the record's name.
func findAnnotationFiles(base string, signal map[string]bool) []string {
	matches, _ := filepath.Glob(base + ".*")
	var exts []string
	for _, m := range matches {
		ext := strings.TrimPrefix(filepath.Ext(m), ".")
		if ext == "hea" || signal[filepath.Base(m)] {
			continue
		}
		if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
			exts = append(exts, ext)
		}
	}
	sort.Strings(exts)
	return exts
}

// signalFiles names the signal files of a record's header (all segments'
// files are named in their own headers; only the top-level ones matter here).
func signalFiles(h *wfdb.Header) map[string]bool {
	m := map[string]bool{}
	for _, s := range h.Signals {
		m[s.File] = true
	}
	return m
}

// preferredRef orders found annotation extensions: known reference
// extensions first, in knownAnnExt order.
func preferredRef(found []string) []string {
	var out []string
	for _, k := range knownAnnExt {
		for _, f := range found {
			if f == k {
				out = append(out, f)
			}
		}
	}
	return out
}

func openEDF(path string) (*Recording, error) {
	f, err := edf.Open(path)
	if err != nil {
		return nil, err
	}
	r := &Recording{Path: path, Signal: f, closer: f}
	r.load = func() error {
		anns, err := f.Annotations()
		if err != nil || len(anns) == 0 {
			return err
		}
		r.Beats, r.Episodes = FromEDF(anns, f.Info().Fs)
		r.RefExt = "edf+"
		return nil
	}
	return r, nil
}

func openISHNE(path string) (*Recording, error) {
	f, err := ishne.Open(path)
	if err != nil {
		return nil, err
	}
	return &Recording{Path: path, Signal: f, closer: f}, nil
}
