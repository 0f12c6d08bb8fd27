package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store"
)

// asMainEnv makes the test binary run as the ecgstation program (TestMain).
const asMainEnv = "ECGSTATION_TEST_AS_MAIN"

// needORT skips t when ONNX Runtime is unavailable.
func needORT(t testing.TB) {
	t.Helper()
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	env.Close()
}

// synthArchive writes n synthetic records of the given duration ("2m")
// into two sub-folders of dir (seeds 1 to n) and returns their headers.
func synthArchive(t testing.TB, dir string, n int, dur string) []string {
	t.Helper()
	var recs []string
	for i := range n {
		out := filepath.Join(dir, fmt.Sprintf("site%d", i%2), fmt.Sprintf("rec%03d", i))
		var errs bytes.Buffer
		if code := run([]string{"synth", "--out", out, "--duration", dur, "--seed", strconv.Itoa(i + 1)}, io.Discard, &errs); code != 0 {
			t.Fatalf("synth %s: exit %d: %s", out, code, errs.String())
		}
		recs = append(recs, out+".hea")
	}
	return recs
}

// annotateLocal runs one "ecgstation annotate" over recs into a new label
// database in dir and returns its path.
func annotateLocal(t testing.TB, dir string, recs []string) string {
	t.Helper()
	db := filepath.Join(dir, "local.db")
	var errs bytes.Buffer
	args := append([]string{"annotate", "--db", db, "--out-dir", filepath.Join(dir, "ann"), "--quiet"}, recs...)
	if code := run(args, io.Discard, &errs); code != 0 {
		t.Fatalf("annotate: exit %d: %s", code, errs.String())
	}
	return db
}

// sameModelLayers fails t unless the database at got holds the records of
// the one at want, no more, each with the same model layer, label by label
// (provenance and probabilities included), made by the same models. It
// returns the number of records and beats compared.
func sameModelLayers(t testing.TB, want, got string) (records, beats int) {
	t.Helper()
	a, b := openRO(t, want), openRO(t, got)
	defer a.Close()
	defer b.Close()
	ra, err := a.Records()
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(ra) != len(rb) {
		t.Errorf("%s holds %d records, %s %d", got, len(rb), want, len(ra))
	}
	for _, r := range ra {
		beats += sameModelLayer(t, a, b, r)
	}
	return len(ra), beats
}

func openRO(t testing.TB, path string) *store.DB {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// sameModelLayer compares the model layers of record r in a and b and
// returns its number of beats.
func sameModelLayer(t testing.TB, a, b *store.DB, r store.RecordEntry) int {
	t.Helper()
	la, _, err := a.Labels(r.ID, store.ModelLayer)
	if err != nil {
		t.Fatal(err)
	}
	lb, _, err := b.Labels(r.ID, store.ModelLayer)
	if err != nil {
		t.Errorf("record %s: %v", r.Info.Name, err)
		return 0
	}
	wa, _ := a.LastModelRun(r.ID)
	wb, _ := b.LastModelRun(r.ID)
	if wa == "" || wa != wb {
		t.Errorf("record %s: model run %q, want %q", r.Info.Name, wb, wa)
	}
	if len(la.Beats) != len(lb.Beats) || len(la.Episodes) != len(lb.Episodes) || len(la.Noise) != len(lb.Noise) {
		t.Errorf("record %s: %d beats, %d episodes, %d noise; want %d, %d, %d", r.Info.Name,
			len(lb.Beats), len(lb.Episodes), len(lb.Noise), len(la.Beats), len(la.Episodes), len(la.Noise))
		return len(la.Beats)
	}
	for i := range la.Beats {
		if !reflect.DeepEqual(la.Beats[i], lb.Beats[i]) {
			t.Errorf("record %s beat %d: %+v, want %+v", r.Info.Name, i, lb.Beats[i], la.Beats[i])
			break
		}
	}
	if !reflect.DeepEqual(la.Episodes, lb.Episodes) || !reflect.DeepEqual(la.Noise, lb.Noise) {
		t.Errorf("record %s: episodes or noise differ:\n%+v %+v\nwant %+v %+v", r.Info.Name, lb.Episodes, lb.Noise, la.Episodes, la.Noise)
	}
	return len(la.Beats)
}

// shardLine matches a shard's summary line on stderr.
var shardLine = regexp.MustCompile(`(?m)^shard-\d+-of-\d+: (\d+) records: (\d+) annotated, (\d+) skipped \(done before\), (\d+) failed$`)

// shardCounts reads records, annotated, skipped and failed from a shard's
// stderr.
func shardCounts(t testing.TB, stderr string) [4]int {
	t.Helper()
	m := shardLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no shard summary in:\n%s", stderr)
	}
	var c [4]int
	for i := range c {
		c[i], _ = strconv.Atoi(m[i+1])
	}
	return c
}

// TestBatchShardsMatchAnnotate runs an archive of 7 short records and one
// bad file as 3 shards, merges the shards' bundles, and compares the
// merged database with one local annotate run, label by label, whether
// the merge reads the shards' databases or their bundles. The shard
// with the bad file lists it and exits 1; the others are whole. A rerun
// annotates nothing, and merging again changes nothing.
func TestBatchShardsMatchAnnotate(t *testing.T) {
	needORT(t)
	dir := t.TempDir()
	arch := filepath.Join(dir, "archive")
	recs := synthArchive(t, arch, 7, "2m")
	if err := os.WriteFile(filepath.Join(arch, "site1", "broken.hea"), []byte("junk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	local := annotateLocal(t, dir, recs)
	out := filepath.Join(dir, "out")
	var total [4]int
	for k := range 3 {
		var errs bytes.Buffer
		code := run([]string{"batch", "run", arch, "--out", out, "--shard", fmt.Sprintf("%d/3", k), "--quiet"}, io.Discard, &errs)
		c := shardCounts(t, errs.String())
		if want := min(c[3], 1); code != want {
			t.Errorf("shard %d: exit %d with %d failed, want %d:\n%s", k, code, c[3], want, errs.String())
		}
		if c[3] > 0 && !strings.Contains(errs.String(), "failed: "+filepath.Join(arch, "site1", "broken.hea")) {
			t.Errorf("shard %d does not list the bad file:\n%s", k, errs.String())
		}
		for i := range total {
			total[i] += c[i]
		}
	}
	if want := [4]int{8, 7, 0, 1}; total != want {
		t.Errorf("records, annotated, skipped, failed = %v, want %v", total, want)
	}
	merged := filepath.Join(dir, "merged.db")
	mergeShards(t, merged, out, 3, "7 label sets written, 0 unchanged, 0 conflicts")
	fromBundles := filepath.Join(dir, "bundles.db")
	mergeShards(t, fromBundles, out, 3, "7 label sets written, 0 unchanged, 0 conflicts", "--bundles-only")
	for _, db := range []string{merged, fromBundles} {
		if n, _ := sameModelLayers(t, local, db); n != 7 {
			t.Errorf("%s: %d records compared, want 7", filepath.Base(db), n)
		}
	}
	for k := range 3 {
		var errs bytes.Buffer
		run([]string{"batch", "run", arch, "--out", out, "--shard", fmt.Sprintf("%d/3", k), "--quiet"}, io.Discard, &errs)
		if c := shardCounts(t, errs.String()); c[1] != 0 {
			t.Errorf("shard %d rerun annotated %d records, want 0 (all done before)", k, c[1])
		}
	}
	mergeShards(t, merged, out, 3, "0 label sets written, 7 unchanged, 0 conflicts")
}

// mergeShards runs "batch merge" of the n shards in out into db (by
// default from the shards' databases, "--bundles-only" in flags: from
// their bundles) and checks that its summary says want.
func mergeShards(t testing.TB, db, out string, n int, want string, flags ...string) {
	t.Helper()
	var stdout, errs bytes.Buffer
	args := append([]string{"batch", "merge", "--db", db, "--tasks", strconv.Itoa(n)}, flags...)
	if code := run(append(args, out), &stdout, &errs); code != 0 {
		t.Fatalf("merge: exit %d:\n%s%s", code, stdout.String(), errs.String())
	}
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("merge says:\n%s\nwant %q", stdout.String(), want)
	}
}

// TestBatchMergeConflict: a record whose model layer in the database was
// made by another run (here: without the rhythm model) is a listed
// conflict, and the database's layer is kept.
func TestBatchMergeConflict(t *testing.T) {
	needORT(t)
	dir := t.TempDir()
	recs := synthArchive(t, filepath.Join(dir, "archive"), 1, "1m")
	out := filepath.Join(dir, "out")
	if code := run([]string{"batch", "run", recs[0], "--out", out, "--quiet"}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("batch run: exit %d", code)
	}
	other := filepath.Join(dir, "other.db")
	models := filepath.Join("..", "testdata", "models")
	if code := run([]string{"annotate", "--db", other, "--model", filepath.Join(models, "beat_small.onnx"),
		"--rhythm-model", filepath.Join(models, "rhythm_small.onnx"), "--out-dir", dir, "--quiet", recs[0]}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("annotate: exit %d", code)
	}
	var stdout bytes.Buffer
	if code := run([]string{"batch", "merge", "--db", other, out}, &stdout, io.Discard); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stdout.String())
	}
	for _, want := range []string{"conflict: rec000 model layer: here ", "example-beat@0.1.0", "incoming qrs@", "1 conflicts"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("merge does not say %q:\n%s", want, stdout.String())
		}
	}
}

// TestBatchResumeAfterKill kills a batch run (SIGKILL) after it finished
// a few records and runs it again: the second run annotates exactly the
// records the first did not finish, and the merge equals one local
// annotate run.
func TestBatchResumeAfterKill(t *testing.T) {
	needORT(t)
	dir := t.TempDir()
	arch := filepath.Join(dir, "archive")
	recs := synthArchive(t, arch, 8, "2m")
	out := filepath.Join(dir, "out")
	first := killAfter(t, 3, "batch", "run", arch, "--out", out, "--threads", "1")
	var errs bytes.Buffer
	if code := run([]string{"batch", "run", arch, "--out", out, "--quiet"}, io.Discard, &errs); code != 0 {
		t.Fatalf("rerun: exit %d: %s", code, errs.String())
	}
	c := shardCounts(t, errs.String())
	t.Logf("first run finished %d records before SIGKILL; the rerun annotated %d, skipped %d", first, c[1], c[2])
	if c[1] != len(recs)-first || c[2] != first {
		t.Errorf("rerun annotated %d and skipped %d; want %d and %d", c[1], c[2], len(recs)-first, first)
	}
	merged := filepath.Join(dir, "merged.db")
	mergeShards(t, merged, out, 1, "8 label sets written")
	sameModelLayers(t, annotateLocal(t, dir, recs), merged)
}

// killAfter runs the test binary as ecgstation with args, SIGKILLs it once
// its stdout has said n records' labels were stored, and returns how many
// records it finished by then (the complete model runs in its database).
func killAfter(t *testing.T, n int, args ...string) int {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(pipe)
	for seen := 0; seen < n && sc.Scan(); {
		if strings.Contains(sc.Text(), "  labels: ") {
			seen++
		}
	}
	_ = cmd.Process.Kill()
	_, _ = io.Copy(io.Discard, pipe)
	_ = cmd.Wait()
	db := openRO(t, filepath.Join(args[slices.Index(args, "--out")+1], "shard-0-of-1.db"))
	defer db.Close()
	recs, err := db.Records()
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, r := range recs {
		if who, _ := db.LastModelRun(r.ID); who != "" {
			done++
		}
	}
	return done
}

// TestShardPick: the shards of an archive are disjoint, cover it, and
// differ in size by one at most.
func TestShardPick(t *testing.T) {
	for _, tc := range []struct{ recs, n int }{{0, 1}, {1, 3}, {7, 3}, {20, 4}, {5, 5}, {3, 8}} {
		recs := make([]string, tc.recs)
		for i := range recs {
			recs[i] = fmt.Sprintf("r%03d", i)
		}
		var all []string
		lo, hi := tc.recs, 0
		for k := range tc.n {
			s := shardPick(recs, k, tc.n)
			all = append(all, s...)
			lo, hi = min(lo, len(s)), max(hi, len(s))
		}
		slices.Sort(all)
		if !slices.Equal(all, recs) || hi-lo > 1 {
			t.Errorf("%d records in %d shards: union %v, sizes %d to %d", tc.recs, tc.n, all, lo, hi)
		}
	}
}

// TestBatchArgs: wrong arguments get a message that says what is wrong and
// exit status 2.
func TestBatchArgs(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"batch"}, "usage"},
		{[]string{"batch", "go"}, `unknown batch command "go"`},
		{[]string{"batch", "run", dir}, "--out is missing"},
		{[]string{"batch", "run", dir, "--out", dir, "--shard", "3"}, `--shard "3": give K/N`},
		{[]string{"batch", "run", dir, "--out", dir, "--shard", "3/3"}, "shard 3 of 3: give N of 1 or more and K from 0 to N-1"},
		{[]string{"batch", "run", dir, "--out", dir, "--task-id", "1"}, "shard 1 of 0"},
		{[]string{"batch", "run", dir, "--out", dir, "--shard", "0/2", "--task-id", "1", "--tasks", "2"}, "--shard and --task-id: give one of them"},
		{[]string{"batch", "run", "--out", dir}, "no archive given"},
		{[]string{"batch", "merge", dir}, "usage"},
	} {
		var errs bytes.Buffer
		if code := run(tc.args, io.Discard, &errs); code != 2 || !strings.Contains(errs.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 saying %q", tc.args, code, errs.String(), tc.want)
		}
	}
}

// TestArchiveRecords: folders are walked for record files, a list file's
// relative paths are from its folder, and the result is sorted without
// repeats.
func TestArchiveRecords(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b/2.hea", "b/2.dat", "a/1.hea", "a/x.EDF", "a/notes.txt", "c/3.ecg"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list := filepath.Join(dir, "c", "list.txt")
	if err := os.WriteFile(list, []byte("# archive\n3.ecg\n\n"+filepath.Join(dir, "a/1.hea")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, bad, err := archiveRecords([]string{filepath.Join(dir, "b"), filepath.Join(dir, "a")}, list)
	if err != nil || len(bad) != 0 {
		t.Fatal(err, bad)
	}
	var want []string
	for _, f := range []string{"a/1.hea", "a/x.EDF", "b/2.hea", "c/3.ecg"} {
		want = append(want, filepath.Join(dir, f))
	}
	if !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
}

// TestBatchStoppedRuns: a record on which two runs stopped (their log of
// tries has its begin without an end, as a crash, a SIGKILL or a time
// limit leaves it) is listed as failed and not tried again; a record one
// run stopped on is tried again; the others are annotated.
func TestBatchStoppedRuns(t *testing.T) {
	needORT(t)
	dir := t.TempDir()
	recs := synthArchive(t, filepath.Join(dir, "archive"), 3, "1m")
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o700); err != nil {
		t.Fatal(err)
	}
	log := "begin\t" + recs[0] + "\nbegin\t" + recs[0] + "\nbegin\t" + recs[1] + "\nbegin\t" + recs[2] + "\nend\t" + recs[2] + "\n"
	if err := os.WriteFile(filepath.Join(out, "shard-0-of-1.tries"), []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	var errs bytes.Buffer
	code := run(append([]string{"batch", "run", "--out", out, "--quiet"}, recs...), io.Discard, &errs)
	if c := shardCounts(t, errs.String()); code != 1 || c != [4]int{3, 2, 0, 1} {
		t.Errorf("exit %d, records, annotated, skipped, failed %v; want 1, [3 2 0 1]:\n%s", code, c, errs.String())
	}
	if want := "failed: " + recs[0] + ": 2 runs stopped while on this record"; !strings.Contains(errs.String(), want) {
		t.Errorf("stderr does not say %q:\n%s", want, errs.String())
	}
}

// TestShardBundlesOfOneSubmission checks that merging a folder with
// --tasks N takes only that submission's shard bundles and names the
// missing ones, leaving out a bundle of another task count (a task re-run
// as shard 0 of 1, or an earlier submission into the same folder).
func TestShardBundlesOfOneSubmission(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"shard-0-of-3.ecgb", "shard-2-of-3.ecgb", "shard-0-of-1.ecgb", "other.ecgb"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		tasks         int
		bundles, miss []string
	}{
		{3, []string{"shard-0-of-3.ecgb", "shard-2-of-3.ecgb"}, []string{"shard-1-of-3.ecgb"}},
		{1, []string{"shard-0-of-1.ecgb"}, nil},
		{0, []string{"other.ecgb", "shard-0-of-1.ecgb", "shard-0-of-3.ecgb", "shard-2-of-3.ecgb"}, nil},
	} {
		b, m, err := shardBundles([]string{dir}, tc.tasks)
		if err != nil {
			t.Fatal(err)
		}
		base := func(ps []string) []string {
			var out []string
			for _, p := range ps {
				out = append(out, filepath.Base(p))
			}
			return out
		}
		if !slices.Equal(base(b), tc.bundles) || !slices.Equal(base(m), tc.miss) {
			t.Errorf("tasks %d: bundles %v, missing %v; want %v, %v", tc.tasks, base(b), base(m), tc.bundles, tc.miss)
		}
	}
}

// TestBatchMergeDamagedShardDB: a shard database that cannot be read
// (here junk), or that changed after its bundle was written, is named and
// its bundle read instead, so the merge still holds every record's model
// layer as the bundle has it.
func TestBatchMergeDamagedShardDB(t *testing.T) {
	needORT(t)
	dir := t.TempDir()
	recs := synthArchive(t, filepath.Join(dir, "archive"), 2, "1m")
	out := filepath.Join(dir, "out")
	if code := run([]string{"batch", "run", filepath.Join(dir, "archive"), "--out", out, "--quiet"}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("batch run: exit %d", code)
	}
	good := filepath.Join(dir, "good.db")
	mergeShards(t, good, out, 1, "2 label sets written")
	shardDB := filepath.Join(out, "shard-0-of-1.db")
	if err := os.WriteFile(shardDB, bytes.Repeat([]byte("junk"), 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	bst, err := os.Stat(filepath.Join(out, "shard-0-of-1.ecgb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		at   time.Time // the shard database's modification time
		want string
	}{
		{"damaged", bst.ModTime().Add(-time.Minute), "shard-0-of-1.db: "},
		{"changed after the bundle", bst.ModTime().Add(time.Minute), "shard-0-of-1.db changed after its bundle was written: reading the bundle"},
	} {
		if err := os.Chtimes(shardDB, c.at, c.at); err != nil {
			t.Fatal(err)
		}
		var stdout bytes.Buffer
		merged := filepath.Join(t.TempDir(), "merged.db")
		if code := run([]string{"batch", "merge", "--db", merged, out}, &stdout, io.Discard); code != 0 {
			t.Fatalf("%s: merge: exit %d:\n%s", c.name, code, stdout.String())
		}
		if !strings.Contains(stdout.String(), c.want) {
			t.Errorf("%s: merge does not say %q:\n%s", c.name, c.want, stdout.String())
		}
		if n, _ := sameModelLayers(t, good, merged); n != len(recs) {
			t.Errorf("%s: %d records compared, want %d", c.name, n, len(recs))
		}
	}
}
