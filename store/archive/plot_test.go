package archive

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

var updatePlots = flag.Bool("update-plots", false, "rewrite the golden PNG files of the plots")

// plotRows returns 12 records on three devices with known figures: device
// "holter-a" is noisy, "holter-b" has AF, "patch" has no reviewed records
// and one record without leads.
func plotRows() []Row {
	var rows []Row
	for i := range 12 {
		dev := []string{"holter-a", "holter-b", "patch"}[i%3]
		r := Row{Name: fmt.Sprintf("r%02d", i), Device: dev, Patient: fmt.Sprintf("p%d", i/2),
			Hours: 24, Leads: []string{"I", "II"}, AgreePct: math.NaN(), Kappa: math.NaN()}
		switch dev {
		case "holter-a":
			r.NoisePct = []float64{10 + float64(i), 4 + float64(i)/2}
		case "holter-b":
			r.NoisePct = []float64{2, 1 + float64(i)/4}
			r.AFPct = 5 * float64(i)
		default:
			r.NoisePct = []float64{float64(i) / 3, float64(i) / 6}
		}
		if dev != "patch" {
			r.AgreePairs, r.AgreePct, r.Kappa = 1000, 90+float64(i)/2, 0.8
		}
		if i == 11 {
			r.Leads, r.NoisePct = nil, nil
		}
		r.Counts = [annotate.ClassQ + 1]int{0, 80000 + 1000*i, 300 * (i % 4), 500 * (i % 3), 20, 10 * i}
		for _, n := range r.Counts {
			r.Beats += n
		}
		rows = append(rows, r)
	}
	return rows
}

func TestPlotGolden(t *testing.T) {
	rows := plotRows()
	for _, k := range PlotKinds {
		t.Run(k.Name, func(t *testing.T) {
			got, err := PlotFile(k.Name, rows, 640, 360, "png")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, k.Name, got)
		})
	}
}

func TestPlotErrors(t *testing.T) {
	noReview := plotRows()
	for i := range noReview {
		noReview[i].AgreePairs = 0
	}
	for _, c := range []struct {
		name, kind string
		rows       []Row
		want       error
	}{
		{"no rows", PlotNoiseByDevice, nil, ErrNoRows},
		{"unknown kind", "pie", plotRows(), ErrPlotKind},
		{"nobody reviewed", PlotAgreementByDevice, noReview, ErrNoRows},
		{"no leads", PlotNoisePerRecord, []Row{{Name: "x"}}, ErrNoRows},
	} {
		if _, err := Plot(c.kind, c.rows); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestMeanNoise(t *testing.T) {
	if got := MeanNoise(&Row{NoisePct: []float64{3, 1}}); got != 2 {
		t.Errorf("mean noise %v, want 2", got)
	}
	if got := MeanNoise(&Row{}); !math.IsNaN(got) {
		t.Errorf("mean noise without leads %v, want NaN", got)
	}
}

func TestPlotImageSize(t *testing.T) {
	img, err := PlotImage(PlotAFByDevice, plotRows(), 300, 200)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 200 {
		t.Errorf("image %v, want 300 x 200", b)
	}
}

// golden compares a PNG with testdata/NAME.png: at most 0.5% of the pixels
// may differ by more than 48 levels in a channel (font rasterisation
// differs a little between machines). On failure the PNG is written under
// testdata/failed/ to look at.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	if *updatePlots {
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
		t.Fatalf("%v (run go test -update-plots to make it)", err)
	}
	if n, total := differing(t, got, want); n*200 > total {
		os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		failed := filepath.Join("testdata", "failed", name+".png")
		os.WriteFile(failed, got, 0o644)
		t.Errorf("%s: %d of %d pixels differ from the golden file; wrote %s", name, n, total, failed)
	}
}

func differing(t *testing.T, a, b []byte) (int, int) {
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

func far(a, b image.Image, x, y int) bool {
	r1, g1, b1, _ := a.At(x, y).RGBA()
	r2, g2, b2, _ := b.At(x, y).RGBA()
	d := func(p, q uint32) bool { return max(p, q)-min(p, q) > 48<<8 }
	return d(r1, r2) || d(g1, g2) || d(b1, b2)
}
