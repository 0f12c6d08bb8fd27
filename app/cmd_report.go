package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
)

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	out := fs.String("out", "", "PDF file to write (required)")
	strips := fs.Int("strips", 12, "most ECG strips of key events")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || sf.db == "" || *out == "" || *strips < 0 {
		return fmt.Errorf("%w: ecgstation report RECORD --db FILE --out report.pdf [--reader NAME] [--strips N]", errUsage)
	}
	t0 := time.Now()
	ldb, d, err := reportLoad(sf.db, pos[0], annotate.ReaderID(sf.reader))
	if err != nil {
		return err
	}
	defer ldb.Close()
	rec, err := d.Open()
	if err != nil {
		return err
	}
	defer rec.Close()
	opt := report.DefaultOptions()
	opt.MaxStrips = *strips
	if err := reportWrite(*out, d, rec, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: report of %s (reader %s) in %.2f s\n", *out, d.Entry.Info.Name, d.Reader, time.Since(t0).Seconds())
	return nil
}

// reportLoad opens the label database read-only and loads a record.
func reportLoad(path, sel string, reader annotate.ReaderID) (*store.DB, *report.Data, error) {
	ldb, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	d, err := report.Load(ldb, sel, reader)
	if err != nil {
		ldb.Close()
		return nil, nil, err
	}
	return ldb, d, nil
}

// reportWrite writes the PDF to a temporary file and renames it into
// place, so a failed report never leaves half a file.
func reportWrite(out string, d *report.Data, rec *store.Recording, opt report.Options) error {
	err := writeFileAtomic(out, ".report-*.pdf", func(w io.Writer) error {
		return report.WritePDF(w, d, shownSignal(rec.Signal, d.Entry.Settings), opt) // the leads the reader sees
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
