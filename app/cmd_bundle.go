package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
)

func runBundleExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bundle-export", stderr)
	var sf sharedFlags
	sf.add(fs, withDB)
	out := fs.String("out", "", "bundle file to write (required), e.g. labels.ecgb")
	records := fs.String("records", "", "comma-separated record ids, id prefixes, names or paths; default all")
	readers := fs.String("readers", "", "comma-separated readers; default all")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || sf.db == "" || *out == "" {
		return fmt.Errorf("%w: ecgstation bundle-export --db FILE --out BUNDLE [--records ...] [--readers ...]", errUsage)
	}
	ldb, err := store.OpenDB(sf.db, store.DBOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ldb.Close()
	opt := export.BundleOptions{Records: splitList(*records), Version: exportVersion, Now: time.Now()}
	for _, r := range splitList(*readers) {
		opt.Readers = append(opt.Readers, annotate.ReaderID(r))
	}
	return writeBundleFile(ldb, *out, opt, stdout)
}

// writeBundleFile writes the bundle to a temporary file and renames it, so
// a failed export leaves no half bundle behind.
func writeBundleFile(db *store.DB, path string, opt export.BundleOptions, stdout io.Writer) error {
	var n int
	err := writeFileAtomic(path, ".bundle-*", func(w io.Writer) (err error) {
		n, err = export.WriteBundle(db, w, opt)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d label sets written to %s\n", n, path)
	return nil
}

func runBundleImport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bundle-import", stderr)
	var sf sharedFlags
	sf.add(fs, withDB)
	dirs := fs.String("records-dir", "", "comma-separated directories to find records this database does not know")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || sf.db == "" {
		return fmt.Errorf("%w: ecgstation bundle-import BUNDLE --db FILE [--records-dir DIR,...]", errUsage)
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	ldb, err := store.OpenDB(sf.db, store.DBOptions{})
	if err != nil {
		return err
	}
	defer ldb.Close()
	res, skipped, err := export.ImportBundle(ldb, f, export.ImportOptions{SearchDirs: splitList(*dirs), Now: time.Now(), From: filepath.Base(pos[0])})
	conflicts := 0
	for _, r := range res {
		fmt.Fprintln(stdout, r)
		conflicts += printConflicts(stdout, r.Conflicts)
	}
	for _, s := range skipped {
		fmt.Fprintf(stdout, "skipped %s (%s): %s\n", s.Name, s.ID[:12], s.Why)
	}
	if conflicts > 0 {
		fmt.Fprintf(stdout, "%d conflicts: the labels already in the database were kept\n", conflicts)
	}
	return err
}
