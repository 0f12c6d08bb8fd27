package export

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

// npzFile starts an archive written to a new file at path.
func npzFile(t *testing.T, path string, compress bool) *npzWriter {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	return newNPZ(f, filepath.Dir(path), compress)
}

// TestNPZWriter writes a streamed, a spooled and a small array and reads
// them back with npyio's own npz reader.
func TestNPZWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.npz")
	z := npzFile(t, path, true)
	x, _ := z.stream("x", "<f4", 3, []int{2})
	y, _ := z.spool("y", "<i8", nil)
	z.value("names", []string{"N", "SVEB"})
	z.value("none", []string{})
	for i := range 3 {
		if err := x.put(appendF32(appendF32(nil, float32(i)), float32(i)+0.5)); err != nil {
			t.Fatal(err)
		}
		if err := y.put(appendI64(nil, int64(i*10))); err != nil {
			t.Fatal(err)
		}
	}
	if err := y.put([]byte{1}); !errors.Is(err, ErrShape) {
		t.Errorf("short row: %v, want ErrShape", err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var xs []float32
	var ys []int64
	var names []string
	if err := r.Read("x.npy", &xs); err != nil {
		t.Fatal(err)
	}
	if err := r.Read("y.npy", &ys); err != nil {
		t.Fatal(err)
	}
	if err := r.Read("names.npy", &names); err != nil {
		t.Fatal(err)
	}
	if h := r.Header("x.npy"); len(h.Descr.Shape) != 2 || h.Descr.Shape[0] != 3 || h.Descr.Shape[1] != 2 {
		t.Errorf("x shape %v", h.Descr.Shape)
	}
	if len(xs) != 6 || xs[5] != 2.5 || len(ys) != 3 || ys[2] != 20 || len(names) != 2 || names[1] != "SVEB" {
		t.Errorf("read back x %v y %v names %v", xs, ys, names)
	}
}

// TestNPZShortStream: fewer rows than announced is an error, not a file
// numpy would misread.
func TestNPZShortStream(t *testing.T) {
	z := npzFile(t, filepath.Join(t.TempDir(), "a.npz"), false)
	x, _ := z.stream("x", "<f4", 2, nil)
	x.put(appendF32(nil, 1))
	if err := z.Close(); !errors.Is(err, ErrShape) {
		t.Errorf("Close = %v, want ErrShape", err)
	}
}

// TestResample checks the window filter bank: identity at equal rates, a
// constant stays exact, and a 10 Hz sine resampled from 360 and from 128
// Hz to 250 Hz matches the sine itself (tolerance 1e-3 of the amplitude;
// the filter passes 10 Hz with ~no loss).
func TestResample(t *testing.T) {
	cases := []struct {
		name  string
		fsIn  float64
		input func(i int) float64
		want  func(tsec float64) float64
		tol   float64
	}{
		{"identity 250", 250, func(i int) float64 { return float64(i % 17) }, nil, 0},
		{"constant 360", 360, func(int) float64 { return 1000 }, func(float64) float64 { return 1000 }, 1e-9},
		{"sine 360", 360, func(i int) float64 { return 1000 * math.Sin(2*math.Pi*10*float64(i)/360) }, func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*10*s) }, 1},
		{"sine 128", 128, func(i int) float64 { return 1000 * math.Sin(2*math.Pi*10*float64(i)/128) }, func(s float64) float64 { return 1000 * math.Sin(2*math.Pi*10*s) }, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := newResampler(c.fsIn, 250, 90, 160)
			const R = 1000
			src := make([]int32, rs.maxOff-rs.minOff+1)
			for k := range src {
				src[k] = int32(math.Round(c.input(R + rs.minOff + k)))
			}
			dst := make([]float32, rs.w)
			rs.window(dst, src, 0, 1)
			for j, v := range dst {
				want := 0.0
				if c.want == nil {
					want = c.input(R + j - 90)
				} else {
					want = c.want(float64(R)/c.fsIn + float64(j-90)/250)
				}
				if math.Abs(float64(v)-want) > c.tol+0.5 { // +0.5: the input was rounded to integers
					t.Fatalf("out[%d] = %g, want %g", j, v, want)
				}
			}
		})
	}
}

func BenchmarkResampleWindow(b *testing.B) {
	rs := newResampler(360, 250, 90, 160)
	src := make([]int32, rs.maxOff-rs.minOff+1)
	dst := make([]float32, rs.w)
	b.SetBytes(int64(4 * rs.w))
	b.ReportAllocs()
	for b.Loop() {
		rs.window(dst, src, 0, 1)
	}
}
