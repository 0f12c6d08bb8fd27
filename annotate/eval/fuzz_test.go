package eval

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// encodeAnns packs annotations as the fuzz target reads them: per
// annotation 10 bytes, a big-endian int64 sample, the code and the sub-type.
func encodeAnns(anns []Annotation) []byte {
	var b []byte
	for _, a := range anns {
		b = binary.BigEndian.AppendUint64(b, uint64(a.Sample))
		b = append(b, byte(a.Code), byte(a.Sub))
	}
	return b
}

func decodeAnns(b []byte) []Annotation {
	var out []Annotation
	for ; len(b) >= 10; b = b[10:] {
		out = append(out, Annotation{Sample: int64(binary.BigEndian.Uint64(b)),
			Code: annotate.Code(b[8]), Sub: int8(b[9])})
	}
	return out
}

// FuzzCompare checks that Compare never panics on any pair of annotation
// lists (any codes, VF and shutdown marks in any order, repeated times),
// fails only with ErrOptions or ErrTime, and never scores more beats than there are.
func FuzzCompare(f *testing.F) {
	for _, c := range compareCases {
		f.Add(encodeAnns(c.ref), encodeAnns(c.test), c.o.Window, c.o.Start, c.o.End)
	}
	f.Fuzz(func(t *testing.T, ref, test []byte, window, start, end int64) {
		r, ta := decodeAnns(ref), decodeAnns(test)
		res, err := Compare("fuzz", r, ta, Options{Window: window, Start: start, End: end})
		if err != nil {
			if !errors.Is(err, ErrOptions) && !errors.Is(err, ErrTime) {
				t.Fatalf("error %v is not ErrOptions or ErrTime", err)
			}
			return
		}
		c := res.Matrix.Detection()
		if c.TP < 0 || c.FN < 0 || c.FP < 0 {
			t.Fatalf("negative counts %+v", c)
		}
		if c.TP+c.FN > int64(countBeats(r)) || c.TP+c.FP > int64(countBeats(ta)) {
			t.Fatalf("counts %+v exceed %d reference and %d test beats", c, countBeats(r), countBeats(ta))
		}
	})
}

func countBeats(anns []Annotation) int {
	n := 0
	for _, a := range anns {
		if a.Code.IsBeat() {
			n++
		}
	}
	return n
}
