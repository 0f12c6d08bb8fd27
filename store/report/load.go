// Package report makes ECG Station's record reports from the label
// database: the Holter-style PDF (summary figures, episode list, an ECG
// strip on a paper grid for each key event, who read the record and when it
// was signed off, and no patient data), signal snippets for the error
// browser's gallery, and the data its plots (package report/chart) draw.
//
//	d, err := report.Load(db, "100", "")      // record name, id, id prefix or path; reader: the signed-off one
//	rec, err := d.Open()                      // the record file, for strips
//	err = report.WritePDF(w, d, rec.Signal, report.DefaultOptions())
package report

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store"
)

// Errors of loading.
var (
	ErrNoRecord  = errors.New("report: no record matches")
	ErrAmbiguous = errors.New("report: more than one record matches")
	ErrNoReader  = errors.New("report: no reader's labels to report")
)

// Data is one record with one reader's labels and the model layer.
type Data struct {
	Entry  store.RecordEntry
	Reader annotate.ReaderID
	Rev    uint64            // the reader's label-set revision
	Labels annotate.LabelSet // the reader's
	Model  annotate.LabelSet // the model layer, empty when there is none
}

// Find returns the record s names: a record id, an id prefix of 8 or more
// hex digits, a record name, a last known path, or the path of a record
// file (found by its content hash).
func Find(db *store.DB, s string) (store.RecordEntry, error) {
	all, err := db.Records()
	if err != nil {
		return store.RecordEntry{}, err
	}
	var hits []store.RecordEntry
	for _, e := range all {
		id := string(e.ID)
		if id == s || (len(s) >= 8 && strings.HasPrefix(id, s)) || e.Info.Name == s || e.Path == s {
			hits = append(hits, e)
		}
	}
	if len(hits) == 0 {
		if e, ok := byContent(all, s); ok {
			return e, nil
		}
		return store.RecordEntry{}, fmt.Errorf("%w %q in %s (give a record id, an id prefix of 8+ digits, a name or a path)", ErrNoRecord, s, db.Path())
	}
	if len(hits) > 1 {
		return store.RecordEntry{}, fmt.Errorf("%w: %q names %d records (%s, %s...): give an id prefix", ErrAmbiguous, s, len(hits), hits[0].ID[:12], hits[1].ID[:12])
	}
	return hits[0], nil
}

// byContent finds the record whose file is at path s (or s.hea).
func byContent(all []store.RecordEntry, s string) (store.RecordEntry, bool) {
	for _, p := range []string{s, s + ".hea"} {
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			continue
		}
		id, err := store.HashRecord(p)
		if err != nil {
			continue
		}
		for _, e := range all {
			if e.ID == id {
				return e, true
			}
		}
	}
	return store.RecordEntry{}, false
}

// PickReader returns whose labels to report: want when given (it must have
// a label set), else the reader who signed off last, else the only reader.
func PickReader(e store.RecordEntry, want annotate.ReaderID) (annotate.ReaderID, error) {
	if want != "" {
		if slices.ContainsFunc(e.Readers, func(r store.ReaderEntry) bool { return r.Reader == want }) {
			return want, nil
		}
		return "", fmt.Errorf("%w: %s has no labels of reader %q", ErrNoReader, e.Info.Name, want)
	}
	var best *store.ReaderEntry
	for i, r := range e.Readers {
		if r.Status.State == annotate.StateSignedOff && (best == nil || r.Status.At.After(best.Status.At)) {
			best = &e.Readers[i]
		}
	}
	switch {
	case best != nil:
		return best.Reader, nil
	case len(e.Readers) == 1:
		return e.Readers[0].Reader, nil
	case len(e.Readers) == 0:
		return "", fmt.Errorf("%w: %s has no reader's labels yet", ErrNoReader, e.Info.Name)
	}
	return "", fmt.Errorf("%w: %s has %d readers and none signed off: name one", ErrNoReader, e.Info.Name, len(e.Readers))
}

// Load reads the record sel names with the labels of reader (see
// PickReader) and the model layer.
func Load(db *store.DB, sel string, reader annotate.ReaderID) (*Data, error) {
	e, err := Find(db, sel)
	if err != nil {
		return nil, err
	}
	return LoadEntry(db, e, reader)
}

// LoadEntry reads the labels of a record already found.
func LoadEntry(db *store.DB, e store.RecordEntry, reader annotate.ReaderID) (*Data, error) {
	r, err := PickReader(e, reader)
	if err != nil {
		return nil, err
	}
	d := &Data{Entry: e, Reader: r}
	if d.Labels, d.Rev, err = db.Labels(e.ID, r); err != nil {
		return nil, fmt.Errorf("report: load %s: %w", e.Info.Name, err)
	}
	if d.Model, _, err = db.Labels(e.ID, store.ModelLayer); err != nil {
		return nil, fmt.Errorf("report: load %s: %w", e.Info.Name, err)
	}
	return d, nil
}

// Input returns the reader's labels as the stats package takes them.
func (d *Data) Input() stats.Input { return stats.FromLabelSet(d.Entry.Info, d.Labels) }

// ModelInput returns the model layer's labels as the stats package takes them.
func (d *Data) ModelInput() stats.Input { return stats.FromLabelSet(d.Entry.Info, d.Model) }

// Open opens the record file at its last known path.
func (d *Data) Open() (*store.Recording, error) {
	r, err := store.Open(d.Entry.Path)
	if err != nil {
		return nil, fmt.Errorf("report: open %s (last known path of record %s): %w", d.Entry.Path, d.Entry.ID[:12], err)
	}
	return r, nil
}
