package store

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// LabelSetRef names one label set: a record and a reader (ModelLayer: the
// model layer).
type LabelSetRef struct {
	Record annotate.RecordID
	Name   string // the record's name, "" when its info cannot be read
	Reader annotate.ReaderID
}

// String names the label set for a person: "100 (3f2a9c0d1e4b) alice".
func (r LabelSetRef) String() string {
	who := string(r.Reader)
	if r.Reader == ModelLayer {
		who = "model layer"
	}
	return fmt.Sprintf("%s (%.12s) %s", r.Name, r.Record, who)
}

// LabelSetCheck is how one label set read.
type LabelSetCheck struct {
	LabelSetRef
	Err error // nil when it reads whole
}

// CheckReport is what CheckDB found in a label database file.
type CheckReport struct {
	Path        string
	Pages       []PageProblem   // damaged pages, with the bucket they belong to
	Unreachable int             // pages in no tree and not free (leaked, or cut off by a damaged page)
	Records     int             // records found
	LabelSets   []LabelSetCheck // every label set found, by record and reader
	Other       []string        // other things that cannot be read (record info, audit entries)
}

// Damaged reports whether anything in the file cannot be read.
func (r CheckReport) Damaged() bool {
	return len(r.Pages) > 0 || len(r.Other) > 0 || len(r.Unreadable()) > 0
}

// Unreadable returns the label sets that do not read whole.
func (r CheckReport) Unreadable() []LabelSetCheck {
	var out []LabelSetCheck
	for _, c := range r.LabelSets {
		if c.Err != nil {
			out = append(out, c)
		}
	}
	return out
}

// CheckDB reads every page, record, label set and audit entry of the label
// database at path, without writing to it, and reports what cannot be
// read. It returns an error only when it cannot look at the file at all
// (missing, locked by a writer, not a label database).
func CheckDB(path string) (CheckReport, error) {
	rep := CheckReport{Path: path}
	sv, err := openSurvey(path, &rep)
	if err != nil || sv == nil {
		return rep, err
	}
	defer sv.close()
	for _, id := range sv.ids() {
		sv.record(id, &rep)
	}
	return rep, nil
}

// rawKV is a key and value copied out of the file.
type rawKV struct{ k, v []byte }

// survey is a damaged file opened for reading: what the page walk found
// where bbolt cannot be trusted to go, and the file as a read-only DB
// whose every transaction recovers from damage.
type survey struct {
	db      *DB
	cand    map[annotate.RecordID]bool
	readers map[annotate.RecordID]map[annotate.ReaderID]bool
	audit   map[annotate.RecordID][]rawKV // audit entries on readable leaves
	paths   map[annotate.RecordID][]string
	unsafe  map[string]bool // buckets with a page bbolt would read garbage from, or loop on
}

// openSurvey walks the pages of path into rep and opens it read-only. It
// returns a nil survey (and no error) when bbolt cannot open the file at
// all; rep then says why.
func openSurvey(path string, rep *CheckReport) (*survey, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	sv := &survey{cand: map[annotate.RecordID]bool{}, readers: map[annotate.RecordID]map[annotate.ReaderID]bool{},
		audit: map[annotate.RecordID][]rawKV{}, paths: map[annotate.RecordID][]string{}, unsafe: map[string]bool{}}
	if err := sv.walk(path, rep); err != nil {
		return nil, err
	}
	db, err := openForSurvey(path)
	if errors.Is(err, ErrDBCorrupt) {
		rep.Other = append(rep.Other, err.Error())
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sv.db = db
	return sv, nil
}

func (sv *survey) close() { sv.db.Close() }

// walk checks every page and notes the records, readers, audit entries
// and paths on the readable leaves.
func (sv *survey) walk(path string, rep *CheckReport) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	w, err := walkPages(f, fi.Size(), sv.leaf)
	if err != nil {
		rep.Pages = append(rep.Pages, PageProblem{What: err.Error()})
		return nil
	}
	rep.Pages, rep.Unreachable = w.problems, w.unreachable()
	if w.pf.note != "" {
		rep.Other = append(rep.Other, w.pf.note)
	}
	for _, p := range w.problems {
		if p.unsafe {
			sv.unsafe[p.Bucket] = true
		}
	}
	return nil
}

// safe returns an error when reading one of the buckets (or the buckets
// under the last one) would take bbolt over a page whose header is right
// but whose content is not: bbolt does not notice, reads garbage, and can
// descend forever, which nothing can recover. The trees that lead to them
// (the top level, records/) are checked too.
func (sv *survey) safe(buckets ...[]string) error {
	for b := range sv.unsafe {
		if b == "" || b == string(bucketRecords) {
			return fmt.Errorf("%w: bucket %q has a damaged page; not read", ErrDBCorrupt, b)
		}
		for i, path := range buckets {
			name := bucketName(path)
			if b == name || i == len(buckets)-1 && strings.HasPrefix(b, name+"/") {
				return fmt.Errorf("%w: bucket %s has a damaged page; not read", ErrDBCorrupt, b)
			}
		}
	}
	return nil
}

// setBuckets are the buckets reading a label set goes through: the
// record's, then the set's own (and its sub-buckets); a reader's also the
// audit log.
func setBuckets(id annotate.RecordID, reader annotate.ReaderID) [][]string {
	rec := []string{string(bucketRecords), string(id)}
	if reader == ModelLayer {
		return [][]string{rec, append(rec, string(bucketModel))}
	}
	rs := append(slices.Clone(rec), string(bucketReaders))
	return [][]string{{string(bucketAudit)}, rec, rs, append(slices.Clone(rs), string(reader))}
}

// leaf notes one element of a readable leaf page.
func (sv *survey) leaf(bucket []string, e pageElem) {
	switch {
	case len(bucket) == 1 && bucket[0] == string(bucketRecords) && e.bucket:
		sv.cand[annotate.RecordID(e.key)] = true
	case len(bucket) == 3 && bucket[0] == string(bucketRecords) && bucket[2] == string(bucketReaders) && e.bucket:
		sv.addReader(annotate.RecordID(bucket[1]), annotate.ReaderID(e.key))
	case len(bucket) == 1 && bucket[0] == string(bucketPaths) && !e.bucket:
		id := annotate.RecordID(e.val)
		sv.paths[id] = append(sv.paths[id], string(e.key))
	case len(bucket) == 1 && bucket[0] == string(bucketAudit) && !e.bucket && len(e.key) > 32:
		id := annotate.RecordID(hex.EncodeToString(e.key[:32]))
		sv.cand[id] = true
		switch e.key[32] {
		case 'a':
			sv.audit[id] = append(sv.audit[id], rawKV{bytes.Clone(e.key), bytes.Clone(e.val)})
		case 'h':
			sv.addReader(id, annotate.ReaderID(e.key[33:]))
		}
	}
}

func (sv *survey) addReader(id annotate.RecordID, r annotate.ReaderID) {
	if r == ModelLayer {
		return // not a reader: a damaged key
	}
	if sv.readers[id] == nil {
		sv.readers[id] = map[annotate.ReaderID]bool{}
	}
	sv.readers[id][r] = true
}

// openForSurvey opens path read-only whatever its pages hold, refusing a
// file that is not an ECG Station database of this schema.
func openForSurvey(path string) (*DB, error) {
	var b *bolt.DB
	err := guarded(path, "open", func() (err error) {
		b, err = bolt.Open(path, 0, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
		return err
	})
	if err != nil {
		if errors.Is(err, ErrDBCorrupt) {
			return nil, err
		}
		return nil, openError(path, err)
	}
	db := &DB{bolt: b, path: path, readOnly: fmt.Errorf("%w: opened to check or salvage", ErrDBReadOnly)}
	var v uint64
	err = db.view("read the schema version", func(tx *bolt.Tx) (err error) {
		v, err = schemaVersion(tx)
		return err
	})
	switch {
	case errors.Is(err, ErrDBCorrupt):
		v = SchemaVersion // the meta bucket is damaged: read the rest as this build writes it
	case err != nil:
		b.Close()
		return nil, err
	}
	if v != SchemaVersion {
		b.Close()
		return nil, fmt.Errorf("store: check %s: schema %d: %w; this build checks and salvages schema %d only (open it with a matching ECG Station)",
			path, v, ErrDBNewer, SchemaVersion)
	}
	return db, nil
}

// ids returns the records found, from the page walk and from bbolt, sorted.
func (sv *survey) ids() []annotate.RecordID {
	if sv.safe() != nil {
		return sortedKeys(sv.cand)
	}
	_ = sv.db.view("list records", func(tx *bolt.Tx) error {
		if recs := tx.Bucket(bucketRecords); recs != nil {
			return recs.ForEachBucket(func(k []byte) error {
				sv.cand[annotate.RecordID(k)] = true
				return nil
			})
		}
		return nil
	})
	return sortedKeys(sv.cand)
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// recordRead is what could be read of one record.
type recordRead struct {
	id      annotate.RecordID
	info    []byte // raw info value, nil when there is none or it is unreadable
	name    string
	model   bool                                    // the record has a model layer
	readers []annotate.ReaderID                     // its readers, sorted
	snaps   map[annotate.ReaderID]annotate.Snapshot // the label sets that read whole (the model layer: Labels and Rev)
}

// record checks record id and adds what it found to rep.
func (sv *survey) record(id annotate.RecordID, rep *CheckReport) recordRead {
	rr := recordRead{id: id, snaps: map[annotate.ReaderID]annotate.Snapshot{}}
	if err := validID(id); err != nil {
		rep.Other = append(rep.Other, fmt.Sprintf("a record under a bad id: %v", err))
		return rr
	}
	rep.Records++
	if err := sv.structure(&rr); err != nil {
		rep.Other = append(rep.Other, fmt.Sprintf("record %.12s: %v", id, err))
	}
	sets := rr.readers
	if rr.model {
		sets = append([]annotate.ReaderID{ModelLayer}, sets...)
	}
	for _, reader := range sets {
		snap, err := sv.labelSet(id, reader)
		if err == nil {
			rr.snaps[reader] = snap
		}
		rep.LabelSets = append(rep.LabelSets, LabelSetCheck{LabelSetRef{id, rr.name, reader}, err})
	}
	rep.Other = append(rep.Other, sv.auditGaps(id)...)
	return rr
}

// structure reads the record's info, whether it has a model layer and who
// its readers are (from its bucket, its heads and the page walk).
func (sv *survey) structure(rr *recordRead) error {
	for r := range sv.readers[rr.id] {
		rr.readers = append(rr.readers, r)
	}
	rec := []string{string(bucketRecords), string(rr.id)}
	if err := sv.safe(rec, nil); err != nil { // nil: not the buckets under the record's
		return err
	}
	listReaders := sv.safe(append(rec, string(bucketReaders)), nil) == nil
	err := sv.db.view("read record "+string(rr.id), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rr.id)
		if err != nil {
			return err
		}
		rr.model = rb.Bucket(bucketModel) != nil
		rr.info = bytes.Clone(rb.Get(keyInfo))
		if rs := rb.Bucket(bucketReaders); rs != nil && listReaders {
			return rs.ForEachBucket(func(k []byte) error {
				if len(k) > 0 {
					rr.readers = append(rr.readers, annotate.ReaderID(k))
				}
				return nil
			})
		}
		return nil
	})
	slices.Sort(rr.readers)
	rr.readers = slices.Compact(rr.readers)
	if ri, ierr := decodeInfo(rr.info, []byte(rr.id)); ierr == nil {
		rr.name = ri.Info.Name
	} else {
		rr.info, err = nil, errors.Join(err, ierr)
	}
	return err
}

// labelSet reads one label set whole, as the window and the exports do.
func (sv *survey) labelSet(id annotate.RecordID, reader annotate.ReaderID) (annotate.Snapshot, error) {
	if err := sv.safe(setBuckets(id, reader)...); err != nil {
		return annotate.Snapshot{}, err
	}
	if reader == ModelLayer {
		ls, rev, err := sv.db.Labels(id, ModelLayer)
		return annotate.Snapshot{Labels: ls, Rev: rev}, err
	}
	return sv.db.Load(id, reader)
}

// auditGaps lists the record's audit entries that cannot be read: gaps in
// the sequence the page walk found, and entries that do not decode.
func (sv *survey) auditGaps(id annotate.RecordID) []string {
	var out []string
	next := uint64(1)
	for _, kv := range sv.audit[id] {
		a, err := decodeAudit(kv.k[33:], kv.v)
		if err != nil {
			out = append(out, fmt.Sprintf("record %.12s: audit entry %x: %v", id, kv.k[33:], err))
			continue
		}
		if a.Seq > next {
			out = append(out, fmt.Sprintf("record %.12s: audit entries %d to %d cannot be read", id, next, a.Seq-1))
		}
		next = a.Seq + 1
	}
	return out
}
