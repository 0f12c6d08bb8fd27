package archive

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/stat"
)

// oneWay is a balanced one-way table: a groups of m rows, y only.
func oneWay(a, m int, groupSD float64, centre bool, seed uint64) (string, [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	ys := make([][]float64, a)
	for i := range ys {
		u := rng.NormFloat64() * groupSD
		for range m {
			ys[i] = append(ys[i], 5+u+rng.NormFloat64())
		}
		if centre { // every group mean the same: MSB = 0 < MSW
			mean := stat.Mean(ys[i], nil)
			for k := range ys[i] {
				ys[i][k] += 5 - mean
			}
		}
	}
	var b strings.Builder
	b.WriteString("y,g\n")
	for i, g := range ys {
		for _, y := range g {
			fmt.Fprintf(&b, "%v,g%d\n", y, i)
		}
	}
	return b.String(), ys
}

// anova returns the one-way ANOVA's mean squares and grand mean.
func anova(ys [][]float64) (msb, msw, grand float64) {
	a, m := float64(len(ys)), float64(len(ys[0]))
	var all []float64
	for _, g := range ys {
		all = append(all, g...)
	}
	grand = stat.Mean(all, nil)
	for _, g := range ys {
		mean := stat.Mean(g, nil)
		msb += m * (mean - grand) * (mean - grand)
		for _, y := range g {
			msw += (y - mean) * (y - mean)
		}
	}
	return msb / (a - 1), msw / (a * (m - 1)), grand
}

// TestFitMixedClosedForm checks the fit against the balanced one-way
// random-effects ANOVA (Searle, Casella & McCulloch, Variance Components,
// ch. 3 and 6): REML σ²_u = (MSB−MSW)/m and σ² = MSW; ML σ²_u =
// ((1−1/a)MSB−MSW)/m and σ² = MSW; the intercept is the grand mean with
// SE √(MSB/(am)) under REML, and σ²_u's REML standard error is the ANOVA
// estimator's, √(2/m²·[MSB²/(a−1) + MSW²/(a(m−1))]); when MSB < MSW,
// λ = 0 and the fit is ordinary least squares.
func TestFitMixedClosedForm(t *testing.T) {
	for _, c := range []struct {
		name   string
		a, m   int
		sd     float64
		centre bool
		reml   bool
	}{
		{"REML", 12, 6, 2, false, true},
		{"REML small groups", 40, 2, 1, false, true},
		{"ML", 12, 6, 2, false, false},
		{"REML at the boundary", 10, 5, 1, true, true},
		{"ML at the boundary", 10, 5, 1, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, ys := oneWay(c.a, c.m, c.sd, c.centre, uint64(c.a*c.m))
			tb, err := ReadTable(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			f, err := FitMixed(tb, MixedSpec{Y: "y", Group: "g"}, c.reml)
			if err != nil {
				t.Fatal(err)
			}
			msb, msw, grand := anova(ys)
			a, m := float64(c.a), float64(c.m)
			wantU, wantS, wantSE := (msb-msw)/m, msw, math.Sqrt(msb/(a*m))
			if !c.reml {
				wantU = ((1-1/a)*msb - msw) / m
				wantSE = math.Sqrt(((1 - 1/a) * msb) / (a * m))
			}
			if wantU <= 0 { // boundary: OLS, σ² the total variance over n−1 (REML) or n (ML)
				n := a * m
				wantU, wantS, wantSE = 0, ((a-1)*msb+a*(m-1)*msw)/(n-1), math.Sqrt(((a-1)*msb+a*(m-1)*msw)/(n-1)/n)
				if !c.reml {
					wantS *= (n - 1) / n
					wantSE = math.Sqrt(wantS / n)
				}
			}
			check := func(what string, got, want float64) {
				if math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
					t.Errorf("%s = %.9g, closed form %.9g", what, got, want)
				}
			}
			check("group variance", f.GroupVar, wantU)
			check("scale", f.Scale, wantS)
			check("intercept", f.Coefs[0].Est, grand)
			check("SE(intercept)", f.Coefs[0].SE, wantSE)
			if c.reml && wantU > 0 { // the ANOVA estimator's variance, MSB and MSW plugged in
				v := 2 / (m * m) * (msb*msb/(a-1) + msw*msw/(a*(m-1)))
				if got := f.GroupVarSE; math.Abs(got-math.Sqrt(v)) > 1e-5*math.Sqrt(v) {
					t.Errorf("SE(group variance) = %.9g, closed form %.9g", got, math.Sqrt(v))
				}
			}
			if wantU == 0 && !math.IsNaN(f.GroupVarSE) {
				t.Errorf("SE(group variance) = %v at the boundary, want NaN", f.GroupVarSE)
			}
			if !f.Converged {
				t.Error("not converged")
			}
		})
	}
}

// TestProfileOLS checks the profile at λ = 0 is ordinary least squares
// (gonum's stat.LinearRegression) with the REML/ML residual variance.
func TestProfileOLS(t *testing.T) {
	tb, err := ReadTable(strings.NewReader(simCases[1].csv()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := buildDesign(tb, MixedSpec{Y: "y", Fixed: []string{"x"}, Group: "patient"})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := newProfile(d, true).at(0)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(d.y))
	for k := range x {
		x[k] = d.x.At(k, 1)
	}
	alpha, beta := stat.LinearRegression(x, d.y, nil, false)
	if math.Abs(pt.beta.AtVec(0)-alpha) > 1e-9 || math.Abs(pt.beta.AtVec(1)-beta) > 1e-9 {
		t.Errorf("β at λ=0 = %v, OLS (%v, %v)", pt.beta.RawVector().Data, alpha, beta)
	}
	rss := 0.0
	for k, y := range d.y {
		r := y - alpha - beta*x[k]
		rss += r * r
	}
	if math.Abs(pt.q-rss) > 1e-9*rss {
		t.Errorf("Q at λ=0 = %v, OLS residual sum of squares %v", pt.q, rss)
	}
}

// TestProfileSlope checks the analytic d ll/d λ against a central
// difference (gonum's fd) at several λ, REML and ML.
func TestProfileSlope(t *testing.T) {
	tb, err := ReadTable(strings.NewReader(simCases[1].csv()))
	if err != nil {
		t.Fatal(err)
	}
	d, err := buildDesign(tb, MixedSpec{Y: "y", Fixed: []string{"x", "device"}, Group: "patient"})
	if err != nil {
		t.Fatal(err)
	}
	for _, reml := range []bool{true, false} {
		pr := newProfile(d, reml)
		for _, lambda := range []float64{0.01, 0.3, 1, 7, 50} {
			pt, err := pr.at(lambda)
			if err != nil {
				t.Fatal(err)
			}
			num := fd.Derivative(func(l float64) float64 {
				p, _ := pr.at(l)
				return p.ll
			}, lambda, &fd.Settings{Formula: fd.Central, Step: 1e-5 * lambda})
			if got := pr.slope(pt); math.Abs(got-num) > 1e-5*max(1, math.Abs(num)) {
				t.Errorf("reml=%v λ=%g: slope %.9g, numerical %.9g", reml, lambda, got, num)
			}
		}
	}
}

// TestFitMixedErrors covers the data a random intercept cannot be fitted
// to, each with a clear error, and the awkward data it can.
func TestFitMixedErrors(t *testing.T) {
	for _, c := range []struct {
		name, in string
		spec     MixedSpec
		is       error
		say      string // part of the message; empty: the fit must work
	}{
		{"one group", "y,x,g\n1,1,a\n2,2,a\n3,2,a\n5,4,a\n", MixedSpec{"y", []string{"x"}, "g"}, ErrNoVariance, "all 4 rows are in one group (a)"},
		{"groups of one", "y,g\n1,a\n2,b\n3,c\n", MixedSpec{"y", nil, "g"}, ErrNoVariance, "each of the 3 groups has one row"},
		{"a group of one among others", "y,g\n1,a\n2,a\n3,b\n3.5,b\n7,c\n", MixedSpec{"y", nil, "g"}, nil, ""},
		{"collinear numeric", "y,x,z,g\n1,1,2,a\n2,2,4,a\n3,1,2,b\n5,4,8,b\n6,3,6,c\n", MixedSpec{"y", []string{"x", "z"}, "g"}, ErrSingular, "column z is a combination of the columns before it (Intercept, x)"},
		{"collinear level", "y,dev,site,g\n1,m,s1,a\n2,m,s1,a\n3,v,s2,b\n5,v,s2,b\n6,m,s1,c\n7,v,s2,c\n", MixedSpec{"y", []string{"dev", "site"}, "g"}, ErrSingular, "column site[T.s2]"},
		{"n ≤ p", "y,x,g\n1,1,a\n2,3,b\n", MixedSpec{"y", []string{"x"}, "g"}, ErrTooFewRows, "2 complete rows for 2 fixed-effect columns"},
		{"all missing", "y,g\n,a\nNA,b\n", MixedSpec{"y", nil, "g"}, ErrTooFewRows, "no row has y, g"},
		{"unknown fixed", "y,g\n1,a\n", MixedSpec{"y", []string{"device"}, "g"}, ErrNoColumn, `"device": the table has y, g`},
		{"unknown group", "y,g\n1,a\n", MixedSpec{"y", nil, "patient"}, ErrNoColumn, `group: no such column "patient"`},
		{"y infinite", "y,g\n1,a\ninf,a\n2,b\n2.5,b\n", MixedSpec{"y", nil, "g"}, nil, `column "y": data row 2 is infinite (+Inf)`},
		{"y constant", "y,g\n0,a\n0,a\n0,b\n0,b\n", MixedSpec{"y", nil, "g"}, ErrNoVariance, "y is an exact function of the fixed effects (Intercept)"},
		{"y exact in x", "y,x,g\n1,1,a\n2,2,a\n3,3,b\n4,4,b\n5,5,c\n6,6,c\n", MixedSpec{"y", []string{"x"}, "g"}, ErrNoVariance, "exact function of the fixed effects (Intercept, x)"},
		{"y constant within groups", "y,g\n1,a\n1,a\n2,b\n2,b\n5,c\n5,c\n", MixedSpec{"y", nil, "g"}, ErrNoVariance, "y does not vary within the groups"},
		{"y not numeric", "y,g\n1,a\nlow,b\n", MixedSpec{"y", nil, "g"}, nil, `column "y" is not numeric (data row 2: "low")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb, err := ReadTable(strings.NewReader(c.in))
			if err != nil {
				t.Fatal(err)
			}
			_, err = FitMixed(tb, c.spec, true)
			switch {
			case c.say == "" && err != nil:
				t.Fatalf("err = %v, want a fit", err)
			case c.say == "":
			case err == nil || !strings.Contains(err.Error(), c.say):
				t.Errorf("err = %v, want one saying %q", err, c.say)
			case c.is != nil && !errors.Is(err, c.is):
				t.Errorf("err = %v, want %v", err, c.is)
			}
		})
	}
}

// updateLMM rewrites testdata/lmm_summary.txt (read the diff before
// committing).
var updateLMM = flag.Bool("update-lmm", false, "rewrite testdata/lmm_summary.txt")

// TestSummaryGolden checks Summary against testdata/lmm_summary.txt.
func TestSummaryGolden(t *testing.T) {
	tb, err := ReadTable(strings.NewReader(simCases[1].csv()))
	if err != nil {
		t.Fatal(err)
	}
	f, err := FitMixed(tb, MixedSpec{Y: "y", Fixed: []string{"x", "device"}, Group: "patient"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := f.Summary(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "lmm_summary.txt")
	if *updateLMM {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("summary:\n%s\nwant (%s):\n%s", b.String(), path, want)
	}
}

// TestLevelNames checks numeric levels are named as patsy names the
// levels of the column pandas reads (checked with patsy 0.5.3 and pandas
// 1.5.3: C(k)[T.2] for an integer column, C(k)[T.2.0] for a float one).
func TestLevelNames(t *testing.T) {
	for _, c := range []struct {
		cells []string
		want  string
	}{
		{[]string{"2", "10", "-3"}, "[2 10 -3]"},
		{[]string{"2", "10", ""}, "[2.0 10.0 ]"},
		{[]string{"2", "0.5", "1e-05"}, "[2.0 0.5 1e-05]"},
		{[]string{"1.0", "123456789", "2e16"}, "[1.0 123456789.0 2e+16]"},
	} {
		if got := fmt.Sprint(numberLevels(c.cells, numericView(c.cells))); got != c.want {
			t.Errorf("%q: levels %s, want %s", c.cells, got, c.want)
		}
	}
}

// TestDesignColumns checks the columns are named and coded as patsy
// codes statsmodels' formula: treatment coding against the first level
// in sorted order (numeric order under C() of a numeric column), and
// incomplete rows dropped.
func TestDesignColumns(t *testing.T) {
	in := "y,dev,k,ok,g\n1,svdb,10,True,a\n2,mitdb,2,False,a\n3,nstdb,1,True,b\n,mitdb,2,True,b\n5,svdb,NA,False,c\n6,mitdb,10,True,c\n"
	tb, err := ReadTable(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fixed   []string
		names   string
		col     []float64 // the last column over the kept rows
		dropped int
	}{
		{[]string{"dev"}, "Intercept dev[T.nstdb] dev[T.svdb]", []float64{1, 0, 0, 1, 0}, 1},
		{[]string{"k"}, "Intercept k", []float64{10, 2, 1, 10}, 2},
		{[]string{"C(k)"}, "Intercept C(k)[T.2.0] C(k)[T.10.0]", []float64{1, 0, 0, 1}, 2}, // NA: pandas reads k as float
		{[]string{"ok", "dev"}, "Intercept ok[T.True] dev[T.nstdb] dev[T.svdb]", []float64{1, 0, 0, 1, 0}, 1},
	} {
		d, err := buildDesign(tb, MixedSpec{Y: "y", Fixed: c.fixed, Group: "g"})
		if err != nil {
			t.Fatal(err)
		}
		n, p := d.x.Dims()
		got := make([]float64, n)
		for k := range got {
			got[k] = d.x.At(k, p-1)
		}
		if strings.Join(d.names, " ") != c.names || fmt.Sprint(got) != fmt.Sprint(c.col) || d.dropped != c.dropped {
			t.Errorf("%v: columns %q, last %v, %d dropped; want %q, %v, %d", c.fixed, d.names, got, d.dropped, c.names, c.col, c.dropped)
		}
	}
}

// BenchmarkFitMixed fits a segment-sized table: 2000 patients of 1 to 40
// rows (about 41000 rows), a numeric and a 3-level fixed effect.
func BenchmarkFitMixed(b *testing.B) {
	c := simCase{sizes: unbalanced(2000, 9), groupVar: 2, scale: 1, seed: 9}
	tb, err := ReadTable(strings.NewReader(c.csv()))
	if err != nil {
		b.Fatal(err)
	}
	spec := MixedSpec{Y: "y", Fixed: []string{"x", "device"}, Group: "patient"}
	b.ResetTimer()
	for range b.N {
		if _, err := FitMixed(tb, spec, true); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzFitMixed fits any CSV (first column y, last the group, the others
// fixed effects) and checks FitMixed never panics and a fit it returns
// has finite figures: σ² > 0, σ²_u ≥ 0, estimates and a log-likelihood.
func FuzzFitMixed(f *testing.F) {
	f.Add([]byte("y,g\n1,a\n2,a\n3,b\n3.5,b\n7,c\n"))
	f.Add([]byte("y,x,dev,g\n1,1,m,a\n2,2,v,a\n3,1,m,b\n5,4,v,b\n6,3,m,c\n2,2,v,c\n"))
	f.Add([]byte(simCase{sizes: []int{1, 3, 5}, groupVar: 1, scale: 1, seed: 1}.csv()))
	f.Fuzz(func(t *testing.T, in []byte) {
		tb, err := ReadTable(bytes.NewReader(in))
		if err != nil || len(tb.Header) < 2 || tb.Rows() > 500 {
			return
		}
		h := tb.Header
		fit, err := FitMixed(tb, MixedSpec{Y: h[0], Fixed: h[1 : len(h)-1], Group: h[len(h)-1]}, true)
		if err != nil {
			return
		}
		ok := fit.Scale > 0 && fit.GroupVar >= 0 && !math.IsInf(fit.LogLik, 0) && !math.IsNaN(fit.LogLik)
		for _, c := range fit.Coefs {
			ok = ok && !math.IsNaN(c.Est) && !math.IsInf(c.Est, 0)
		}
		if !ok {
			t.Errorf("fit of %q: scale %v, group variance %v, llf %v, coefficients %+v", in, fit.Scale, fit.GroupVar, fit.LogLik, fit.Coefs)
		}
	})
}
