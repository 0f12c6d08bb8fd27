package archive

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	goldenpng "github.com/ecgstation/ecgstation/internal/golden"
)

var updatePlots = flag.Bool("update-plots", false, "rewrite the golden PNG files of the plots")

// plotRows returns 12 records on three devices with known figures: device
// "holter-a" is noisy, "holter-b" has AF, "patch" has no reviewed records,
// leads II and V5 (the Holters I and II) and one record without leads.
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
			// The patch records its leads in another order, and a lead the
			// Holters lack: the per-lead plot matches them by name.
			r.Leads, r.NoisePct = []string{"II", "V5"}, []float64{float64(i) / 6, float64(i) / 3}
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
		{"no lead noise", PlotNoiseByLead, []Row{{Name: "x"}}, ErrNoRows},
		{"unknown lengths", PlotNoiseByLead, []Row{{Name: "x", Leads: []string{"I"}, NoisePct: []float64{math.NaN()}}}, ErrNoRows},
	} {
		if _, err := Plot(c.kind, c.rows); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
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

// golden compares a PNG with testdata/NAME.png (see package golden;
// -update-plots rewrites them, as -update does the CSV files).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenpng.PNG(t, name, got, *updatePlots)
}

// TestNoiseByLeadName: the per-lead noise plot puts each lead's burden in
// the box of its name (MIT-BIH 100 starts with MLII, 102 with V5), leaves
// out a record of unknown length (NaN) instead of failing, names unnamed
// leads by position and counts a repeated name apart.
func TestNoiseByLeadName(t *testing.T) {
	nan := math.NaN()
	rows := []Row{
		{Name: "100", Device: "mitdb", Leads: []string{"MLII", "V5"}, NoisePct: []float64{1, 2}},
		{Name: "102", Device: "mitdb", Leads: []string{"V5", "V2"}, NoisePct: []float64{3, 4}},
		{Name: "103", Device: "mitdb", Leads: []string{"MLII", "V2"}, NoisePct: []float64{5, 6}},
		{Name: "new", Device: "mitdb", Leads: []string{"MLII", "V1"}, NoisePct: []float64{nan, nan}},
		{Name: "e1", Device: "edf", Leads: []string{"ECG", "ECG", ""}, NoisePct: []float64{7, 8, 9}},
		{Name: "e2", Device: "edf", NoisePct: []float64{10}},
	}
	keys, m := byDevice(rows) // edf, mitdb
	names, v := leadNoise(keys, m)
	want := map[string][2][]float64{ // edf, mitdb
		"MLII": {nil, {1, 5}}, "V5": {nil, {2, 3}}, "V2": {nil, {4, 6}},
		"ECG": {{7}, nil}, "ECG #2": {{8}, nil}, "lead 3": {{9}, nil}, "lead 1": {{10}, nil},
	}
	if len(names) != len(want) || names[0] != "MLII" && names[0] != "V5" && names[0] != "V2" {
		t.Errorf("leads %q, want %d of them, the two-record ones first", names, len(want))
	}
	for l, name := range names {
		for d := range keys {
			if got, w := []float64(v[l][d]), want[name][d]; !slices.Equal(got, w) {
				t.Errorf("lead %s on %s: %v, want %v", name, keys[d], got, w)
			}
		}
	}
	if _, err := Plot(PlotNoiseByLead, rows); err != nil {
		t.Errorf("plot with a record of unknown length: %v", err)
	}
}
