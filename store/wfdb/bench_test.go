package wfdb

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchRecord writes a 2-lead 250 Hz record of the given length (seconds) in
// format fm under dir and returns its header path and signal file size.
func benchRecord(b *testing.B, dir string, fm int, seconds int) (string, int64) {
	b.Helper()
	name := fmt.Sprintf("b%d_%d", fm, seconds)
	n := 250 * seconds
	w, err := Create(dir, name, testInfo(2), fm)
	if err != nil {
		b.Fatal(err)
	}
	const chunk = 250 * 3600
	sig := randomSignal(2, chunk, uint64(fm))
	rev := randomSignal(2, chunk, uint64(fm))
	for i := range rev { // sig then rev joins without a jump (format 8 steps)
		for k := range rev[i] {
			rev[i][k] = sig[i][chunk-1-k]
		}
	}
	for at, odd := 0, false; at < n; at, odd = at+chunk, !odd {
		k := min(chunk, n-at)
		part := sig
		if odd {
			part = rev
		}
		if err := w.Write([][]int32{part[0][:k], part[1][:k]}); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, name+".dat"))
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, name), st.Size()
}

// BenchmarkDecode reads a whole 1 h 2-lead 250 Hz record in 1-minute reads
// (MB/s of signal file), against plain ReadAt calls of the same byte ranges.
func BenchmarkDecode(b *testing.B) {
	dir := b.TempDir()
	for _, fm := range []int{16, 212} {
		path, size := benchRecord(b, dir, fm, 3600)
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		const chunk = 250 * 60
		b.Run(fmt.Sprintf("format%d", fm), func(b *testing.B) {
			dst := [][]int32{make([]int32, chunk), make([]int32, chunk)}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for at := int64(0); at < r.Info().NSamples; at += chunk {
					if _, err := r.Read(dst, at); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(fmt.Sprintf("format%d_ReadAt_baseline", fm), func(b *testing.B) {
			f, err := os.Open(path + ".dat")
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			step := size * chunk / r.Info().NSamples
			buf := make([]byte, step)
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for off := int64(0); off < size; off += step {
					f.ReadAt(buf, off)
				}
			}
		})
		r.Close()
	}
}

// BenchmarkStrip reads a 10 s strip from the middle of a 24 h record: the
// cost of showing one strip, independent of the record's length.
func BenchmarkStrip(b *testing.B) {
	dir := b.TempDir()
	for _, fm := range []int{16, 212, 8} {
		path, _ := benchRecord(b, dir, fm, 24*3600)
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		mid := r.Info().NSamples / 2
		b.Run(fmt.Sprintf("format%d_24h", fm), func(b *testing.B) {
			dst := [][]int32{make([]int32, 2500), make([]int32, 2500)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Read(dst, mid); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("format%d_24h_open_and_strip", fm), func(b *testing.B) {
			dst := [][]int32{make([]int32, 2500), make([]int32, 2500)}
			b.ReportAllocs()
			for b.Loop() {
				r2, err := Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r2.Read(dst, mid); err != nil {
					b.Fatal(err)
				}
				r2.Close()
			}
		})
		r.Close()
	}
}
