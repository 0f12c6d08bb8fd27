package export

import (
	"errors"
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
