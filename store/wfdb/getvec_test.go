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
