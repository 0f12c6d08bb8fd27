package export

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ishne"
)

// millionBeats is the size of the streaming benchmark.
const millionBeats = 1_000_000

// bigRecord writes an ISHNE record (128 Hz, 2 leads) with a beat every 32
// samples (0.25 s), streaming, and puts the beats in as reader labels.
func bigRecord(b *testing.B, dir string, beats int) (*store.DB, annotate.RecordID) {
	b.Helper()
	n := int64(beats+8) * 32
	path := filepath.Join(dir, "big.ecg")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	h := ishne.Header{FileVersion: 1, Fs: 128, Leads: []ishne.LeadInfo{{Spec: ishne.LeadII, Resolution: 2500}, {Spec: ishne.LeadV5, Resolution: 2500}}}
	w, err := ishne.NewWriter(bw, h, ishne.Patient{}, n)
	if err != nil {
		b.Fatal(err)
	}
	chunk := [][]int32{make([]int32, 4096), make([]int32, 4096)}
	for at := int64(0); at < n; at += 4096 {
		m := int(min(4096, n-at))
		for l := range chunk {
			chunk[l] = chunk[l][:m]
			for i := range m {
				chunk[l][i] = testSample(int(at)+i, l)
			}
		}
		if err := w.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	bw.Flush()
	f.Close()
	db, err := store.OpenDB(filepath.Join(dir, "big.db"), store.DBOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ls := annotate.LabelSet{Beats: make([]annotate.Beat, beats)}
	codes := []annotate.Code{annotate.Normal, annotate.Normal, annotate.Normal, annotate.PVC, annotate.APC}
	for i := range ls.Beats {
		ls.Beats[i] = readerBeat(int64(i+4)*32, codes[i%len(codes)], "alice")
	}
	id := putLabels(b, db, path, "alice", ls)
	return db, id
}

// peakHeap samples runtime.MemStats.HeapInuse every 2 ms until stop.
func peakHeap(stop <-chan struct{}, wg *sync.WaitGroup, peak *atomic.Uint64) {
	defer wg.Done()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// BenchmarkExportMillion exports a million beats (x: 1M x 2 x 250
// float32 = 2 GB) and reports the peak heap in use during the export,
// next to the same number of bytes written with a bufio.Writer
// (baseline/write), measured in the same run. Run with -benchtime=1x.
func BenchmarkExportMillion(b *testing.B) {
	if testing.Short() {
		b.Skip("writes 2 GB")
	}
	dir := b.TempDir()
	db, _ := bigRecord(b, dir, millionBeats)
	defer db.Close()
	xBytes := int64(millionBeats) * 2 * 250 * 4
	b.Run("export", func(b *testing.B) {
		b.SetBytes(xBytes)
		for b.Loop() {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			before := ms.HeapInuse
			var peak atomic.Uint64
			var wg sync.WaitGroup
			stop := make(chan struct{})
			wg.Add(1)
			go peakHeap(stop, &wg, &peak)
			o := DefaultOptions()
			m, err := Export(db, filepath.Join(dir, "out"), o)
			close(stop)
			wg.Wait()
			if err != nil || m.Counts.NBeats < millionBeats-10 {
				b.Fatalf("export: %v", err)
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(before)/(1<<20), "heap-before-MB")
		}
	})
	b.Run("baseline/write", func(b *testing.B) {
		b.SetBytes(xBytes)
		buf := make([]byte, 2000)
		for b.Loop() {
			f, _ := os.Create(filepath.Join(dir, "raw"))
			w := bufio.NewWriterSize(f, 1<<16)
			for range millionBeats {
				w.Write(buf)
			}
			w.Flush()
			f.Close()
		}
	})
}
