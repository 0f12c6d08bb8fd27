package export

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// Errors of bundle reading; a *BundleError wraps one of them.
var (
	ErrNotBundle       = errors.New("not an ECG Station label bundle")
	ErrBundleNewer     = errors.New("label bundle written by a newer ECG Station")
	ErrBundleLine      = errors.New("bad bundle line")
	ErrBundleOrder     = errors.New("bundle line out of place")
	ErrBundleTruncated = errors.New("label bundle ends inside a label set")
	ErrBundleCount     = errors.New("label set does not hold what its end line counts")
)

// maxBundleLine bounds one line of a bundle (a beat with its model
// probabilities is well under 1 KiB).
const maxBundleLine = 1 << 20

// BundleError says where a bundle is wrong: file, line (from 1), what.
type BundleError struct {
	File string
	Line int
	Err  error
}

// Error implements error.
func (e *BundleError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *BundleError) Unwrap() error { return e.Err }

// BundleSet is one reader label set of a bundle.
type BundleSet struct {
	Record   annotate.RecordID
	Name     string
	Fs       float64
	NSamples int64
	Leads    int
	Reader   annotate.ReaderID // store.ModelLayer ("") in a model layer set
	Rev      uint64
	Labels   annotate.LabelSet
	// Model marks the model layer set of a version 2 bundle; Who names the
	// run that made it, Path is where the record was (empty unless the
	// writer asked for paths).
	Model     bool
	Who, Path string
	// ModelLeads are the leads the model run read (nil: not stated, as
	// in bundles written before they were: the record's default leads).
	ModelLeads []int
}

// ReadBundle parses a bundle (gzip-compressed or plain) and calls fn with
// each label set as soon as its end line is read. name is used in errors.
func ReadBundle(r io.Reader, name string, fn func(BundleSet) error) error {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return &BundleError{name, 0, fmt.Errorf("%w: %v", ErrNotBundle, err)}
		}
		defer gz.Close()
		br = bufio.NewReader(gz)
	}
	p := bundleParser{fn: fn}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 4096), maxBundleLine)
	for sc.Scan() {
		p.line++
		if err := p.parse(sc.Bytes()); err != nil {
			return &BundleError{name, p.line, err}
		}
	}
	if err := sc.Err(); err != nil {
		return &BundleError{name, p.line + 1, fmt.Errorf("%w: %v", ErrBundleLine, err)}
	}
	switch {
	case p.line == 0 || !p.header:
		return &BundleError{name, p.line, fmt.Errorf("%w: empty file", ErrNotBundle)}
	case p.set != nil:
		return &BundleError{name, p.line, ErrBundleTruncated}
	}
	return nil
}

// bundleParser holds the state between lines.
type bundleParser struct {
	fn       func(BundleSet) error
	line     int
	header   bool
	set      *BundleSet
	lastBeat int64
	lastTomb int64
}

func (p *bundleParser) parse(raw []byte) error {
	var l bundleLine
	if err := json.Unmarshal(raw, &l); err != nil {
		if !p.header {
			return fmt.Errorf("%w: %v", ErrNotBundle, err)
		}
		return fmt.Errorf("%w: %v", ErrBundleLine, err)
	}
	if !p.header {
		return p.head(l)
	}
	if l.T == "set" {
		return p.begin(l)
	}
	if p.set == nil {
		return fmt.Errorf("%w: %q line outside a label set", ErrBundleOrder, l.T)
	}
	switch l.T {
	case "b":
		return p.beat(l)
	case "d":
		return p.tomb(l)
	case "e":
		return p.episode(l)
	case "n":
		return p.noise(l)
	case "end":
		return p.end(l)
	}
	return fmt.Errorf("%w: unknown line type %q", ErrBundleLine, l.T)
}

func (p *bundleParser) head(l bundleLine) error {
	switch {
	case l.T != "bundle" || l.Format != BundleFormat:
		return fmt.Errorf("%w: first line is not a bundle header", ErrNotBundle)
	case l.Version > BundleVersion:
		return fmt.Errorf("%w: version %d, this build reads up to %d", ErrBundleNewer, l.Version, BundleVersion)
	case l.Version < 1:
		return fmt.Errorf("%w: version %d", ErrBundleLine, l.Version)
	}
	p.header = true
	return nil
}

func (p *bundleParser) begin(l bundleLine) error {
	if p.set != nil {
		return fmt.Errorf("%w: label set starts before the previous one ended", ErrBundleOrder)
	}
	if !validHex64(l.Record) {
		return fmt.Errorf("%w: record id %q is not 64 lower-case hex digits", ErrBundleLine, l.Record)
	}
	model := l.Layer == LayerModel
	switch {
	case l.Layer != "" && !model:
		return fmt.Errorf("%w: unknown layer %q", ErrBundleLine, l.Layer)
	case model && (l.Reader != "" || l.Who == ""):
		return fmt.Errorf("%w: model layer set with reader %q or without who made it", ErrBundleLine, l.Reader)
	}
	if (l.Reader == "" && !model) || l.State > uint8(annotate.StateSignedOff) || !finite(l.Fs) || l.Fs < 0 || l.NSamples < 0 || l.Leads < 0 {
		return fmt.Errorf("%w: label set header (reader %q, state %d, fs %g, nsamples %d)", ErrBundleLine, l.Reader, l.State, l.Fs, l.NSamples)
	}
	st := annotate.Status{State: annotate.State(l.State), By: annotate.ReaderID(l.By)}
	if l.At != "" {
		at, err := time.Parse(time.RFC3339Nano, l.At)
		if err != nil {
			return fmt.Errorf("%w: sign-off time: %v", ErrBundleLine, err)
		}
		st.At = at
	}
	p.set = &BundleSet{Record: annotate.RecordID(l.Record), Name: l.Name, Fs: l.Fs, NSamples: l.NSamples, Leads: l.Leads,
		Reader: annotate.ReaderID(l.Reader), Rev: l.Rev, Labels: annotate.LabelSet{Status: st},
		Model: model, Who: l.Who, Path: l.Path, ModelLeads: l.ModelLeads}
	p.lastBeat, p.lastTomb = -1, -1
	return nil
}

func validHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// prov checks and builds the provenance of an item line.
func prov(l bundleLine) (annotate.Provenance, error) {
	if l.Src > uint8(annotate.SourceAdapted) || l.R > uint8(annotate.Changed) || !finite(float64(l.Conf)) {
		return annotate.Provenance{}, fmt.Errorf("%w: source %d, review %d or confidence %g out of range", ErrBundleLine, l.Src, l.R, l.Conf)
	}
	return annotate.Provenance{Source: annotate.Source(l.Src), Who: l.Who, Confidence: l.Conf, Probs: l.P}, nil
}

func (p *bundleParser) beat(l bundleLine) error {
	pv, err := prov(l)
	if err != nil {
		return err
	}
	c, ok := annotate.ParseSymbol(l.C)
	if !ok {
		return fmt.Errorf("%w: beat at %d: unknown code %q", ErrBundleLine, l.S, l.C)
	}
	if l.S <= p.lastBeat || l.S < 0 {
		return fmt.Errorf("%w: beat at %d after beat at %d", ErrBundleOrder, l.S, p.lastBeat)
	}
	p.lastBeat = l.S
	p.set.Labels.Beats = append(p.set.Labels.Beats, annotate.Beat{Sample: l.S, Code: c, Chan: l.Ch,
		Flags: annotate.BeatFlags(l.F), Prov: pv, Review: annotate.Review(l.R)})
	return nil
}

func (p *bundleParser) tomb(l bundleLine) error {
	if l.S <= p.lastTomb || l.S < 0 {
		return fmt.Errorf("%w: deleted beat at %d after %d", ErrBundleOrder, l.S, p.lastTomb)
	}
	p.lastTomb = l.S
	p.set.Labels.Deleted = append(p.set.Labels.Deleted, annotate.Tomb{Sample: l.S, By: annotate.ReaderID(l.By)})
	return nil
}

func (p *bundleParser) episode(l bundleLine) error {
	pv, err := prov(l)
	if err != nil {
		return err
	}
	if l.ID == 0 || l.Start < 0 || l.End <= l.Start || l.Rhythm == "" {
		return fmt.Errorf("%w: episode %d [%d, %d) %q", ErrBundleLine, l.ID, l.Start, l.End, l.Rhythm)
	}
	p.set.Labels.Episodes = append(p.set.Labels.Episodes, annotate.EpisodeEntry{ID: annotate.EpisodeID(l.ID), Deleted: l.Del,
		Episode: annotate.Episode{Start: l.Start, End: l.End, Rhythm: l.Rhythm, Prov: pv, Review: annotate.Review(l.R)}})
	return nil
}

func (p *bundleParser) noise(l bundleLine) error {
	pv, err := prov(l)
	if err != nil {
		return err
	}
	if l.ID == 0 || l.Start < 0 || l.End <= l.Start || l.Lead == nil || *l.Lead < -1 {
		return fmt.Errorf("%w: noise %d [%d, %d)", ErrBundleLine, l.ID, l.Start, l.End)
	}
	p.set.Labels.Noise = append(p.set.Labels.Noise, annotate.NoiseEntry{ID: annotate.NoiseID(l.ID), Deleted: l.Del,
		Noise: annotate.Noise{Start: l.Start, End: l.End, Lead: *l.Lead, Reason: l.Reason, Prov: pv}})
	return nil
}

func (p *bundleParser) end(l bundleLine) error {
	s := p.set
	got := [4]int64{int64(len(s.Labels.Beats)), int64(len(s.Labels.Deleted)), int64(len(s.Labels.Episodes)), int64(len(s.Labels.Noise))}
	if want := [4]int64{l.Beats, l.Deleted, l.Episodes, l.Noise}; got != want {
		return fmt.Errorf("%w: beats, deleted, episodes, noise %v, end line says %v", ErrBundleCount, got, want)
	}
	p.set = nil
	return p.fn(*s)
}

// ImportOptions configure ImportBundle.
type ImportOptions struct {
	// SearchDirs are looked in for the files of records this database
	// does not know yet, by record name (NAME, NAME.hea, NAME.edf ...).
	SearchDirs []string
	Now        time.Time
	From       string // bundle name for messages and the audit log
	// ReplaceModel lets an incoming model layer replace a complete run of
	// another model (re-annotating an archive with a newer model) instead
	// of being a conflict. Reader label sets are never replaced.
	ReplaceModel bool
}

// ImportBundle merges every label set of a bundle into db (see Merge).
// Model layer sets go in by MergeModel. A set whose record is neither in
// db nor found in opt.SearchDirs or at the set's path is skipped and listed.
func ImportBundle(db *store.DB, r io.Reader, opt ImportOptions) ([]MergeResult, []Skipped, error) {
	var res []MergeResult
	var skipped []Skipped
	err := ReadBundle(r, opt.From, func(s BundleSet) error {
		ok, err := ensureRecord(db, s, opt.SearchDirs)
		if err != nil {
			return err
		}
		if !ok {
			skipped = append(skipped, Skipped{ID: string(s.Record), Name: s.Name,
				Why: fmt.Sprintf("record not in this database, not found in --records-dir nor at its path with the same content; %s not imported", setName(s))})
			return nil
		}
		in := Incoming{Record: s.Record, Name: s.Name, Reader: s.Reader, Labels: s.Labels, From: "bundle " + opt.From}
		var m MergeResult
		if s.Model {
			m, err = MergeModel(db, in, ModelRun{Who: s.Who, Leads: s.ModelLeads, Replace: opt.ReplaceModel})
		} else {
			m, err = Merge(db, in, opt.Now)
		}
		res = append(res, m)
		return err
	})
	return res, skipped, err
}

// ensureRecord reports whether db knows the set's record, registering it
// from a file in dirs, or at the set's path, whose content hash matches.
func ensureRecord(db *store.DB, s BundleSet, dirs []string) (bool, error) {
	if _, err := db.Record(s.Record); err == nil {
		return true, nil
	} else if !errors.Is(err, store.ErrNoRecord) {
		return false, err
	}
	if s.Path != "" {
		if _, _, err := registerAs(db, s.Path, s.Record); err == nil {
			return true, nil
		}
	}
	for _, d := range dirs {
		for _, c := range []string{s.Name, s.Name + ".hea", s.Name + ".edf", s.Name + ".bdf", s.Name + ".ecg"} {
			path := filepath.Join(d, c)
			if s.Name == "" || filepath.Base(c) != c {
				continue
			}
			if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
				continue
			}
			if id, err := store.HashRecord(path); err == nil && id == s.Record {
				_, _, err := RegisterRecord(db, path)
				return err == nil, err
			}
		}
	}
	return false, nil
}
