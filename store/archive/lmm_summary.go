package archive

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Summary prints the fit as statsmodels' MixedLMResults.summary() does:
// the model's figures, then a table of the fixed effects and the group
// variance, and the rows dropped for a missing value.
func (f *MixedFit) Summary(w io.Writer) error {
	method := "ML"
	if f.REML {
		method = "REML"
	}
	conv := "Yes"
	if !f.Converged {
		conv = "No"
	}
	left := [][2]string{{"Model:", "MixedLM"}, {"No. Observations:", fmt.Sprint(f.NObs)},
		{"No. Groups:", fmt.Sprint(f.NGroups)}, {"Min. group size:", fmt.Sprint(f.MinGroup)},
		{"Max. group size:", fmt.Sprint(f.MaxGroup)}, {"Mean group size:", fmt.Sprintf("%.1f", f.MeanGroup)}}
	right := [][2]string{{"Dependent Variable:", f.Spec.Y}, {"Method:", method},
		{"Scale:", fmt.Sprintf("%.4f", f.Scale)}, {"Log-Likelihood:", fmt.Sprintf("%.4f", f.LogLik)},
		{"Converged:", conv}, {"Group:", f.Spec.Group}}
	rows := f.coefRows()
	head := fmt.Sprintf("%-*s %10s %10s %8s %6s %10s %10s", nameWidth(f), "", "Coef.", "Std.Err.", "z", "P>|z|", "[0.025", "0.975]")
	width := len(head)
	var b strings.Builder
	title := "Mixed Linear Model Regression Results"
	fmt.Fprintf(&b, "%*s\n%s\n", (width+len(title))/2, title, strings.Repeat("=", width))
	for i := range left {
		fmt.Fprintf(&b, "%-18s %-*s %-20s %s\n", left[i][0], width/2-20, left[i][1], right[i][0], right[i][1])
	}
	fmt.Fprintf(&b, "%s\n%s\n%s\n", strings.Repeat("-", width), head, strings.Repeat("-", width))
	for _, r := range rows {
		fmt.Fprintln(&b, r)
	}
	fmt.Fprintln(&b, strings.Repeat("=", width))
	if f.Dropped > 0 {
		fmt.Fprintf(&b, "%d rows dropped for a missing value (missing='drop').\n", f.Dropped)
	}
	if !math.IsNaN(f.GroupVarSE) {
		fmt.Fprintln(&b, "Group Var Std.Err.: the variance's asymptotic SE, not statsmodels' figure.")
	}
	if !f.Converged {
		fmt.Fprintln(&b, "The optimiser stopped before its gradient test: the figures are the best point found.")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// nameWidth is the width of the coefficient name column.
func nameWidth(f *MixedFit) int {
	n := len("Group Var")
	for _, c := range f.Coefs {
		n = max(n, len(c.Name))
	}
	return n
}

// coefRows formats the fixed effects and the group variance.
func (f *MixedFit) coefRows() []string {
	nw := nameWidth(f)
	var rows []string
	for _, c := range f.Coefs {
		rows = append(rows, fmt.Sprintf("%-*s %10.3f %10.3f %8.3f %6.3f %10.3f %10.3f", nw, c.Name, c.Est, c.SE, c.Z, c.P, c.CILow, c.CIHigh))
	}
	row := fmt.Sprintf("%-*s %10.3f", nw, "Group Var", f.GroupVar)
	if !math.IsNaN(f.GroupVarSE) {
		row += fmt.Sprintf(" %10.3f", f.GroupVarSE)
	}
	return append(rows, row)
}
