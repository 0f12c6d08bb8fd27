package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
)

// runBatchMerge imports the shards' bundles into one label database: each
// record's model layer comes in whole, a record that already has another
// run's is a listed conflict (the database's is kept), or with --replace
// is replaced. With --tasks N a
// folder must hold every shard-K-of-N.ecgb; a missing one is named and the
// exit status says so, after the others are merged.
func runBatchMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("batch merge", stderr)
	var sf sharedFlags
	sf.add(fs, withDB)
	tasks := fs.Int("tasks", 0, "how many shards the run had: check that a folder holds every shard's bundle")
	bundlesOnly := fs.Bool("bundles-only", false, "read every shard's bundle even where its database lies beside it (by default a shard-K-of-N.db beside shard-K-of-N.ecgb is read instead: the same labels, about 3 times faster)")
	replace := fs.Bool("replace", false, "a shard's model layer replaces another model's complete run (re-annotating an archive with a newer model); reader labels are never replaced")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || sf.db == "" || *tasks < 0 {
		return fmt.Errorf("%w: %s", errUsage, batchUsage)
	}
	bundles, missing, err := shardBundles(pos, *tasks)
	if err != nil {
		return err
	}
	db, err := store.OpenDB(sf.db, store.DBOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	t := mergeTotals{replace: *replace, bundlesOnly: *bundlesOnly}
	for i, b := range bundles {
		fmt.Fprintf(stderr, "bundle %d/%d %s\n", i+1, len(bundles), filepath.Base(b))
		if err := t.merge(db, b, stdout); err != nil {
			t.failed = append(t.failed, batchFailure{b, err})
		}
	}
	return t.report(stdout, len(bundles), missing)
}

// shardBundles lists the bundles named (files) or found in the folders
// named (*.ecgb); with tasks > 0 a folder gives only its shard-K-of-N
// bundles of that N (a bundle of another submission there, with another
// task count, is left out) and the shard bundles it lacks.
func shardBundles(args []string, tasks int) (bundles, missing []string, err error) {
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, fmt.Errorf("batch merge: %w", err)
		}
		if !st.IsDir() {
			bundles = append(bundles, a)
			continue
		}
		if tasks <= 0 {
			found, err := filepath.Glob(filepath.Join(a, "*.ecgb"))
			if err != nil {
				return nil, nil, err
			}
			bundles = append(bundles, found...)
			continue
		}
		for k := range tasks {
			p := filepath.Join(a, fmt.Sprintf("shard-%d-of-%d.ecgb", k, tasks))
			if _, err := os.Stat(p); err != nil {
				missing = append(missing, p)
			} else {
				bundles = append(bundles, p)
			}
		}
	}
	return bundles, missing, nil
}

// mergeTotals sums up a merge of bundles.
type mergeTotals struct {
	added, unchanged, conflicts, skipped int
	failed                               []batchFailure
	replace                              bool // ImportOptions.ReplaceModel
	bundlesOnly                          bool // never read a shard's database
}

// merge imports one bundle, or the shard database beside it, printing
// each label set's result and conflict.
func (t *mergeTotals) merge(db *store.DB, path string, stdout io.Writer) error {
	opt := export.ImportOptions{Now: time.Now(), From: filepath.Base(path), ReplaceModel: t.replace}
	res, skipped, done, err := t.mergeShardDB(db, path, opt, stdout)
	if !done {
		res, skipped, err = importBundleFile(db, path, opt)
	}
	for _, s := range skipped {
		fmt.Fprintf(stdout, "skipped %s (%.12s): %s\n", s.Name, s.ID, s.Why)
	}
	t.skipped += len(skipped)
	for _, r := range res {
		fmt.Fprintln(stdout, r)
		t.conflicts += printConflicts(stdout, r.Conflicts)
		switch {
		case r.Added > 0 || r.Updated > 0:
			t.added++
		case len(r.Conflicts) == 0:
			t.unchanged++
		}
	}
	return err
}

// mergeShardDB merges the shard database beside bundle path
// (shard-K-of-N.db beside shard-K-of-N.ecgb) and reports whether it did;
// false, with a note, when there is none, it changed after the bundle was
// written (a later run, which the bundle named does not hold), or it
// cannot be opened or read (the bundle is then read).
func (t *mergeTotals) mergeShardDB(db *store.DB, path string, opt export.ImportOptions, stdout io.Writer) ([]export.MergeResult, []export.Skipped, bool, error) {
	dbPath := strings.TrimSuffix(path, ".ecgb") + ".db"
	if t.bundlesOnly || dbPath == path {
		return nil, nil, false, nil
	}
	dst, err1 := os.Stat(dbPath)
	bst, err2 := os.Stat(path)
	if err1 != nil || err2 != nil {
		return nil, nil, false, nil
	}
	if dst.ModTime().After(bst.ModTime()) {
		fmt.Fprintf(stdout, "%s changed after its bundle was written: reading the bundle\n", filepath.Base(dbPath))
		return nil, nil, false, nil
	}
	shard, err := store.OpenDB(dbPath, store.DBOptions{ReadOnly: true, LockTimeout: 2 * time.Second})
	if err != nil {
		fmt.Fprintf(stdout, "%s: %v; reading the bundle instead\n", filepath.Base(dbPath), err)
		return nil, nil, false, nil
	}
	defer shard.Close()
	opt.From = filepath.Base(dbPath)
	res, skipped, err := export.MergeShard(db, shard, opt)
	if err != nil {
		// What went in stays; the bundle brings the rest (merging twice
		// changes nothing).
		fmt.Fprintf(stdout, "%s: %v; reading the bundle instead\n", filepath.Base(dbPath), err)
		return nil, nil, false, nil
	}
	return res, skipped, true, nil
}

// importBundleFile imports the bundle at path.
func importBundleFile(db *store.DB, path string, opt export.ImportOptions) ([]export.MergeResult, []export.Skipped, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return export.ImportBundle(db, f, opt)
}

// report prints the totals and returns an error when a bundle was missing,
// failed, or held a record that could not be registered.
func (t *mergeTotals) report(w io.Writer, n int, missing []string) error {
	fmt.Fprintf(w, "merged %d bundles: %d label sets written, %d unchanged, %d conflicts (the database's labels kept), %d skipped\n",
		n, t.added, t.unchanged, t.conflicts, t.skipped)
	for _, m := range missing {
		fmt.Fprintf(w, "  missing: %s (its task failed or has not run: rerun it, then merge again)\n", m)
	}
	for _, f := range t.failed {
		fmt.Fprintf(w, "  failed: %s: %v\n", f.path, f.err)
	}
	if len(missing)+len(t.failed)+t.skipped > 0 {
		return fmt.Errorf("%d bundles missing, %d failed, %d label sets skipped (listed above)", len(missing), len(t.failed), t.skipped)
	}
	return nil
}
