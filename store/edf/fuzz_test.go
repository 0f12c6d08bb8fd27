package edf

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// seedFiles adds the valid and broken files of the table tests, and the
// shared sample files when ECGDATA is set and they are small.
func seedFiles(f *testing.F, bdf bool) {
	for _, c := range validCases() {
		if c.spec.BDF == bdf {
			c.spec.Start = t0
			f.Add(encode(f, c.spec, records(c.spec, c.nrec, c.onset)))
		}
	}
	if bdf {
		return
	}
	for _, c := range errorCases() {
		f.Add(c.file(f))
	}
	if dir := os.Getenv("ECGDATA"); dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, "wfdb-samples", "test_edfann.edf")); err == nil {
			f.Add(b)
		}
	}
}

// fuzzFile opens b and exercises every reading method: nothing may panic,
// and every Open error must be a *ParseError.
func fuzzFile(t *testing.T, b []byte) {
	f, err := openBytes(b)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Open error is not a *ParseError: %v", err)
		}
		return
	}
	info := f.Info()
	f.Segments()
	f.Gaps()
	f.Annotations()
	dst := make([][]int32, len(info.Leads))
	for j := range dst {
		dst[j] = make([]int32, 64)
	}
	for _, start := range []int64{0, info.NSamples / 2, info.NSamples - 1} {
		if start >= 0 && start < info.NSamples {
			if _, err := f.Read(dst, start); err != nil {
				t.Fatalf("Read at %d of %d: %v", start, info.NSamples, err)
			}
		}
	}
}

func FuzzEDF(f *testing.F) {
	seedFiles(f, false)
	f.Fuzz(fuzzFile)
}

func FuzzBDF(f *testing.F) {
	seedFiles(f, true)
	f.Fuzz(fuzzFile)
}

// FuzzTAL parses annotation-signal bytes; whatever parses must encode and
// parse back to the same onsets, durations and texts.
func FuzzTAL(f *testing.F) {
	for _, c := range talCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tals, err := parseTALs("fuzz", 0, b)
		if err != nil {
			if !errors.Is(err, ErrTAL) {
				t.Fatalf("error does not wrap ErrTAL: %v", err)
			}
			return
		}
		for _, x := range tals {
			checkTALRoundTrip(t, x)
		}
	})
}

func checkTALRoundTrip(t *testing.T, x tal) {
	for _, s := range x.texts {
		enc := encodeTAL(x.onset, x.duration, s)
		back, err := parseTALs("", 0, []byte(enc))
		if err != nil || len(back) != 1 || back[0].onset != x.onset || back[0].duration != x.duration ||
			len(back[0].texts) != 1 || back[0].texts[0] != s {
			t.Fatalf("%+v encoded as %q parsed back as %+v, %v", x, enc, back, err)
		}
	}
}
