package wfdb

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

func testInfo(nleads int) annotate.RecordInfo {
	info := annotate.RecordInfo{Fs: 250, Comments: []string{" made by writer_test"},
		Start: time.Date(2024, 3, 5, 10, 11, 12, 0, time.UTC)}
	for i := range nleads {
		info.Leads = append(info.Leads, annotate.Lead{Name: []string{"MLII", "V5", "V1"}[i%3],
			Units: "mV", Gain: 200, Baseline: int32(i), ADCRes: 12})
	}
	return info
}

// randomSignal makes a bounded random walk that fits every format (|v| < 512,
// steps within format 8's -128..127).
func randomSignal(nleads, n int, seed uint64) [][]int32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]int32, nleads)
	for i := range out {
		out[i] = make([]int32, n)
		v := int32(0)
		for t := range out[i] {
			v += int32(rng.IntN(41)) - 20
			v = max(-500, min(500, v))
			out[i][t] = v
		}
	}
	return out
}

// TestWriterRoundTrip writes random records in every writable format, in
// uneven chunks (so packed groups straddle Write calls), and reads them
// back: samples, header fields and the Verify checksums must all agree.
func TestWriterRoundTrip(t *testing.T) {
	for _, format := range []int{8, 16, 24, 32, 61, 80, 160, 212, 310, 311} {
		for _, shape := range []struct{ leads, n int }{{1, 1}, {2, 1001}, {3, 1000}, {1, 7}} {
			name := "rt"
			t.Run(filepathSafe(format, shape.leads, shape.n), func(t *testing.T) {
				dir := t.TempDir()
				info := testInfo(shape.leads)
				want := randomSignal(shape.leads, shape.n, uint64(format))
				if format == 80 {
					for _, l := range want {
						for k := range l {
							l[k] = max(-127, min(127, l[k])) // -128 stored means a missing sample
						}
					}
				}
				writeChunks(t, dir, name, info, format, want, []int{3, 1, 250})
				r, err := Open(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				got := readAll(t, r)
				for i := range want {
					for k := range want[i] {
						if got[i][k] != want[i][k] {
							t.Fatalf("lead %d sample %d = %d, want %d", i, k, got[i][k], want[i][k])
						}
					}
				}
				if err := r.Verify(); err != nil {
					t.Errorf("Verify: %v", err)
				}
				checkInfo(t, r.Info(), info, int64(shape.n))
			})
		}
	}
}

func filepathSafe(format, leads, n int) string {
	return "fmt" + itoa(format) + "_" + itoa(leads) + "x" + itoa(n)
}

func itoa(v int) string { return fmtInt(int64(v)) }

func writeChunks(t *testing.T, dir, name string, info annotate.RecordInfo, format int, sig [][]int32, chunks []int) {
	t.Helper()
	w, err := Create(dir, name, info, format)
	if err != nil {
		t.Fatal(err)
	}
	for at, k := 0, 0; at < len(sig[0]); k++ {
		end := min(len(sig[0]), at+chunks[k%len(chunks)])
		part := make([][]int32, len(sig))
		for i := range sig {
			part[i] = sig[i][at:end]
		}
		if err := w.Write(part); err != nil {
			t.Fatal(err)
		}
		at = end
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func checkInfo(t *testing.T, got, want annotate.RecordInfo, n int64) {
	t.Helper()
	if got.Fs != want.Fs || got.NSamples != n || !got.Start.Equal(want.Start) || len(got.Leads) != len(want.Leads) {
		t.Fatalf("info = %+v, want fs %v n %d start %v", got, want.Fs, n, want.Start)
	}
	for i := range want.Leads {
		if got.Leads[i] != want.Leads[i] {
			t.Errorf("lead %d = %+v, want %+v", i, got.Leads[i], want.Leads[i])
		}
	}
}

func TestWriterErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name   string
		format int
		frames [][]int32
		want   error
	}{
		{"212 too big", 212, [][]int32{{2048}, {0}}, ErrRange},
		{"16 too small", 16, [][]int32{{0}, {-32769}}, ErrRange},
		{"8 step too big", 8, [][]int32{{0, 200}, {0, 0}}, ErrRange},
		{"wrong lead count", 16, [][]int32{{0}}, ErrRange},
		{"ragged", 16, [][]int32{{0, 1}, {0}}, ErrRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := Create(dir, "e", testInfo(2), c.format)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if err := w.Write(c.frames); !errors.Is(err, c.want) {
				t.Errorf("Write = %v, want %v", err, c.want)
			}
		})
	}
	for _, f := range []int{0, 9, 508} {
		if _, err := Create(dir, "e", testInfo(1), f); !errors.Is(err, ErrFormat) {
			t.Errorf("Create format %d = %v, want ErrFormat", f, err)
		}
	}
}
