// Package golden compares rendered PNGs with the golden files of a
// package's tests (testdata/NAME.png), allowing for the little that font
// rasterisation differs between machines: at most 0.5% of the pixels may
// differ by more than 48 levels in a channel. On failure the PNG is
// written under testdata/failed/ to look at; with update the golden file
// is rewritten instead.
package golden

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// PNG compares got with testdata/NAME.png, or writes it there when update
// is set.
func PNG(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with the package's update flag to make it)", err)
	}
	if n, total := differing(t, got, want); n*200 > total {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		failed := filepath.Join("testdata", "failed", name+".png")
		os.WriteFile(failed, got, 0o644)
		t.Errorf("%s: %d of %d pixels differ from the golden file; wrote %s", name, n, total, failed)
	}
}

// differing counts the pixels of two PNGs that differ visibly, of all.
func differing(t testing.TB, a, b []byte) (int, int) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	r := ia.Bounds()
	if r != ib.Bounds() {
		return r.Dx() * r.Dy(), r.Dx() * r.Dy()
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if far(ia, ib, x, y) {
				n++
			}
		}
	}
	return n, r.Dx() * r.Dy()
}

// far reports whether a channel of pixel x, y differs by more than 48
// levels.
func far(a, b image.Image, x, y int) bool {
	r1, g1, b1, _ := a.At(x, y).RGBA()
	r2, g2, b2, _ := b.At(x, y).RGBA()
	d := func(p, q uint32) bool { return max(p, q)-min(p, q) > 48<<8 }
	return d(r1, r2) || d(g1, g2) || d(b1, b2)
}
