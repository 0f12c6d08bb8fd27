package store

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// The crash test re-runs this test binary as a child (crashChildEnv set)
// that edits a real database file and prints a line after every commit
// the store acknowledged; the parent SIGKILLs it at random moments and
// checks the file after each kill.
const (
	crashChildEnv = "ECGSTATION_CRASH_CHILD" // database path; set only in the child
	crashSeedEnv  = "ECGSTATION_CRASH_SEED"
	crashReader   = annotate.ReaderID("crash")
	crashBeats    = 2000
)

var crashKills = flag.Int("crash.kills", 0, "SIGKILLs in TestCrashRecovery (0: 60, or 15 with -short; make crashtest uses 200)")

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		if err := crashChild(path); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// digest is a hash of a whole label set.
func digest(ls annotate.LabelSet) string {
	raw, _ := json.Marshal(ls)
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:8])
}

// crashChild applies random edits until killed, printing
// "start REV DIGEST", then "try KIND" before and "ack REV DIGEST" after
// every commit.
func crashChild(path string) error {
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	r := rand.New(rand.NewPCG(seed, 7))
	db, err := OpenDB(path, DBOptions{LockTimeout: 5 * time.Second})
	if err != nil {
		return err
	}
	s, err := annotate.Open(db, testID(1), annotate.Options{Reader: crashReader})
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "start %d %s\n", s.Revision(), digest(s.Labels()))
	out.Flush()
	for {
		kind, err := crashEdit(r, s, out)
		if err != nil {
			return err
		}
		if kind != "" {
			fmt.Fprintf(out, "ack %d %s\n", s.Revision(), digest(s.Labels()))
			out.Flush()
		}
	}
}

// crashEdit applies one random command; it returns "" when the command was
// refused as expected (nothing to undo, no beat there) and changed nothing.
func crashEdit(r *rand.Rand, s *annotate.Session, out *bufio.Writer) (string, error) {
	beats := s.BeatsIn(0, 1<<40)
	at := func() int64 { return beats[r.IntN(len(beats))].Sample }
	rev := s.Revision()
	kind, do := "do", func() error { return nil }
	switch n := r.IntN(10); {
	case n < 3:
		kind, do = "undo", s.Undo
	case n == 3:
		kind, do = "redo", s.Redo
	case n == 4:
		do = func() error { return s.Insert(r.Int64N(700000), annotate.APC, "crash test") }
	case n == 5 && len(beats) > 0:
		do = func() error { return s.Delete([]int64{at()}, "") }
	case n == 6 && len(beats) > 0:
		do = func() error { return s.Move(at(), r.Int64N(700000), "") }
	case n == 7:
		do = func() error {
			_, err := s.SetEpisode(annotate.Episode{Start: r.Int64N(1000), End: 2000, Rhythm: "AFIB"}, "")
			return err
		}
	case len(beats) > 0:
		do = func() error { return s.Relabel([]int64{at(), at()}, annotate.PVC, "") }
	}
	fmt.Fprintf(out, "try %s\n", kind)
	out.Flush()
	err := do()
	for _, ok := range []error{annotate.ErrNoBeat, annotate.ErrBeatExists, annotate.ErrNothingToUndo, annotate.ErrNothingToRedo} {
		if errors.Is(err, ok) {
			return "", nil
		}
	}
	if err == nil && s.Revision() == rev {
		return "", nil // nothing to change (relabel to the same code)
	}
	return kind, err
}

// childLog is what the parent learnt from one child's output.
type childLog struct {
	startRev uint64
	acks     map[uint64]string // revision -> digest
	lastAck  uint64
	lastTry  string
	nAcks    int
}

func readChild(sc *bufio.Scanner, lg *childLog, stopAfter int, kill func()) {
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "try":
			lg.lastTry = f[1]
		case len(f) == 3 && (f[0] == "ack" || f[0] == "start"):
			rev, _ := strconv.ParseUint(f[1], 10, 64)
			lg.acks[rev], lg.lastAck = f[2], rev
			if f[0] == "start" {
				lg.startRev = rev
				continue
			}
			if lg.nAcks++; lg.nAcks == stopAfter {
				go kill()
			}
		}
	}
}

func TestCrashRecovery(t *testing.T) {
	kills := *crashKills
	if kills == 0 {
		kills = 60
		if testing.Short() {
			kills = 15
		}
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	newRecord(t, db, 1, crashBeats)
	mustDo(t, db.Close())
	r := rand.New(rand.NewPCG(42, 1))
	total := 0
	for k := range kills {
		lg := runChild(t, path, uint64(k), 1+r.IntN(40), time.Duration(r.IntN(3000))*time.Microsecond)
		total += lg.nAcks
		verifyAfterKill(t, path, lg, k)
	}
	t.Logf("crash test: %d SIGKILLs, %d acknowledged edits and undos, every one present after restart", kills, total)
}

// runChild starts a child, lets it acknowledge stopAfter commits, waits
// delay more, and kills it with SIGKILL.
func runChild(t *testing.T, path string, seed uint64, stopAfter int, delay time.Duration) *childLog {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path, crashSeedEnv+"="+strconv.FormatUint(seed, 10))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lg := &childLog{acks: map[uint64]string{}}
	readChild(bufio.NewScanner(stdout), lg, stopAfter, func() {
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
	})
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("child was not killed: %v", err)
	}
	return lg
}

// verifyAfterKill opens the database as the app would after a crash and
// checks that the last acknowledged state is there and that undo works.
func verifyAfterKill(t *testing.T, path string, lg *childLog, k int) {
	t.Helper()
	db, err := OpenDB(path, DBOptions{})
	if err != nil {
		t.Fatalf("kill %d: reopen: %v", k, err)
	}
	defer db.Close()
	ls, rev, err := db.Labels(testID(1), crashReader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := annotate.Open(db, testID(1), annotate.Options{Reader: crashReader})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case rev == lg.lastAck:
		if d := digest(ls); d != lg.acks[rev] {
			t.Fatalf("kill %d: revision %d holds %s, the child acknowledged %s", k, rev, d, lg.acks[rev])
		}
	case rev == lg.lastAck+1:
		// Committed but killed before the ack: stepping back must give
		// the acknowledged state.
		step, back := s.Undo, s.Redo
		if lg.lastTry == "undo" {
			step, back = s.Redo, s.Undo
		}
		mustDo(t, step())
		if d := digest(s.Labels()); d != lg.acks[lg.lastAck] {
			t.Fatalf("kill %d: one step back from the unacknowledged commit gives %s, want %s", k, d, lg.acks[lg.lastAck])
		}
		mustDo(t, back())
	default:
		t.Fatalf("kill %d: database at revision %d, last acknowledged %d", k, rev, lg.lastAck)
	}
	checkUndoRedo(t, s, k)
}

// checkUndoRedo checks that undo then redo returns to the same label set.
func checkUndoRedo(t *testing.T, s *annotate.Session, k int) {
	t.Helper()
	before := digest(s.Labels())
	if _, ok := s.CanUndo(); !ok {
		return
	}
	mustDo(t, s.Undo())
	if digest(s.Labels()) == before {
		t.Fatalf("kill %d: undo changed nothing", k)
	}
	mustDo(t, s.Redo())
	if d := digest(s.Labels()); d != before {
		t.Fatalf("kill %d: undo+redo gives %s, want %s", k, d, before)
	}
}
