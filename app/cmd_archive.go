package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/private"
)

// archiveUsage is the archive command's synopsis.
const archiveUsage = "ecgstation archive --db FILE [--devices CSV] [--by record|device|site] " +
	"[--csv FILE|- --level record|segment|lead] [--segment 5m] [--reader NAME] [--quiet]\n" +
	"       " + archiveFitUsage

// archiveArgs are the archive command's options.
type archiveArgs struct {
	sf       sharedFlags
	devices  string
	by       string
	csv      string
	level    string
	segment  time.Duration
	tableSet bool // --by given: print the table even with --csv
}

func runArchive(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "fit" {
		return runArchiveFit(args[1:], stdout, stderr)
	}
	a, err := parseArchive(args, stderr)
	if err != nil {
		return err
	}
	opt := archive.Options{Me: annotate.ReaderID(a.sf.reader)}
	if a.level != "record" {
		opt.SegmentLen = a.segment
	}
	if a.devices != "" {
		if opt.Devices, err = archive.ReadDevicesFile(a.devices); err != nil {
			return fmt.Errorf("%w (the file needs a header row record,device[,site][,patient])", err)
		}
	}
	db, err := openArchiveDB(a.sf.db)
	if err != nil {
		return err
	}
	defer db.Close()
	t0 := time.Now()
	rows, segs, errs := archive.Summarise(db, opt, archiveProgress(stderr, a.sf.quiet))
	if err := writeArchive(a, rows, segs, stdout); err != nil {
		return err
	}
	if !a.sf.quiet {
		fmt.Fprintf(stderr, "archive: %d records summed up in %.2f s\n", len(rows), time.Since(t0).Seconds())
	}
	for _, e := range opt.Devices.Unmatched(rows) {
		fmt.Fprintf(stderr, "archive: %s line %d: %q names no record of the database\n", a.devices, e.Line, e.Record)
	}
	for _, e := range errs {
		fmt.Fprintln(stderr, "archive:", e)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d records could not be read (listed above); the others are in the output", len(errs), len(errs)+len(rows))
	}
	return nil
}

// parseArchive parses and checks the archive command's arguments.
func parseArchive(args []string, stderr io.Writer) (archiveArgs, error) {
	var a archiveArgs
	fl := newFlags("archive", stderr)
	a.sf.add(fl, withDB|withReader|withQuiet)
	fl.StringVar(&a.devices, "devices", "", "CSV naming each record's device, and optionally site and patient: "+
		"a header row record,device[,site][,patient]; record is a record's name, path, file name or id "+
		"(default: the EDF+ header's equipment, else the record's folder; patient: the record)")
	fl.StringVar(&a.by, "by", "record", "the table printed: one line per record, device or site")
	fl.StringVar(&a.csv, "csv", "", "write a tidy CSV table to FILE (- for standard output, then no table is printed)")
	fl.StringVar(&a.level, "level", "record", "rows of the CSV table: record, segment (record x segment) or lead (record x segment x lead noise)")
	fl.DurationVar(&a.segment, "segment", 5*time.Minute, "segment length of --level segment and lead")
	pos, err := parseFlags(fl, args)
	if err != nil {
		return a, err
	}
	fl.Visit(func(f *flag.Flag) { a.tableSet = a.tableSet || f.Name == "by" })
	switch {
	case len(pos) != 0 || a.sf.db == "":
		return a, fmt.Errorf("%w: %s", errUsage, archiveUsage)
	case a.by != "record" && a.by != archive.ByDevice && a.by != archive.BySite:
		return a, fmt.Errorf("%w: --by %q: want record, device or site", errUsage, a.by)
	case a.level != "record" && a.level != "segment" && a.level != "lead":
		return a, fmt.Errorf("%w: --level %q: want record, segment or lead", errUsage, a.level)
	case a.segment <= 0:
		return a, fmt.Errorf("%w: --segment %v: want a positive length such as 5m or 30s", errUsage, a.segment)
	}
	return a, nil
}

// openArchiveDB opens the label database read-only, saying clearly when
// there is none at path (OpenDB would say less).
func openArchiveDB(path string) (*store.DB, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no label database at %s: name an existing one with --db "+
			"(ecgstation batch, annotate --db or import-ann make one)", path)
	}
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return db, nil
}

// archiveProgress returns a progress callback that keeps one line on a
// terminal up to date; nil when quiet or not a terminal.
func archiveProgress(w io.Writer, quiet bool) func(done, total int) {
	if quiet || !isTerminal(w) {
		return nil
	}
	return func(done, total int) {
		fmt.Fprintf(w, "\rarchive: %d of %d records", done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// writeArchive prints the table and writes the CSV file the options ask
// for.
func writeArchive(a archiveArgs, rows []archive.Row, segs []archive.Segment, stdout io.Writer) error {
	if a.csv == "-" {
		return writeArchiveCSV(stdout, a.level, rows, segs)
	}
	if a.csv != "" {
		if err := writeFileAtomic(a.csv, ".archive-*.csv", func(w io.Writer) error { return writeArchiveCSV(w, a.level, rows, segs) }); err != nil {
			return err
		}
		if !a.tableSet {
			return nil
		}
	}
	if a.by == "record" {
		return printArchiveRecords(stdout, rows)
	}
	return printArchiveGroups(stdout, a.by, archive.GroupBy(rows, a.by))
}

// writeArchiveCSV writes the tidy table of the level.
func writeArchiveCSV(w io.Writer, level string, rows []archive.Row, segs []archive.Segment) error {
	switch level {
	case "segment":
		return archive.WriteSegmentsCSV(w, segs)
	case "lead":
		return archive.WriteLeadNoiseCSV(w, segs)
	}
	return archive.WriteRecordsCSV(w, rows)
}

// writeFileAtomic writes a temporary file (named like pattern) beside path,
// syncs it and renames it into place, so a failure never leaves half a
// file at path.
func writeFileAtomic(path, pattern string, write func(io.Writer) error) error {
	f, err := private.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	err = write(f)
	if err == nil {
		err = f.Sync() // whole on disk before the rename makes it the file
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// printArchiveRecords prints one aligned line per record.
func printArchiveRecords(w io.Writer, rows []archive.Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "record\tdevice\tsite\tpatient\thours\tnoise %\tbeats\tN\tS\tV\tF\tQ\tAF %\tlabels\tstate\tagree %\tkappa\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, dash(r.Device), dash(r.Site), r.Patient,
			fixed(r.Hours, 2), fixed(r.MeanNoisePct(), 1), r.Beats, classCells(r.Counts),
			fixed(r.AFPct, 1), archive.LabelSetName(r.LabelSet), r.State, fixed(r.AgreePct, 1), fixed(r.Kappa, 3))
	}
	return tw.Flush()
}

// printArchiveGroups prints one aligned line per device or site.
func printArchiveGroups(w io.Writer, by string, gs []archive.Group) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\trecords\tpatients\thours\tnoise %%\tbeats\tN\tS\tV\tF\tQ\tAF %%\treviewed\tpairs\tagree %%\tkappa\t\n", by)
	for _, g := range gs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t%s\t%s\t\n", dash(g.Key), g.Records, g.Patients,
			fixed(g.Hours, 2), fixed(g.NoisePct, 1), g.Beats, classCells(g.Counts), fixed(g.AFPct, 1),
			g.Reviewed, g.AgreePairs, fixed(g.AgreePct, 1), fixed(g.Kappa, 3))
	}
	return tw.Flush()
}

// classCells returns the beats by AAMI class as tab-separated cells.
func classCells(c [annotate.ClassQ + 1]int) string {
	var s []string
	for _, k := range annotate.Classes {
		s = append(s, strconv.Itoa(c[k]))
	}
	return strings.Join(s, "\t")
}

// fixed formats x with prec decimals, "-" for NaN.
func fixed(x float64, prec int) string {
	if math.IsNaN(x) {
		return "-"
	}
	return strconv.FormatFloat(x, 'f', prec, 64)
}

// dash returns s, or "-" when empty.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
