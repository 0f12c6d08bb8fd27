package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// dayBeats is about a day of beats at 70 per minute.
const dayBeats = 100_000

// reportLatency reports the median and 99th percentile of per-op times.
func reportLatency(b *testing.B, d []time.Duration) {
	p50, p99 := percentiles(d)
	b.ReportMetric(float64(p50.Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(p99.Nanoseconds()), "p99-ns")
}

// BenchmarkCommit compares one reader edit (Session.Relabel on a record of
// a day of beats: label change, undo history, revision and audit entry in
// one bbolt Update) with a bare bbolt Update holding one Put, in the same
// run: on the same file (same sync settings), and on a file of its own.
// "interleaved" alternates the two on one file, edit then bare Put, so both
// see the same disk and CPU load; it reports each one's p50 and p99 and
// their ratios (edit/bare), the figure the 1.5x target is about.
func BenchmarkCommit(b *testing.B) {
	b.Run("interleaved", func(b *testing.B) {
		db, _ := openTestDB(b)
		s := editSession(b, db)
		bare := bareBucket(b, db.bolt)
		edit := make([]time.Duration, 0, b.N)
		put := make([]time.Duration, 0, b.N)
		var editWrites, putWrites int64 // page writes (bbolt TxStats.Write)
		writes := func() int64 { st := db.bolt.Stats(); return st.TxStats.GetWrite() }
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			w0 := writes()
			edit = append(edit, timeEdit(b, s, i))
			w1 := writes()
			put = append(put, timePut(b, db.bolt, bare, i))
			editWrites, putWrites = editWrites+w1-w0, putWrites+writes()-w1
		}
		b.ReportMetric(float64(editWrites)/float64(len(edit)), "edit-writes/op")
		b.ReportMetric(float64(putWrites)/float64(len(put)), "bare-writes/op")
		e50, e99 := percentiles(edit)
		p50, p99 := percentiles(put)
		b.ReportMetric(float64(e50.Nanoseconds()), "edit-p50-ns")
		b.ReportMetric(float64(e99.Nanoseconds()), "edit-p99-ns")
		b.ReportMetric(float64(p50.Nanoseconds()), "bare-p50-ns")
		b.ReportMetric(float64(p99.Nanoseconds()), "bare-p99-ns")
		b.ReportMetric(float64(e50)/float64(p50), "p50-ratio")
		b.ReportMetric(float64(e99)/float64(p99), "p99-ratio")
	})
	b.Run("reader-edit", func(b *testing.B) {
		db, _ := openTestDB(b)
		s := editSession(b, db)
		lat := make([]time.Duration, 0, b.N)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			lat = append(lat, timeEdit(b, s, i))
		}
		reportLatency(b, lat)
	})
	b.Run("bare-put-same-file", func(b *testing.B) {
		db, _ := openTestDB(b)
		newRecord(b, db, 1, dayBeats)
		bareLoop(b, db.bolt)
	})
	b.Run("bare-bolt-put", func(b *testing.B) {
		bdb, err := bolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o644, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer bdb.Close()
		bareLoop(b, bdb)
	})
}

// editSession opens reader "ann" on a new record of a day of model beats.
func editSession(b *testing.B, db *DB) *annotate.Session {
	id := newRecord(b, db, 1, dayBeats)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// timeEdit relabels one beat (V and S in turn) and returns how long the
// acknowledged commit took.
func timeEdit(b *testing.B, s *annotate.Session, i int) time.Duration {
	codes := []annotate.Code{annotate.PVC, annotate.APC}
	t0 := time.Now()
	mustDo(b, s.Relabel([]int64{1000 + int64(i%dayBeats)*300}, codes[i%2], ""))
	return time.Since(t0)
}

// bareBucket creates the bucket the bare Puts go to and returns its name.
func bareBucket(b *testing.B, bdb *bolt.DB) []byte {
	name := []byte("bare")
	mustDo(b, bdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(name); return err }))
	return name
}

// timePut times one bbolt Update that Puts one beat value.
func timePut(b *testing.B, bdb *bolt.DB, bucket []byte, i int) time.Duration {
	val := encodeBeat(nil, modelBeats(1)[0])
	t0 := time.Now()
	mustDo(b, bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).Put(sampleKey(int64(i%dayBeats)), val)
	}))
	return time.Since(t0)
}

// percentiles returns the median and 99th percentile of d (sorting it).
func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(d)
	return d[len(d)/2], d[len(d)*99/100]
}

// bareLoop times bbolt Updates that each Put one beat value.
func bareLoop(b *testing.B, bdb *bolt.DB) {
	bare := bareBucket(b, bdb)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		lat = append(lat, timePut(b, bdb, bare, i))
	}
	reportLatency(b, lat)
}

// BenchmarkBulkSaveModel saves 100,000 model labels (with five class
// probabilities each) as a record's model layer in one transaction.
func BenchmarkBulkSaveModel(b *testing.B) {
	db, _ := openTestDB(b)
	out := annotate.ModelOutput{Beats: modelBeats(dayBeats)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := freshRecord(b, db, &i)
		mustDo(b, db.SaveModelOutput(id, out, "beatnet@1"))
	}
	b.ReportMetric(float64(dayBeats)*float64(b.N)/b.Elapsed().Seconds(), "labels/s")
}

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// hundredDays returns a database file holding 100 records of a day of model
// labels each and a reader label set on each, made once per test binary.
func hundredDays(b *testing.B) string {
	fixtureOnce.Do(func() {
		if fixtureDir, fixtureErr = os.MkdirTemp("", "ecgstation-bench-"); fixtureErr != nil {
			return
		}
		path := filepath.Join(fixtureDir, "100days.db")
		db, err := OpenDB(path, DBOptions{})
		if err != nil {
			fixtureErr = err
			return
		}
		defer db.Close()
		for n := range 100 {
			id := newRecord(b, db, n, dayBeats)
			s, err := annotate.Open(db, id, annotate.Options{Reader: "ann", HideModel: true})
			if err == nil {
				err = s.SignOff("")
			}
			if err != nil {
				fixtureErr = fmt.Errorf("record %d: %w", n, err)
				return
			}
		}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return filepath.Join(fixtureDir, "100days.db")
}

// BenchmarkOpen100Records opens a database of 100 records of 24 h labels
// and lists the records with their status, as the app's start does.
func BenchmarkOpen100Records(b *testing.B) {
	path := hundredDays(b)
	fi, _ := os.Stat(path)
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
	b.ReportAllocs()
	for b.Loop() {
		db, err := OpenDB(path, DBOptions{})
		if err != nil {
			b.Fatal(err)
		}
		recs, err := db.Records()
		if err != nil || len(recs) != 100 {
			b.Fatalf("%d records, %v", len(recs), err)
		}
		mustDo(b, db.Close())
	}
}

// BenchmarkCheckPages walks every page of the 100-record database, as
// OpenDB does for files up to checkOnOpenMax and CheckDB for any.
func BenchmarkCheckPages(b *testing.B) {
	path := hundredDays(b)
	fi, _ := os.Stat(path)
	b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
	b.SetBytes(fi.Size())
	for b.Loop() {
		if probs, err := checkPages(path); err != nil || len(probs) > 0 {
			b.Fatalf("%v %v", probs, err)
		}
	}
}

// BenchmarkModelWriter writes a day of model beats through a ModelWriter
// in pieces of 350 (a 5-minute pipeline chunk), to compare with
// BenchmarkBulkSaveModel, which writes the same beats whole.
func BenchmarkModelWriter(b *testing.B) {
	db, _ := openTestDB(b)
	beats := modelBeats(dayBeats)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := freshRecord(b, db, &i)
		w, err := db.NewModelWriter(id)
		mustDo(b, err)
		for a := 0; a < len(beats); a += 350 {
			mustDo(b, w.Write(beats[a:min(a+350, len(beats))]))
		}
		mustDo(b, w.Commit(nil, nil, "beatnet@1"))
	}
	b.ReportMetric(float64(dayBeats)*float64(b.N)/b.Elapsed().Seconds(), "labels/s")
}

// freshRecord adds the next record (counted by *i) to db outside the
// timer, for a benchmark that writes a new record's model layer each time.
func freshRecord(b *testing.B, db *DB, i *int) annotate.RecordID {
	b.StopTimer()
	defer b.StartTimer()
	*i++
	id := testID(*i)
	mustDo(b, db.PutRecord(id, "x", testInfo))
	return id
}
