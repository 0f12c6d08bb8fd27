package edf

import (
	"os"
	"path/filepath"
	"testing"
)

// benchFile writes a 1-hour, 2-lead, 256 Hz file with 1-s data records.
func benchFile(b *testing.B, bdf bool) string {
	b.Helper()
	sig := func(l string) SignalSpec { return ecgSig(l, 256) }
	if bdf {
		sig = func(l string) SignalSpec { return bdfSig(l, 256) }
	}
	s := Spec{BDF: bdf, Start: t0, RecordDuration: 1, Signals: []SignalSpec{sig("ECG I"), sig("ECG II")}}
	path := filepath.Join(b.TempDir(), "bench.edf")
	if err := WriteFile(path, s, records(s, 3600, nil)); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkDecode reads the whole file in 1-minute strips: "raw" reads
// the data bytes with ReadAt only (the baseline), "read" decodes them with
// File.Read. Both report MB/s of file data; their ratio is the cost of
// decoding.
func BenchmarkDecode(b *testing.B) {
	for _, kind := range []struct {
		name string
		bdf  bool
	}{{"EDF16", false}, {"BDF24", true}} {
		path := benchFile(b, kind.bdf)
		f, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		data := f.h.nrec * f.h.recSize
		b.Run(kind.name+"/raw", func(b *testing.B) { benchRaw(b, f, data) })
		b.Run(kind.name+"/read", func(b *testing.B) { benchRead(b, f, data) })
		f.Close()
	}
}

func benchRaw(b *testing.B, f *File, data int64) {
	fh, err := os.Open(f.name)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	buf := make([]byte, 60*f.h.recSize)
	b.SetBytes(data)
	b.ReportAllocs()
	for b.Loop() {
		for off := int64(0); off < data; off += int64(len(buf)) {
			if _, err := fh.ReadAt(buf[:min(int64(len(buf)), data-off)], f.h.hdrSize+off); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchRead(b *testing.B, f *File, data int64) {
	const strip = 60 * 256
	dst := [][]int32{make([]int32, strip), make([]int32, strip)}
	n := f.Info().NSamples
	b.SetBytes(data)
	b.ReportAllocs()
	for b.Loop() {
		for pos := int64(0); pos < n; pos += strip {
			if _, err := f.Read(dst, pos); err != nil {
				b.Fatal(err)
			}
		}
	}
}
