package archive

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// python is the Debian interpreter that python3-statsmodels installs into
// (another python3 earlier on PATH may lack it).
const python = "/usr/bin/python3"

// smFit is the JSON of testdata/lmm_statsmodels.py.
type smFit struct {
	FeParams  map[string]float64 `json:"fe_params"`
	BseFe     map[string]float64 `json:"bse_fe"`
	CovRe     float64            `json:"cov_re"`
	BseRe     float64            `json:"bse_re"`
	Scale     float64            `json:"scale"`
	LLF       float64            `json:"llf"`
	Converged bool               `json:"converged"`
	NObs      int                `json:"nobs"`
}

// needStatsmodels skips the test when the reference is not installed.
func needStatsmodels(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import statsmodels, pandas").CombinedOutput(); err != nil {
		t.Skipf("%s lacks statsmodels (apt-get install python3-statsmodels, in the Makefile's APT_TEST): %v\n%s", python, err, out)
	}
}

// statsmodelsFit runs the reference script on a CSV file.
func statsmodelsFit(t *testing.T, path string, s MixedSpec, reml bool) smFit {
	t.Helper()
	method := "ml"
	if reml {
		method = "reml"
	}
	args := append([]string{filepath.Join("testdata", "lmm_statsmodels.py"), path, s.Y, s.Group, method}, s.Fixed...)
	out, err := exec.Command(python, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("statsmodels: %v\n%s", err, stderr)
	}
	var f smFit
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatalf("statsmodels output %q: %v", out, err)
	}
	return f
}

// near is the agreement rule with statsmodels: within 1% of the larger
// magnitude, or within abs for values near nought (a hundredth of the
// coefficient's standard error for a fixed effect, a thousandth of the
// residual variance for the group variance). The group variance's
// standard error is not compared: statsmodels prints another figure (see
// groupVarSE); the closed-form test checks it.
func agrees(got, want, abs float64) bool {
	d := math.Abs(got - want)
	return d <= 0.01*max(math.Abs(got), math.Abs(want)) || d <= abs
}

// TestFitMixedStatsmodels fits simulated tidy tables of known parameters
// with FitMixed and with statsmodels' MixedLM (REML and ML) and checks
// the fixed effects, their standard errors, the group variance and the
// scale agree within 1% (rule: agrees), and the log-likelihoods within
// 1e-3 relative. Where statsmodels stops at a lower log-likelihood than
// Go's (it says so: converged false), Go's optimum must be the better one
// on statsmodels' own likelihood: Go's profile at statsmodels' λ must
// give statsmodels' llf.
func TestFitMixedStatsmodels(t *testing.T) {
	needStatsmodels(t)
	specs := map[string][]string{"balanced": {"device"}}
	var side strings.Builder
	for _, c := range simCases {
		path := filepath.Join(t.TempDir(), c.name+".csv")
		if err := os.WriteFile(path, []byte(c.csv()), 0o600); err != nil {
			t.Fatal(err)
		}
		tb := readFile(t, path)
		for _, reml := range []bool{true, false} {
			if testing.Short() && !reml {
				continue // -short: REML only
			}
			fixed := []string{"x", "device"}
			if f, ok := specs[c.name]; ok && !reml {
				fixed = f // a categorical alone, too
			}
			spec := MixedSpec{Y: "y", Fixed: fixed, Group: "patient"}
			got, err := FitMixed(tb, spec, reml)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want := statsmodelsFit(t, path, spec, reml)
			name := fmt.Sprintf("%s/reml=%v", c.name, reml)
			compareStatsmodels(t, name, tb, got, want)
			sideBySide(&side, name, got, want)
		}
	}
	t.Log("Go against statsmodels 0.13 (*Group Var: statsmodels' bse_re, √scale·SE(λ), not an SE of the variance):\n" + side.String())
}

// readFile reads a table from a file.
func readFile(t *testing.T, path string) *Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tb, err := ReadTable(f)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// compareStatsmodels applies the agreement rule to one fit.
func compareStatsmodels(t *testing.T, name string, tb *Table, got *MixedFit, want smFit) {
	t.Helper()
	if got.NObs != want.NObs {
		t.Errorf("%s: %d rows, statsmodels %d", name, got.NObs, want.NObs)
	}
	if want.LLF < got.LogLik-1e-6*math.Abs(got.LogLik) {
		goBetter(t, name, tb, got, want)
		return
	}
	if !agrees(got.LogLik, want.LLF, 1e-3*math.Abs(want.LLF)) {
		t.Errorf("%s: llf %.6f, statsmodels %.6f", name, got.LogLik, want.LLF)
	}
	for _, c := range got.Coefs {
		w, ok := want.FeParams[c.Name]
		if !ok {
			t.Errorf("%s: no %s in statsmodels' terms %v", name, c.Name, want.FeParams)
			continue
		}
		if !agrees(c.Est, w, 0.01*want.BseFe[c.Name]) {
			t.Errorf("%s: %s = %.6g, statsmodels %.6g", name, c.Name, c.Est, w)
		}
		if !agrees(c.SE, want.BseFe[c.Name], 0) {
			t.Errorf("%s: SE(%s) = %.6g, statsmodels %.6g", name, c.Name, c.SE, want.BseFe[c.Name])
		}
	}
	if len(got.Coefs) != len(want.FeParams) {
		t.Errorf("%s: %d fixed effects, statsmodels %d", name, len(got.Coefs), len(want.FeParams))
	}
	if !agrees(got.GroupVar, want.CovRe, 1e-3*want.Scale) {
		t.Errorf("%s: group variance %.6g, statsmodels %.6g", name, got.GroupVar, want.CovRe)
	}
	if !agrees(got.Scale, want.Scale, 0) {
		t.Errorf("%s: scale %.6g, statsmodels %.6g", name, got.Scale, want.Scale)
	}
}

// goBetter checks a case where statsmodels stopped below Go's optimum:
// Go's profile at statsmodels' λ reproduces statsmodels' llf, so both
// maximise the same function and Go's point is higher on it.
func goBetter(t *testing.T, name string, tb *Table, got *MixedFit, want smFit) {
	t.Helper()
	d, err := buildDesign(tb, got.Spec)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := newProfile(d, got.REML).at(want.CovRe / want.Scale)
	if err != nil {
		t.Fatal(err)
	}
	if !agrees(pt.ll, want.LLF, 1e-6*math.Abs(want.LLF)) {
		t.Errorf("%s: Go's profile at statsmodels' λ=%g is %.6f, statsmodels says %.6f", name, want.CovRe/want.Scale, pt.ll, want.LLF)
	}
	t.Logf("%s: statsmodels (converged=%v) stopped at llf %.4f (group var %.4g), Go's optimum is higher: %.4f (group var %.4g)",
		name, want.Converged, want.LLF, want.CovRe, got.LogLik, got.GroupVar)
}

// sideBySide writes the two fits' figures in columns.
func sideBySide(b *strings.Builder, name string, got *MixedFit, want smFit) {
	fmt.Fprintf(b, "%s\n  %-18s %14s %14s %14s %14s\n", name, "", "Go", "statsmodels", "Go SE", "statsmodels SE*")
	for _, c := range got.Coefs {
		fmt.Fprintf(b, "  %-18s %14.6g %14.6g %14.6g %14.6g\n", c.Name, c.Est, want.FeParams[c.Name], c.SE, want.BseFe[c.Name])
	}
	fmt.Fprintf(b, "  %-18s %14.6g %14.6g %14.6g %14.6g\n  %-18s %14.6g %14.6g\n  %-18s %14.6f %14.6f\n",
		"Group Var", got.GroupVar, want.CovRe, got.GroupVarSE, want.BseRe, "Scale", got.Scale, want.Scale, "llf", got.LogLik, want.LLF)
}

// TestFitMixedStatsmodelsCSV applies the same check to a CSV of one's
// own, e.g. an archive export, named with the model in LMM_CHECK:
//
//	LMM_CHECK="segments.csv noise_any_pct patient device" go test ./store/archive -run StatsmodelsCSV -v
//
// (file, y, group, then the fixed effects comma-separated; REML and ML).
func TestFitMixedStatsmodelsCSV(t *testing.T) {
	f := strings.Fields(os.Getenv("LMM_CHECK"))
	if len(f) < 3 {
		t.Skip(`LMM_CHECK="FILE Y GROUP [FIXED,...]" names a CSV to check against statsmodels`)
	}
	needStatsmodels(t)
	spec := MixedSpec{Y: f[1], Group: f[2]}
	if len(f) > 3 {
		spec.Fixed = strings.Split(f[3], ",")
	}
	path, err := filepath.Abs(f[0])
	if err != nil {
		t.Fatal(err)
	}
	tb := readFile(t, path)
	var side strings.Builder
	for _, reml := range []bool{true, false} {
		got, err := FitMixed(tb, spec, reml)
		if err != nil {
			t.Fatal(err)
		}
		want := statsmodelsFit(t, path, spec, reml)
		name := fmt.Sprintf("%s/reml=%v", filepath.Base(path), reml)
		compareStatsmodels(t, name, tb, got, want)
		sideBySide(&side, name, got, want)
	}
	t.Log("Go against statsmodels 0.13 (*Group Var: statsmodels' bse_re, √scale·SE(λ), not an SE of the variance):\n" + side.String())
}
