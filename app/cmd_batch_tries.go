package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ecgstation/ecgstation/store/private"
)

// maxStops is how many runs may stop while on one record (a crash, a kill,
// a task's time limit) before the next run lists it as failed instead of
// trying it again, so one bad file never holds a shard up for good.
const maxStops = 2

// tries is a shard's log of the records it began and ended
// (shard-K-of-N.tries: "begin\tPATH" before a record starts, synced, and
// "end\tPATH" when it returns, done or failed). A begin without its end is
// a run that stopped on that record.
type tries struct {
	path    string
	f       *os.File
	stopped map[string]int // begins without an end, by record path
}

// openTries reads the log at path (none yet: empty) and opens it for
// appending.
func openTries(path string) (*tries, error) {
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("batch: %w", err)
	}
	t := &tries{path: path, stopped: map[string]int{}}
	for _, l := range strings.Split(string(b), "\n") {
		switch kind, rec, _ := strings.Cut(l, "\t"); kind {
		case "begin":
			t.stopped[rec]++
		case "end":
			t.stopped[rec] = 0
		}
	}
	if t.f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, private.FileMode); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	return t, nil
}

// tooMany says why rec is not tried again, or returns nil.
func (t *tries) tooMany(rec string) error {
	if n := t.stopped[rec]; n >= maxStops {
		return fmt.Errorf("%d runs stopped while on this record (a crash, a kill or a time limit): not tried again; "+
			"delete %s to try every record again", n, t.path)
	}
	return nil
}

// note appends "kind\trec" to the log and syncs it.
func (t *tries) note(kind, rec string) error {
	if _, err := fmt.Fprintf(t.f, "%s\t%s\n", kind, rec); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return t.f.Sync()
}

// Close closes the log.
func (t *tries) Close() error { return t.f.Close() }
