package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// RegisterRecord opens the record file at path, computes its identity
// (store.HashRecord) and registers it (or its new path) in db.
func RegisterRecord(db *store.DB, path string) (annotate.RecordID, annotate.RecordInfo, error) {
	return registerAs(db, path, "")
}

// errOtherContent says a record file no longer holds the content a label
// set was made on.
var errOtherContent = errors.New("record file's content hash differs")

// registerAs registers the record at path when its content hash is want
// (any hash when want is ""), hashing it once.
func registerAs(db *store.DB, path string, want annotate.RecordID) (annotate.RecordID, annotate.RecordInfo, error) {
	r, err := store.Open(path)
	if err != nil {
		return "", annotate.RecordInfo{}, err
	}
	info := r.Signal.Info()
	r.Close()
	id, err := store.HashRecord(path)
	if err != nil {
		return "", info, err
	}
	if want != "" && id != want {
		return "", info, fmt.Errorf("register %s: %w", path, errOtherContent)
	}
	if err := db.PutRecord(id, path, info); err != nil {
		return "", info, err
	}
	return id, info, nil
}

// annotationPath is the WFDB annotation file ext of the record at path:
// the record's name (path without ".hea", or without the extension of a
// single-file record) with ".ext".
func annotationPath(path, ext string) string {
	base := strings.TrimSuffix(path, ".hea")
	if base == path {
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && filepath.Ext(path) != "" {
			base = strings.TrimSuffix(path, filepath.Ext(path))
		}
	}
	return base + "." + ext
}

// ImportAnnotations brings the WFDB annotation file ext of the record at
// path into db as labels of reader: beats and other point annotations,
// rhythm changes ('+', aux "(AFIB") as episodes, signal quality changes
// ('~') as noise stretches (wfdb.ToLabels), all with provenance reference
// from ext. The record is registered by its content hash. Labels the
// reader already has are merged as Merge says: importing the same file
// twice changes nothing, and differing reader labels are listed as
// conflicts, never overwritten.
func ImportAnnotations(db *store.DB, path, ext string, reader annotate.ReaderID, now time.Time) (MergeResult, error) {
	res, _, err := ImportAnnotationsWith(db, path, ext, reader, now, AnnotationOptions{})
	return res, err
}

// AnnotationOptions change what ImportAnnotationsWith brings in.
type AnnotationOptions struct {
	// Positions, when set, returns the record's beat positions (ascending
	// samples, such as the app's QRS detector gives); each imported beat
	// moves to the nearest of them within 150 ms (MoveBeats), so that a
	// training set is cut where the app will see the beats.
	Positions func(path string) ([]int64, error)
}

// ImportAnnotationsWith is ImportAnnotations with options; it also returns
// how many beats moved to the given positions.
func ImportAnnotationsWith(db *store.DB, path, ext string, reader annotate.ReaderID, now time.Time, o AnnotationOptions) (MergeResult, int, error) {
	if reader == "" {
		return MergeResult{}, 0, fmt.Errorf("import %s: %w", path, store.ErrNoReader)
	}
	id, info, err := RegisterRecord(db, path)
	if err != nil {
		return MergeResult{}, 0, fmt.Errorf("import %s: %w", path, err)
	}
	apath := annotationPath(path, ext)
	anns, err := wfdb.ReadAnnotations(apath)
	if err != nil {
		return MergeResult{}, 0, fmt.Errorf("import %s: %w", apath, err)
	}
	prov := annotate.Provenance{Source: annotate.SourceReference, Who: ext}
	l := wfdb.ToLabels(anns, info, prov)
	beats, eps, noise := l.Beats, l.Episodes, l.Noise
	moved := 0
	if o.Positions != nil {
		pos, err := o.Positions(path)
		if err != nil {
			return MergeResult{}, 0, fmt.Errorf("import %s: beat positions: %w", path, err)
		}
		beats, moved = MoveBeats(beats, pos, int64(0.15*info.Fs+0.5))
	}
	ls := annotate.LabelSet{Beats: oneBeatPerSample(beats)}
	for i, e := range eps {
		ls.Episodes = append(ls.Episodes, annotate.EpisodeEntry{ID: annotate.EpisodeID(i + 1), Episode: e})
	}
	for i, n := range noise {
		ls.Noise = append(ls.Noise, annotate.NoiseEntry{ID: annotate.NoiseID(i + 1), Noise: n})
	}
	res, err := Merge(db, Incoming{Record: id, Name: info.Name, Reader: reader, Labels: ls, From: filepath.Base(apath)}, now)
	return res, moved, err
}

// oneBeatPerSample keeps one label per sample position (the label DB keys
// beats by sample): a QRS code wins over a non-beat annotation at the same
// sample, else the first one stays. beats must be sorted by sample.
func oneBeatPerSample(beats []annotate.Beat) []annotate.Beat {
	out := beats[:0]
	for _, b := range beats {
		if k := len(out) - 1; k >= 0 && out[k].Sample == b.Sample {
			if !out[k].Code.IsBeat() && b.Code.IsBeat() {
				out[k] = b
			}
			continue
		}
		out = append(out, b)
	}
	return out
}
