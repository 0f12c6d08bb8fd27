package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
)

// exportVersion is quoted in manifests and bundles.
const exportVersion = "dev"

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	d := export.DefaultOptions()
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	out := fs.String("out", "", "output directory (required)")
	records := fs.String("records", "", "comma-separated record ids, id prefixes, names or paths; default all")
	format := fs.String("format", "npz", "comma-separated: npz, csv, wfdb, edf")
	fs.Float64Var(&d.Fs, "fs", d.Fs, "sampling frequency of the beat windows, Hz")
	fs.Float64Var(&d.Before, "before", d.Before, "window before the R peak, s")
	fs.Float64Var(&d.After, "after", d.After, "window after the R peak, s")
	fs.StringVar(&d.Labels, "labels", d.Labels, "beat classes: aami (N S V F Q) or mit (WFDB symbols)")
	split := fs.String("split", "70,15,15", "train,val,test shares of the patients (each record one patient without --patients)")
	patients := fs.String("patients", "", "file of record,patient lines: one patient's records always share a split (e.g. mitdb 201 and 202)")
	fs.Uint64Var(&d.Seed, "seed", 0, "seed of the split and the balancing")
	balance := fs.String("balance", "none", "undersample:RATIO or cap:N (training split only)")
	fs.BoolVar(&d.ExcludeNoise, "exclude-noise", false, "leave out beats and segments in noise stretches")
	fs.BoolVar(&d.ReviewedOnly, "reviewed-only", false, "leave out model suggestions no reader confirmed")
	leads := fs.String("leads", "", "comma-separated lead indices; default all")
	fs.Float64Var(&d.Segment, "segment", d.Segment, "rhythm segment length, s (hop: half)")
	fs.IntVar(&d.MaxRR, "max-rr", d.MaxRR, "RR intervals per rhythm segment")
	rhythms := fs.String("rhythms", "AF=AFIB,AFL=AFL", "rhythm classes after OTHER: CLASS or CLASS=RHYTHM+RHYTHM")
	fs.StringVar(&d.AnnExt, "ann-ext", d.AnnExt, "extension of WFDB annotation files (--format wfdb)")
	fs.BoolVar(&d.Compress, "compress", false, "deflate the npz entries")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || sf.db == "" || *out == "" {
		return fmt.Errorf("%w: ecgstation export --db FILE --out DIR [options]", errUsage)
	}
	if err := exportFlags(&d, *records, sf.reader, *format, *split, *balance, *leads, *rhythms); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *patients != "" {
		if d.Patients, err = readPatients(*patients); err != nil {
			return err
		}
	}
	d.Version = exportVersion
	ldb, err := store.OpenDB(sf.db, store.DBOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ldb.Close()
	m, err := export.Export(ldb, *out, d)
	if err != nil {
		if errors.Is(err, export.ErrOption) {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		return err
	}
	printCounts(stdout, m)
	return nil
}

// exportFlags fills the options given as strings.
func exportFlags(d *export.Options, records, reader, format, split, balance, leads, rhythms string) error {
	var err error
	d.Records, d.Reader, d.Formats = splitList(records), annotate.ReaderID(reader), splitList(format)
	if d.Split, err = export.ParseSplit(split); err != nil {
		return err
	}
	if d.Balance, err = export.ParseBalance(balance); err != nil {
		return err
	}
	if d.Rhythms, err = export.ParseRhythms(rhythms); err != nil {
		return err
	}
	for _, s := range splitList(leads) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("--leads %q: %q is not a lead index", leads, s)
		}
		d.Leads = append(d.Leads, n)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// printCounts prints the class counts per split.
func printCounts(w io.Writer, m *export.Manifest) {
	fmt.Fprintf(w, "%d records, %d beats, %d rhythm segments\n", len(m.Records), m.Counts.NBeats, m.Counts.NSegs)
	fmt.Fprintf(w, "%-6s", "split")
	for _, c := range m.Labels.Classes {
		fmt.Fprintf(w, " %7s", c)
	}
	fmt.Fprintln(w)
	for _, s := range m.Labels.Splits {
		fmt.Fprintf(w, "%-6s", s)
		for _, c := range m.Labels.Classes {
			fmt.Fprintf(w, " %7d", m.Counts.Beats[s][c])
		}
		fmt.Fprintln(w)
	}
	for _, s := range m.Skipped {
		fmt.Fprintf(w, "skipped %s (%s): %s\n", s.Name, s.ID[:12], s.Why)
	}
}

// readPatients reads the --patients file (export.ParsePatients).
func readPatients(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: --patients: %v", errUsage, err)
	}
	defer f.Close()
	m, err := export.ParsePatients(f)
	if err != nil {
		return nil, fmt.Errorf("%w: --patients %s: %v", errUsage, path, err)
	}
	return m, nil
}
