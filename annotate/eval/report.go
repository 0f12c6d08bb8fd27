package eval

import (
	"fmt"
	"io"
)

// WriteTable writes one line per record and the totals, like bxb's line
// format followed by sumstats: QRS TP, FN, FP, Se and +P, V Se and +P, and
// S Se and +P. Undefined percentages print as "-".
func WriteTable(w io.Writer, results []*Result) error {
	fmt.Fprintf(w, "%-8s %7s %5s %5s %7s %7s %7s %7s %7s %7s\n",
		"Record", "TP", "FN", "FP", "Se", "+P", "V Se", "V +P", "S Se", "S +P")
	for _, r := range results {
		c := r.Matrix.Detection()
		fmt.Fprintf(w, "%-8s %7d %5d %5d %7s %7s %7s %7s %7s %7s\n", r.Record, c.TP, c.FN, c.FP,
			Percent(c.Se()), Percent(c.PP()), Percent(r.Matrix.Class(LabelV).Se()), Percent(r.Matrix.Class(LabelV).PP()),
			Percent(r.Matrix.Class(LabelS).Se()), Percent(r.Matrix.Class(LabelS).PP()))
	}
	return WriteSummary(w, "", results)
}

// WriteSummary writes the gross and average lines for results, labelled
// with label (e.g. "44 non-paced"). A figure no record defines (V +P where
// no beat was called V) prints as "-".
func WriteSummary(w io.Writer, label string, results []*Result) error {
	q := Summarize(results)
	v, s := SummarizeClass(results, LabelV), SummarizeClass(results, LabelS)
	name := fmt.Sprintf("Gross%s", label)
	_, err := fmt.Fprintf(w, "%-8s %7d %5d %5d %7s %7s %7s %7s %7s %7s\n", name,
		q.Counts.TP, q.Counts.FN, q.Counts.FP, Percent(q.Counts.Se()), Percent(q.Counts.PP()),
		Percent(v.Counts.Se()), Percent(v.Counts.PP()), Percent(s.Counts.Se()), Percent(s.Counts.PP()))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%-8s %7s %5s %5s %7s %7s %7s %7s %7s %7s\n", "Average", "", "", "",
		avgSe(q), avgPP(q), avgSe(v), avgPP(v), avgSe(s), avgPP(s))
	return err
}

// avgSe and avgPP format the average figures, "-" when no record defines them.
func avgSe(s Summary) string { return Percent(s.AvgSe, s.NSe > 0) }
func avgPP(s Summary) string { return Percent(s.AvgPP, s.NPP > 0) }

// WriteMatrix writes the summed confusion matrix of results as bxb's
// standard table with SVEB (reference rows, test columns).
func WriteMatrix(w io.Writer, results []*Result) error {
	var m Matrix
	for _, r := range results {
		m.Add(&r.Matrix)
	}
	fmt.Fprintf(w, "%4s", "")
	for k := LabelN; k <= LabelX; k++ {
		fmt.Fprintf(w, " %7s", k.String()+"'")
	}
	fmt.Fprintln(w)
	for r := LabelN; r <= LabelX; r++ {
		fmt.Fprintf(w, "%4s", r)
		for k := LabelN; k <= LabelX; k++ {
			fmt.Fprintf(w, " %7d", m[r][k])
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}

// Percent writes a percentage with two decimals, "-" where it is undefined.
func Percent(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

// RecordFigures are one record's reference beats (matched or missed) and
// the V Se, V +P, S Se and S +P of m, "-" where undefined: the per-record
// lines of compare-models and the error browser.
func RecordFigures(m *Matrix) []string {
	d := m.Detection()
	out := []string{fmt.Sprint(d.TP + d.FN)}
	for _, k := range []Label{LabelV, LabelS} {
		c := m.Class(k)
		se, okSe := c.Se()
		pp, okPP := c.PP()
		out = append(out, Percent(se, okSe), Percent(pp, okPP))
	}
	return out
}
