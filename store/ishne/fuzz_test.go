package ishne

import (
	"errors"
	"testing"
)

// FuzzISHNE opens arbitrary bytes. With fix set, the header CRC is
// recomputed first, so the fuzzer also reaches the checks behind the CRC.
// Nothing may panic, every Open error is a *ParseError, and a file that
// opens reads at its start, middle and end.
func FuzzISHNE(f *testing.F) {
	for _, c := range validCases() {
		h := c.header()
		b := encode(f, h, patient, samples(len(h.Leads), c.n))
		if c.edit != nil {
			b = fixCRC(c.edit(b))
		}
		f.Add(b, false)
	}
	for _, c := range errorCases() {
		f.Add(c.file(f), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, fix bool) {
		if fix {
			b = fixCRC(b)
		}
		r, err := openBytes(b)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Open error is not a *ParseError: %v", err)
			}
			return
		}
		info := r.Info()
		dst := make([][]int32, len(info.Leads))
		for j := range dst {
			dst[j] = make([]int32, 64)
		}
		for _, start := range []int64{0, info.NSamples / 2, info.NSamples - 1} {
			if start >= 0 && start < info.NSamples {
				if _, err := r.Read(dst, start); err != nil {
					t.Fatalf("Read at %d of %d: %v", start, info.NSamples, err)
				}
			}
		}
	})
}
