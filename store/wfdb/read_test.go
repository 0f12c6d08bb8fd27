package wfdb

import (
	"errors"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func mustOpen(t testing.TB, path string) *Record {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestMITDB100 checks record 100 against the values its header states:
// fs, length, gain, baseline, and a first frame equal to the initial values.
func TestMITDB100(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "")
	r := mustOpen(t, filepath.Join(dir, "100.hea"))
	info := r.Info()
	if info.Fs != 360 || info.NSamples != 650000 || len(info.Leads) != 2 || info.Format != "WFDB" {
		t.Fatalf("info = %+v", info)
	}
	want := annotate.Lead{Name: "MLII", Units: "mV", Gain: 200, Baseline: 1024, ADCRes: 11, ADCZero: 1024}
	if info.Leads[0] != want {
		t.Errorf("lead 0 = %+v, want %+v", info.Leads[0], want)
	}
	dst := [][]int32{make([]int32, 1), make([]int32, 1)}
	if n, err := r.Read(dst, 0); n != 1 || err != nil || dst[0][0] != 995 || dst[1][0] != 1011 {
		t.Errorf("first frame = %v (n=%d err=%v), want [995 1011] (header initial values)", dst, n, err)
	}
	anns, err := ReadAnnotations(filepath.Join(dir, "100.atr"))
	if err != nil {
		t.Fatal(err)
	}
	// 2274 annotations: 2273 beats and the initial rhythm "(N" at sample 18
	// (PhysioNet's MIT-BIH directory lists 2273 beats for record 100).
	if len(anns) != 2274 || anns[0].Code != annotate.Rhythm || anns[0].Text() != "(N" || anns[0].Sample != 18 {
		t.Errorf("got %d annotations, first %+v", len(anns), anns[0])
	}
}

// TestRandomAccess reads random windows of records in every format and
// compares them with one whole read: alignment inside packed groups (212,
// 310, 311), format 8 running sums from checkpoints, skew and frames.
func TestRandomAccess(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	for _, name := range []string{"binformats", "100_3chan", "310derive", "311derive_3", "310derive_3",
		"100skew", "test01_00s_skewframe", "03700181", "3000003_0003", "p10143",
		"multi-segment/s25047/s25047-2704-05-04-10-44", "multi-segment/041s/041s"} {
		t.Run(name, func(t *testing.T) {
			r := mustOpen(t, filepath.Join(dir, name))
			compareWindows(t, r, readAll(t, r), 200)
		})
	}
}

// compareWindows reads random windows of r with ReadMarked and with Read
// and compares them with all (a whole ReadMarked): the same samples, the
// missing ones as InvalidSample, and through Read as the signal's
// baseline, whatever the window.
func compareWindows(t *testing.T, r *Record, all [][]int32, tries int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	total := int64(len(all[0]))
	for range tries {
		start := rng.Int64N(total)
		n := 1 + rng.IntN(int(min(total, 3000)))
		for _, marked := range []bool{true, false} {
			compareWindow(t, r, all, start, n, marked)
		}
	}
}

func compareWindow(t *testing.T, r *Record, all [][]int32, start int64, n int, marked bool) {
	t.Helper()
	dst := make([][]int32, len(all))
	for i := range dst {
		dst[i] = make([]int32, n)
	}
	read := r.Read
	if marked {
		read = r.ReadMarked
	}
	got, err := read(dst, start)
	if err != nil || int64(got) != min(int64(n), int64(len(all[0]))-start) {
		t.Fatalf("Read(%d, n=%d) = %d, %v", start, n, got, err)
	}
	for i := range dst {
		for k := range got {
			want := all[i][start+int64(k)]
			if want == InvalidSample && !marked {
				want = r.layout[i].Baseline
			}
			if dst[i][k] != want {
				t.Fatalf("Read(%d, n=%d) marked %v: signal %d frame %d = %d, want %d",
					start, n, marked, i, start+int64(k), dst[i][k], want)
			}
		}
	}
}

// TestFormat8Checkpoints writes a format-8 record several checkpoints long
// and reads windows in random order, so running values come from the lazy
// checkpoint index, built out of order.
func TestFormat8Checkpoints(t *testing.T) {
	dir := t.TempDir()
	sig := randomSignal(2, 5*checkpointFrames+123, 8)
	writeChunks(t, dir, "d8", testInfo(2), 8, sig, []int{10000})
	r := mustOpen(t, filepath.Join(dir, "d8"))
	compareWindows(t, r, sig, 300)
	if err := r.Verify(); err != nil {
		t.Error(err)
	}
}

// TestSkew: 100skew is record 100 with signal 1 stored 3 frames late, so its
// sample t is record 100's sample t+3, and its last 3 samples are not stored.
func TestSkew(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	plain := readAll(t, mustOpen(t, filepath.Join(dir, "100")))
	skew := readAll(t, mustOpen(t, filepath.Join(dir, "100skew")))
	n := len(plain[0])
	for k := 0; k < n; k++ {
		want := InvalidSample
		if k+3 < n {
			want = plain[1][k+3]
		}
		if skew[0][k] != plain[0][k] || skew[1][k] != want {
			t.Fatalf("frame %d: skewed %d %d, want %d %d", k, skew[0][k], skew[1][k], plain[0][k], want)
		}
	}
}

// TestFrames: test01_00s_frame stores test01_00s's signals 1 and 2 as one
// signal with 2 samples per frame. ReadRaw gives both; Read their mean.
func TestFrames(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	plain := readAll(t, mustOpen(t, filepath.Join(dir, "test01_00s")))
	r := mustOpen(t, filepath.Join(dir, "test01_00s_frame"))
	if spf := r.SampsPerFrame(); spf[0] != 1 || spf[1] != 2 || spf[2] != 1 {
		t.Fatalf("SampsPerFrame = %v", spf)
	}
	n := len(plain[0])
	raw := [][]int32{make([]int32, n), make([]int32, 2*n), make([]int32, n)}
	if got, err := r.ReadRaw(raw, 0); got != n || err != nil {
		t.Fatalf("ReadRaw = %d, %v", got, err)
	}
	mean := readAll(t, r)
	for k := 0; k < n; k++ {
		a, b := plain[1][k], plain[2][k]
		if raw[1][2*k] != a || raw[1][2*k+1] != b || raw[2][k] != plain[3][k] || raw[0][k] != plain[0][k] {
			t.Fatalf("frame %d raw = %d %d %d %d", k, raw[0][k], raw[1][2*k], raw[1][2*k+1], raw[2][k])
		}
		if want := (a + b) / 2; mean[1][k] != want { // getvec: C division, toward zero
			t.Fatalf("frame %d mean = %d, want %d", k, mean[1][k], want)
		}
	}
}

// TestNoLength: a header without a signal length takes it from the file.
func TestNoLength(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	r := mustOpen(t, filepath.Join(dir, "100-no-len.hea"))
	if r.Header().HasLength || r.Info().NSamples != 650000 {
		t.Fatalf("HasLength %v NSamples %d, want false 650000 (1950000 bytes / 3 per 212 frame)",
			r.Header().HasLength, r.Info().NSamples)
	}
}

// TestFixedMultiSegment: fixed1/v102s is v102s three times over.
func TestFixedMultiSegment(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	one := readAll(t, mustOpen(t, filepath.Join(dir, "v102s")))
	three := readAll(t, mustOpen(t, filepath.Join(dir, "multi-segment/fixed1/v102s")))
	n := len(one[0])
	if len(three[0]) != 3*n {
		t.Fatalf("length %d, want %d", len(three[0]), 3*n)
	}
	for i := range one {
		for k := range 3 * n {
			if three[i][k] != one[i][k%n] {
				t.Fatalf("signal %d frame %d = %d, want %d", i, k, three[i][k], one[i][k%n])
			}
		}
	}
}

// TestVariableLayout: s25047's segments hold II and V (not ABP) with gains
// that differ from the layout's; the record returns the layout's three
// signals, ABP and null segments as InvalidSample, and every value rescaled
// to the layout gain (same physical value within half a layout unit).
func TestVariableLayout(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples/multi-segment/s25047", "")
	r := mustOpen(t, filepath.Join(dir, "s25047-2704-05-04-10-44"))
	info := r.Info()
	if info.NSamples != 543240 || len(info.Leads) != 3 || info.Leads[2].Name != "ABP" || info.Leads[0].Gain != 86 {
		t.Fatalf("info = %+v", info)
	}
	all := readAll(t, r)
	if all[0][0] != InvalidSample || all[2][30000] != InvalidSample {
		t.Errorf("null segment / absent ABP not invalid: %d %d", all[0][0], all[2][30000])
	}
	seg := mustOpen(t, filepath.Join(dir, "3234460_0001"))
	sv := readAll(t, seg)
	for k, v := range sv[1] { // V: gain 67 in the segment, 86 in the layout
		if v == InvalidSample { // the format's invalid value: missing in the record too
			if all[1][25740+k] != InvalidSample {
				t.Fatalf("frame %d: missing in the segment, %d in the record", k, all[1][25740+k])
			}
			continue
		}
		pSeg := seg.Info().Leads[1].Physical(v)
		pRec := info.Leads[1].Physical(all[1][25740+k])
		if math.Abs(pSeg-pRec) > 0.5/86+1e-12 {
			t.Fatalf("frame %d: segment %.4f mV, record %.4f mV", k, pSeg, pRec)
		}
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	writeChunks(t, dir, "e", testInfo(2), 16, randomSignal(2, 10, 1), []int{10})
	r := mustOpen(t, filepath.Join(dir, "e"))
	two := func(n int) [][]int32 { return [][]int32{make([]int32, n), make([]int32, n)} }
	cases := []struct {
		name  string
		dst   [][]int32
		start int64
		n     int
		want  error
	}{
		{"negative start", two(1), -1, 0, annotate.ErrOutOfRange},
		{"past end", two(1), 11, 0, annotate.ErrOutOfRange},
		{"at end", two(1), 10, 0, nil},
		{"short at end", two(5), 8, 2, nil},
		{"wrong signal count", [][]int32{make([]int32, 1)}, 0, 0, ErrRange},
		{"ragged", [][]int32{make([]int32, 1), make([]int32, 2)}, 0, 0, ErrRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := r.Read(c.dst, c.start)
			if n != c.n || !errors.Is(err, c.want) || (c.want == nil && err != nil) {
				t.Errorf("Read = %d, %v; want %d, %v", n, err, c.n, c.want)
			}
		})
	}
	r.Close()
	if _, err := r.Read(two(1), 0); !errors.Is(err, ErrClosed) {
		t.Errorf("Read after Close = %v, want ErrClosed", err)
	}
}

// TestConcurrentRead reads random windows from many goroutines (run with
// -race): reads share no file offset or buffer.
func TestConcurrentRead(t *testing.T) {
	dir := t.TempDir()
	sig := randomSignal(2, 3*checkpointFrames, 3)
	for _, f := range []int{8, 212} {
		name := "c" + itoa(f)
		writeChunks(t, dir, name, testInfo(2), f, sig, []int{5000})
		r := mustOpen(t, filepath.Join(dir, name))
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(g), 2))
				for range 50 {
					start := rng.Int64N(int64(len(sig[0]) - 100))
					dst := [][]int32{make([]int32, 100), make([]int32, 100)}
					if _, err := r.Read(dst, start); err != nil {
						t.Error(err)
						return
					}
					if dst[1][99] != sig[1][start+99] {
						t.Errorf("format %d frame %d = %d, want %d", f, start+99, dst[1][99], sig[1][start+99])
						return
					}
				}
			})
		}
		wg.Wait()
	}
}
