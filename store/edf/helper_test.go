package edf

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"
)

// t0 is the start time of the files the tests write.
var t0 = time.Date(2024, 3, 5, 8, 30, 15, 0, time.UTC)

// ecgSig is a 16-bit ECG signal in uV whose gain is 10 digital units per
// uV (10000 per mV) with the baseline at digital 0.
func ecgSig(label string, spr int) SignalSpec {
	return SignalSpec{Label: label, Transducer: "AgAgCl electrode", Dimension: "uV",
		PhysMin: -3276.8, PhysMax: 3276.7, DigMin: -32768, DigMax: 32767,
		Prefilter: "HP:0.05Hz LP:40Hz", Samples: spr}
}

// bdfSig is a 24-bit ECG signal in uV (1 digital unit = 1/32 uV).
func bdfSig(label string, spr int) SignalSpec {
	return SignalSpec{Label: label, Dimension: "uV", PhysMin: -262144, PhysMax: 262143.96875,
		DigMin: -8388608, DigMax: 8388607, Samples: spr}
}

// wave is the deterministic digital value of signal sig at sample i (of
// that signal's own rate) that the tests write, spanning [lo, hi].
func wave(sig int, i int64, lo, hi int32) int32 {
	span := int64(hi) - int64(lo) + 1
	x := (i*7919 + int64(sig)*104729 + i*i*31) % span
	if x < 0 {
		x += span
	}
	return int32(int64(lo) + x)
}

// records builds n data records of spec's signals filled with wave; onset
// gives each record's onset (nil: back to back).
func records(s Spec, n int, onset func(r int) float64) []Record {
	recs := make([]Record, n)
	for r := range recs {
		recs[r].Samples = make([][]int32, len(s.Signals))
		for k, sg := range s.Signals {
			v := make([]int32, sg.Samples)
			for i := range v {
				v[i] = wave(k, int64(r*sg.Samples+i), sg.DigMin, sg.DigMax)
			}
			recs[r].Samples[k] = v
		}
		if onset != nil {
			recs[r].Onset = onset(r)
		}
	}
	if n > 0 && s.Signals[0].DigMax > 32767 {
		recs[0].Samples[0][0], recs[0].Samples[0][1] = s.Signals[0].DigMin, s.Signals[0].DigMax
	}
	return recs
}

// encode writes a whole file into memory.
func encode(t testing.TB, s Spec, recs []Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	s.Records = int64(len(recs))
	w, err := NewWriter(&buf, s)
	if err != nil {
		t.Fatalf("NewWriter: %v", err)
	}
	for _, r := range recs {
		if err := w.WriteRecord(r); err != nil {
			t.Fatalf("WriteRecord: %v", err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// openBytes opens an in-memory file.
func openBytes(b []byte) (*File, error) {
	return NewReader(bytes.NewReader(b), int64(len(b)), "mem.edf")
}

// timeline is what Read must return for recs written with s: every lead's
// samples placed at round((onset - onset0) * Fs), baseline in the gaps.
func timeline(f *File, s Spec, recs []Record) [][]int32 {
	info := f.Info()
	out := make([][]int32, len(info.Leads))
	for j := range out {
		out[j] = make([]int32, info.NSamples)
		for i := range out[j] {
			out[j][i] = info.Leads[j].Baseline
		}
	}
	for r, rec := range recs {
		at := int64(r) * f.spr
		if s.Discontinuous {
			at = int64(math.Round((rec.Onset - recs[0].Onset) * info.Fs))
		}
		for i, sg := range f.Signals() {
			if sg.Lead >= 0 {
				copy(out[sg.Lead][at:], rec.Samples[i])
			}
		}
	}
	return out
}

// readAll reads the whole timeline in strips of n samples.
func readAll(t *testing.T, f *File, n int) [][]int32 {
	t.Helper()
	info := f.Info()
	out := make([][]int32, len(info.Leads))
	dst := make([][]int32, len(info.Leads))
	for j := range dst {
		dst[j] = make([]int32, n)
	}
	for pos := int64(0); pos < info.NSamples; {
		got, err := f.Read(dst, pos)
		if err != nil || got == 0 {
			t.Fatalf("Read at %d: n=%d err=%v", pos, got, err)
		}
		for j := range dst {
			out[j] = append(out[j], dst[j][:got]...)
		}
		pos += int64(got)
	}
	return out
}

// wantParseError checks that err is a *ParseError wrapping target.
func wantParseError(t *testing.T, err, target error) *ParseError {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, target) {
		t.Fatalf("error = %v, want a *ParseError wrapping %v", err, target)
	}
	return pe
}

// setField overwrites a header field with v, space padded.
func setField(b []byte, off, width int, v string) []byte {
	b = append([]byte(nil), b...)
	copy(b[off:off+width], v+string(bytes.Repeat([]byte{' '}, width-len(v))))
	return b
}
