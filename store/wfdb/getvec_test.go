package wfdb

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// TestGetvecMeans checks Read against WFDB's getvec convention on every
// wfdb-samples record with several samples per frame: each signal's value
// per frame is the sum of its ReadRaw samples divided by the samples per
// frame in C integer arithmetic (truncated toward zero), which is what
// rdsamp prints. Each case must hold frames where that differs from
// rounding, so the test tells the two apart.
func TestGetvecMeans(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	for _, name := range []string{"03700181", "test01_00s_frame", "test01_00s_skewframe", "multi-segment/041s/041s"} {
		t.Run(name, func(t *testing.T) {
			r := mustOpen(t, filepath.Join(dir, name))
			spf := r.SampsPerFrame()
			n := int(r.Info().NSamples)
			raw := make([][]int32, len(spf))
			for i := range raw {
				raw[i] = make([]int32, n*spf[i])
			}
			if got, err := r.ReadRaw(raw, 0); got != n || err != nil {
				t.Fatalf("ReadRaw = %d, %v; want %d", got, err, n)
			}
			frames := readAll(t, r)
			differ := 0
			for i := range spf {
				for k := range n {
					want, rounded := getvecMean(raw[i][k*spf[i] : (k+1)*spf[i]])
					if frames[i][k] != want {
						t.Fatalf("signal %d frame %d: Read %d, getvec %d", i, k, frames[i][k], want)
					}
					if want != rounded {
						differ++
					}
				}
			}
			if differ == 0 {
				t.Fatalf("no frame where truncation and rounding differ: the case tests nothing")
			}
			t.Logf("%d frames where getvec's truncation differs from rounding", differ)
		})
	}
}

// getvecMean is the frame value of WFDB's getvec, sum/spf truncated toward
// zero (an invalid sample makes the frame invalid), and the rounded mean.
func getvecMean(s []int32) (trunc, rounded int32) {
	var sum int64
	for _, v := range s {
		if v == InvalidSample {
			return InvalidSample, InvalidSample
		}
		sum += int64(v)
	}
	q := sum / int64(len(s))
	return int32(q), int32(math.Round(float64(sum) / float64(len(s))))
}

// TestGetvecFrames: a record with skewed signals ends, for getvec and so
// rdsamp, its largest skew before the header's length; others at it.
func TestGetvecFrames(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	for _, c := range []struct {
		name string
		want int64
	}{{"100", 650000}, {"100skew", 649997}, {"test01_00s_skew", 3997}, {"test01_00s_skewframe", 3997}, {"test01_00s_frame", 4000}} {
		if got := mustOpen(t, filepath.Join(dir, c.name)).GetvecFrames(); got != c.want {
			t.Errorf("%s: GetvecFrames = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestFormatInvalid: each amplitude format's lowest value marks a missing
// sample, as getvec tests it (WFDB signal.c: v == -1 << 11 for 212, ...),
// and reads as InvalidSample; first differences and FLAC have none.
func TestFormatInvalid(t *testing.T) {
	cases := map[int]int32{16: -32768, 61: -32768, 160: -32768, 80: -128, 212: -2048, 310: -512, 311: -512, 24: -1 << 23, 32: -1 << 31}
	for f, want := range cases {
		v, ok := formatInfo(f).invalid()
		if !ok || v != want {
			t.Errorf("format %d: invalid %d, %v; want %d", f, v, ok, want)
		}
		dst := []int32{want, want + 1, 0}
		formatInfo(f).markInvalid(dst)
		if dst[0] != InvalidSample || dst[1] != want+1 || dst[2] != 0 {
			t.Errorf("format %d: markInvalid gives %v", f, dst)
		}
	}
	for _, f := range []int{0, 8, 508} {
		if _, ok := formatInfo(f).invalid(); ok {
			t.Errorf("format %d has an invalid value", f)
		}
	}
}

// TestFormat80Invalid: s25047's segment 3234460_0001 (format 80) stores
// -128 where a sample is missing; those read as InvalidSample, and Verify
// still checks the checksums against the values as stored.
func TestFormat80Invalid(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples/multi-segment/s25047", "3234460_0001.hea")
	r := mustOpen(t, filepath.Join(dir, "3234460_0001"))
	missing := 0
	for _, lead := range readAll(t, r) {
		for _, v := range lead {
			if v == InvalidSample {
				missing++
			}
			if v == -128 {
				t.Fatal("a stored -128 read as a sample value")
			}
		}
	}
	if missing == 0 {
		t.Error("no missing sample found: the test shows nothing")
	}
	if err := r.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
	t.Logf("%d missing samples", missing)
}
