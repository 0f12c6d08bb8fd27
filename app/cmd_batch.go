package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
	"github.com/ecgstation/ecgstation/store/private"
)

// "ecgstation batch run" pre-annotates an archive one shard at a time, so
// a Slurm job array (app/batch/slurm) spreads it over a cluster; "batch
// merge" brings the shards' label bundles into one label database.
//
// A shard is every Nth record of the archive sorted by path, from the Kth:
// each task of an array takes its share without talking to the others.
// Each shard keeps a label database of its own in the output folder
// (shard-K-of-N.db), annotated record by record through the same code as
// "ecgstation annotate" (annotateRecord): each record's model layer is
// committed in one transaction, so a killed task loses at most the record
// it was on. A record whose content hash already has a complete model run
// by the same models (store.DB.LastModelRun) is skipped, so a rerun does
// nothing twice; one on which maxStops runs stopped (a crash, a kill, a
// time limit: shard-K-of-N.tries) is listed as failed, not tried again. At the end the shard writes its label bundle
// (shard-K-of-N.ecgb, the model layer of each of its records, with the
// record's path), by a rename, so a bundle is whole or absent.

// batchUsage is how the batch command is called.
const batchUsage = "ecgstation batch run ARCHIVE... --out DIR [--list FILE] [--shard K/N | --task-id K --tasks N] [--model F] [--rhythm-model F] [--threads N] [--ort-lib PATH] [--quiet]\n" +
	"       ecgstation batch merge --db FILE [--tasks N] [--replace] [--bundles-only] BUNDLE_OR_DIR..."

func runBatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, batchUsage)
	}
	switch args[0] {
	case "run":
		return runBatchRun(args[1:], stdout, stderr)
	case "merge":
		return runBatchMerge(args[1:], stdout, stderr)
	case "-h", "--help", "-help":
		fmt.Fprintln(stderr, "usage:", batchUsage)
		return flag.ErrHelp
	}
	return fmt.Errorf("%w: unknown batch command %q: %s", errUsage, args[0], batchUsage)
}

// batchOpts are the flags of "batch run".
type batchOpts struct {
	annotateOpts
	out, list string
	shard     string
	task, of  int
}

func runBatchRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("batch run", stderr)
	var o batchOpts
	fs.StringVar(&o.out, "out", "", "folder for the shard's label database and bundle (created if missing); required")
	fs.StringVar(&o.list, "list", "", "file listing records, one path a line (relative paths from the list's folder; # comments)")
	fs.StringVar(&o.shard, "shard", "", "K/N: take shard K (from 0) of N; default 0/1, the whole archive")
	fs.IntVar(&o.task, "task-id", -1, "the shard to take, as --shard K/N (a Slurm array's $SLURM_ARRAY_TASK_ID)")
	fs.IntVar(&o.of, "tasks", 0, "how many shards, with --task-id")
	fs.StringVar(&o.beat, "model", "", "beat model (ONNX file with the model contract); default: the built-in "+assets.BeatModelName)
	fs.StringVar(&o.rhythm, "rhythm-model", "", "rhythm model; default: the built-in "+assets.RhythmModelName)
	fs.IntVar(&o.threads, "threads", runtime.NumCPU(), "cores to use per record (a Slurm task: $SLURM_CPUS_PER_TASK)")
	o.add(fs, withORTLib|withQuiet)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	k, n, err := o.shardOf()
	if err != nil {
		return err
	}
	recs, bad, err := archiveRecords(pos, o.list)
	if err != nil {
		return err
	}
	o.noFiles = true
	return batchShard(shardPick(recs, k, n), bad, k, n, o, stdout, stderr)
}

// shardOf checks the flags and returns the shard to take, K of N.
func (o batchOpts) shardOf() (int, int, error) {
	why := ""
	k, n := 0, 1
	switch {
	case o.out == "":
		why = "--out is missing: give the folder for the shard's database and bundle"
	case o.threads < 1:
		why = fmt.Sprintf("--threads %d: give the number of cores to use, 1 or more", o.threads)
	case o.shard != "" && o.task >= 0:
		why = "--shard and --task-id: give one of them"
	case o.shard != "":
		a, b, ok := strings.Cut(o.shard, "/")
		var ea, eb error
		k, ea = strconv.Atoi(a)
		n, eb = strconv.Atoi(b)
		if !ok || ea != nil || eb != nil {
			why = fmt.Sprintf("--shard %q: give K/N, e.g. 3/10 (shard 3 of 10, counted from 0)", o.shard)
		}
	case o.task >= 0 || o.of != 0:
		k, n = o.task, o.of
	}
	if why == "" && (n < 1 || k < 0 || k >= n) {
		why = fmt.Sprintf("shard %d of %d: give N of 1 or more and K from 0 to N-1", k, n)
	}
	if why != "" {
		return 0, 0, fmt.Errorf("%s\n%w: %s", why, errUsage, batchUsage)
	}
	return k, n, nil
}

// shardPick returns every nth record from the kth: shards of equal size
// (within one), each a spread of the archive's sorted order.
func shardPick(recs []string, k, n int) []string {
	var out []string
	for i := k; i < len(recs); i += n {
		out = append(out, recs[i])
	}
	return out
}

// batchFailure is one record a shard could not annotate.
type batchFailure struct {
	path string
	err  error
}

// batchCounts sums a shard's run up.
type batchCounts struct {
	done, skipped int
	failed        []batchFailure
}

// batchShard annotates the records of shard k of n into the shard's
// database, skipping those done before, then writes its bundle. Records
// that fail (bad: those the archive walk could not read) are listed at
// the end; the error then says how many.
func batchShard(recs []string, bad []batchFailure, k, n int, o batchOpts, stdout, stderr io.Writer) error {
	if err := private.MkdirAll(o.out); err != nil {
		return fmt.Errorf("batch: --out: %w", err)
	}
	name := fmt.Sprintf("shard-%d-of-%d", k, n)
	db, err := store.OpenDB(filepath.Join(o.out, name+".db"), store.DBOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := modelsvc.New(o.modelConfig())
	defer svc.Close()
	ms, err := loadModels(svc, stderr)
	if err != nil {
		return err
	}
	tr, err := openTries(filepath.Join(o.out, name+".tries"))
	if err != nil {
		return err
	}
	defer tr.Close()
	fmt.Fprintf(stdout, "shard %d of %d: %d records; models: %s\n", k, n, len(recs), ms.describe(svc))
	c := batchCounts{failed: bad}
	o.hashed = map[string]annotate.RecordID{}
	if err := c.annotate(batchTodo(db, recs, ms.who(), tr, &c, o.hashed, stderr), o, ms, db, tr, stdout, stderr); err != nil {
		return err
	}
	// Every record of the shard's database with a complete run: this
	// run's and the earlier runs' that it skipped.
	err = writeBundleFile(db, filepath.Join(o.out, name+".ecgb"), export.BundleOptions{
		Version: exportVersion, Now: time.Now(), Model: true, Paths: true}, stdout)
	printBatchSummary(stderr, name, len(recs)+len(bad), c)
	switch {
	case err != nil:
		return err
	case len(c.failed) > 0:
		return fmt.Errorf("%d of %d records failed (listed above); rerun to retry them: the %d done are kept",
			len(c.failed), len(recs)+len(bad), c.done+c.skipped)
	case ms.beat == nil:
		return errWithoutModels
	}
	return nil
}

// annotate runs annotate's record path on each record, with progress and
// time left on stderr, counting those done and listing those that fail,
// each begun and ended in the shard's log of tries. An error writing the
// log ends the run.
func (c *batchCounts) annotate(todo []string, o batchOpts, ms *models, db *store.DB, tr *tries, stdout, stderr io.Writer) error {
	meter := newProgress(stderr, recordSizes(todo), o.quiet)
	for i, r := range todo {
		if err := tr.note("begin", r); err != nil {
			return err
		}
		meter.begin(i, filepath.Base(r))
		err := annotateSafely(r, o.annotateOpts, ms, db, stdout, meter)
		meter.end()
		if err := tr.note("end", r); err != nil {
			return err
		}
		if err != nil {
			c.failed = append(c.failed, batchFailure{r, err})
			continue
		}
		c.done++
	}
	return nil
}

// batchTodo hashes each record and returns those without a complete run
// by who in db, keeping their hashes in hashed so that annotating them
// does not read each record twice. Records that do not hash, and those on
// which runs stopped maxStops times (tr), are counted as failed.
func batchTodo(db *store.DB, recs []string, who string, tr *tries, c *batchCounts, hashed map[string]annotate.RecordID, stderr io.Writer) []string {
	fmt.Fprintf(stderr, "%d records: reading their content hashes to skip those done before\n", len(recs))
	var todo []string
	for _, r := range recs {
		id, err := store.HashRecord(r)
		if err != nil {
			c.failed = append(c.failed, batchFailure{r, err})
			continue
		}
		if last, err := db.LastModelRun(id); err == nil && last == who {
			c.skipped++
			continue
		}
		if err := tr.tooMany(r); err != nil {
			c.failed = append(c.failed, batchFailure{r, err})
			continue
		}
		todo = append(todo, r)
		hashed[r] = id
	}
	if c.skipped > 0 {
		fmt.Fprintf(stderr, "%d records already annotated by %s: skipped\n", c.skipped, who)
	}
	return todo
}

// annotateSafely is annotateRecord with a panic in a decoder turned into
// the record's error, so one bad file never ends the batch.
func annotateSafely(r string, o annotateOpts, ms *models, db *store.DB, stdout io.Writer, meter *progressMeter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: internal error: %v", r, p)
		}
	}()
	return annotateRecord(r, o, ms, db, stdout, meter)
}

// printBatchSummary says what a shard did and lists the records that failed.
func printBatchSummary(w io.Writer, name string, n int, c batchCounts) {
	fmt.Fprintf(w, "%s: %d records: %d annotated, %d skipped (done before), %d failed\n", name, n, c.done, c.skipped, len(c.failed))
	for _, f := range c.failed {
		fmt.Fprintf(w, "  failed: %s: %v\n", f.path, f.err)
	}
}

// recordExts are the extensions of the files that name a record in an
// archive folder (a WFDB record by its header).
var recordExts = []string{".hea", ".edf", ".bdf", ".ecg"}

// archiveRecords lists the records under the given files and folders and
// in the list file, sorted by path and without repeats. A folder is walked
// whole; a path that does not exist is returned as a failure, as is an
// unreadable folder.
func archiveRecords(args []string, list string) ([]string, []batchFailure, error) {
	if list != "" {
		more, err := readRecordList(list)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, more...)
	}
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("no archive given: name record folders or files, or --list FILE\n%w: %s", errUsage, batchUsage)
	}
	seen := map[string]bool{}
	var recs []string
	var bad []batchFailure
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			recs = append(recs, abs)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		switch {
		case err != nil && !errors.Is(err, os.ErrNotExist):
			bad = append(bad, batchFailure{a, err})
		case err != nil || !st.IsDir():
			add(a) // a WFDB record may be named without .hea; store.Open says what is wrong
		default:
			bad = append(bad, walkRecords(a, add)...)
		}
	}
	slices.Sort(recs)
	return recs, bad, nil
}

// walkRecords calls add with every record file under dir and returns the
// folders it could not read.
func walkRecords(dir string, add func(string)) []batchFailure {
	var bad []batchFailure
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			bad = append(bad, batchFailure{p, err})
			return nil
		case d.Type().IsRegular() && isRecordFile(p):
			add(p)
		}
		return nil
	})
	return bad
}

func isRecordFile(p string) bool {
	ext := strings.ToLower(filepath.Ext(p))
	for _, e := range recordExts {
		if ext == e {
			return true
		}
	}
	return false
}

// readRecordList reads a list file: one record path a line, relative
// paths from the list's folder, blank lines and # comments skipped.
func readRecordList(list string) ([]string, error) {
	b, err := os.ReadFile(list)
	if err != nil {
		return nil, fmt.Errorf("batch: --list: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if !filepath.IsAbs(l) {
			l = filepath.Join(filepath.Dir(list), l)
		}
		out = append(out, l)
	}
	return out, nil
}
