package wfdb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzHeader: parsing never panics, failures are *ParseError, and a parsed
// header keeps the invariants readers rely on.
func FuzzHeader(f *testing.F) {
	for _, c := range headerCases {
		f.Add([]byte(c.text))
	}
	if dir := os.Getenv("ECGDATA"); dir != "" {
		for _, p := range sampleHeaders(nil, filepath.Join(dir, "wfdb-samples")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader("f.hea", bytes.NewReader(b))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		if !h.IsMultiSegment() && len(h.Signals) != h.NSignals {
			t.Fatalf("%d signals, header says %d", len(h.Signals), h.NSignals)
		}
		for _, s := range h.Signals {
			if !isLocalName(s.File) {
				t.Fatalf("signal file %q leads out of the record's folder", s.File)
			}
			if s.Gain == 0 || s.SampsPerFrame < 1 || s.Skew < 0 || s.ByteOffset < 0 || formatInfo(s.Format) == nil {
				t.Fatalf("bad signal %+v", s)
			}
		}
		for _, sg := range h.Segments {
			if !isLocalName(sg.Name) {
				t.Fatalf("segment %q leads out of the record's folder", sg.Name)
			}
		}
		if !(h.Fs > 0) {
			t.Fatalf("fs %v", h.Fs)
		}
	})
}

// FuzzAnnotations: decoding never panics; a decoded stream written back
// decodes to the same annotations and rewrites to the same bytes.
func FuzzAnnotations(f *testing.F) {
	for _, c := range annCases {
		f.Add(c.in)
	}
	if dir := os.Getenv("ECGDATA"); dir != "" {
		for _, ext := range annotationExts {
			m, _ := filepath.Glob(filepath.Join(dir, "wfdb-samples", "*"+ext))
			for _, p := range m {
				if b, err := os.ReadFile(p); err == nil && len(b) < 10000 {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		anns, err := DecodeAnnotations("f", b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		once := encodeOK(t, anns)
		again, err := DecodeAnnotations("f", once)
		if err != nil || !sameAnnotations(again, anns) {
			t.Fatalf("re-decoded %+v, %v; want %+v", again, err, anns)
		}
		if twice := encodeOK(t, again); !bytes.Equal(twice, once) {
			t.Fatalf("second encoding differs")
		}
	})
}

func encodeOK(t *testing.T, anns []Annotation) []byte {
	var buf bytes.Buffer
	if err := WriteAnnotations(&buf, anns); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.Bytes()
}

func sameAnnotations(a, b []Annotation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// fuzzFormats are the formats FuzzSignal picks from.
var fuzzFormats = []int{8, 16, 24, 32, 61, 80, 160, 212, 310, 311}

// FuzzSignal feeds random bytes as the signal file of a small record in each
// format (1 to 3 signals, up to 3 samples per frame, skew up to 3, with or
// without a length): opening, reading whole and in windows, ReadRaw and
// Verify never panic, errors are typed, and windows agree with whole reads.
func FuzzSignal(f *testing.F) {
	for k, fm := range fuzzFormats {
		sig := randomSignal(2, 40, uint64(fm))
		data := encodeFrames(fm, sig)
		f.Add(uint8(k), uint8(1), uint8(0), uint8(0), true, data)
		f.Add(uint8(k), uint8(2), uint8(1), uint8(2), false, data)
		f.Add(uint8(k), uint8(0), uint8(2), uint8(1), true, data[:len(data)-1])
	}
	f.Fuzz(func(t *testing.T, fsel, nsig, spf, skew uint8, withLen bool, data []byte) {
		fm := fuzzFormats[int(fsel)%len(fuzzFormats)]
		hdr := fuzzHeader(fm, int(nsig%3)+1, int(spf%3)+1, int(skew%4), withLen, data)
		h, err := ParseHeader("f.hea", strings.NewReader(hdr))
		if err != nil {
			t.Fatalf("header %q: %v", hdr, err)
		}
		r, err := openHeader("f.hea", h, memOpener(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrTruncated) {
				t.Fatalf("open: %v", err)
			}
			return
		}
		defer r.Close()
		exerciseRecord(t, r)
	})
}

func exerciseRecord(t *testing.T, r *Record) {
	info := r.Info()
	all := make([][]int32, len(info.Leads))
	raw := make([][]int32, len(info.Leads))
	for i, spf := range r.SampsPerFrame() {
		all[i] = make([]int32, info.NSamples)
		raw[i] = make([]int32, info.NSamples*int64(spf))
	}
	if n, err := r.ReadMarked(all, 0); err != nil || int64(n) != info.NSamples {
		t.Fatalf("ReadMarked = %d, %v", n, err)
	}
	if n, err := r.ReadRaw(raw, 0); err != nil || int64(n) != info.NSamples {
		t.Fatalf("ReadRaw = %d, %v", n, err)
	}
	if info.NSamples > 2 {
		compareWindows(t, r, all, 5)
	}
	if err := r.Verify(); err != nil && !errors.Is(err, ErrChecksum) {
		t.Fatalf("Verify: %v", err)
	}
}

// fuzzHeader writes a header for data: the initial values and checksums are
// taken from the data's first bytes so that both match and mismatch occur.
func fuzzHeader(fm, nsig, spf, skew int, withLen bool, data []byte) string {
	var b strings.Builder
	frameSamples := nsig - 1 + spf
	sf := &sigFile{fm: formatInfo(fm)}
	frames := sf.samplesIn(int64(len(data))) / int64(frameSamples)
	fmt.Fprintf(&b, "f %d 250", nsig)
	if withLen {
		fmt.Fprintf(&b, " %d", frames)
	}
	b.WriteString("\n")
	for i := range nsig {
		spec := fmt.Sprint(fm)
		if i == 0 && spf > 1 {
			spec += fmt.Sprintf("x%d", spf)
		}
		if i == nsig-1 && skew > 0 {
			spec += fmt.Sprintf(":%d", skew)
		}
		init, chk := 0, 0
		if len(data) > 2 {
			init, chk = int(int8(data[0])), int(data[1])|int(data[2])<<8
		}
		fmt.Fprintf(&b, "f.dat %s 200 12 0 %d %d 0 s%d\n", spec, init, chk, i)
	}
	return b.String()
}

// encodeFrames packs interleaved frames in format fm (differences for 8).
func encodeFrames(fm int, sig [][]int32) []byte {
	fi := formatInfo(fm)
	var stream []int32
	prev := make([]int32, len(sig))
	for t := range sig[0] {
		for i := range sig {
			v := sig[i][t]
			if fi.diff {
				v, prev[i] = v-prev[i], v
			}
			if fm == 80 {
				v = max(-128, min(127, v))
			}
			stream = append(stream, v)
		}
	}
	for len(stream)%fi.groupSamples != 0 {
		stream = append(stream, 0)
	}
	out := make([]byte, len(stream)/fi.groupSamples*fi.groupBytes)
	fi.encode(out, stream)
	return out
}

// memFile is an in-memory signal file.
type memFile struct{ *bytes.Reader }

func (memFile) Close() error                 { return nil }
func (m memFile) Stat() (os.FileInfo, error) { return memInfo(m.Size()), nil }

type memInfo int64

func (m memInfo) Name() string       { return "mem" }
func (m memInfo) Size() int64        { return int64(m) }
func (m memInfo) Mode() fs.FileMode  { return 0 }
func (m memInfo) ModTime() time.Time { return time.Time{} }
func (m memInfo) IsDir() bool        { return false }
func (m memInfo) Sys() any           { return nil }

func memOpener(data []byte) opener {
	return func(string, string) (dataFile, error) { return memFile{bytes.NewReader(data)}, nil }
}
