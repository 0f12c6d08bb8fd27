package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

func runImportAnn(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import-ann", stderr)
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	ext := fs.String("ext", "atr", "annotation file extension")
	at := fs.String("at", "reference", "where beats go: reference (as annotated) or detector (moved to the app's QRS detector's beat within 150 ms, for training sets cut where the app sees beats)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || sf.db == "" || sf.reader == "" {
		return fmt.Errorf("%w: ecgstation import-ann RECORD... --ext atr --reader NAME --db FILE [--at reference|detector]", errUsage)
	}
	var o export.AnnotationOptions
	switch *at {
	case "reference":
	case "detector":
		o.Positions = detectorPositions
	default:
		return fmt.Errorf("%w: --at %q: want reference or detector", errUsage, *at)
	}
	ldb, err := store.OpenDB(sf.db, store.DBOptions{})
	if err != nil {
		return err
	}
	defer ldb.Close()
	conflicts := 0
	for _, rec := range pos {
		res, moved, err := export.ImportAnnotationsWith(ldb, rec, *ext, annotate.ReaderID(sf.reader), time.Now(), o)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, res)
		if o.Positions != nil {
			fmt.Fprintf(stdout, "  %d beats moved to the detector's positions\n", moved)
		}
		conflicts += printConflicts(stdout, res.Conflicts)
	}
	if conflicts > 0 {
		fmt.Fprintf(stdout, "%d conflicts: the labels already in the database were kept\n", conflicts)
	}
	return nil
}

// detectorPositions runs the app's QRS detector over the record at path.
func detectorPositions(path string) ([]int64, error) {
	rec, err := wfdb.Open(path)
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(beats))
	for i, b := range beats {
		out[i] = b.Sample
	}
	return out, nil
}

// printConflicts lists conflicts, one a line, and returns how many.
func printConflicts(w io.Writer, cs []export.Conflict) int {
	for _, c := range cs {
		fmt.Fprintln(w, "  conflict:", c)
	}
	return len(cs)
}
