package ui

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/figures"
)

// ArchiveGroupRow is one device or site of the archive as the archive view
// lists it: its records and patients, recording hours, mean noise burden,
// beats by class, AF burden, the records with a reader's label set
// (Reviewed) and the model-reader agreement.
// Its fields are those of package archive's Group, so app converts one to
// the other.
type ArchiveGroupRow struct {
	Key               string
	Records, Patients int
	Hours             float64
	NoisePct          float64
	Counts            [annotate.ClassQ + 1]int
	Beats             int
	AFPct             float64
	Reviewed          int
	AgreePairs        int
	AgreePct          float64
	Kappa             float64
}

// archiveCol is a column of the archive table: its header, width, the text
// of a row's cell and the order of two rows.
type archiveCol[T any] struct {
	title string
	width float32
	text  func(*T) string
	cmp   func(a, b *T) int
}

// col builds a column whose order is that of the value key gives.
func col[T any, K cmp.Ordered](title string, width float32, text func(*T) string, key func(*T) K) archiveCol[T] {
	return archiveCol[T]{title, width, text, func(a, b *T) int { return cmp.Compare(key(a), key(b)) }}
}

// classCols are the N S V F Q columns of rows with counts.
func classCols[T any](counts func(*T) *[annotate.ClassQ + 1]int) []archiveCol[T] {
	var out []archiveCol[T]
	for c := annotate.ClassN; c <= annotate.ClassQ; c++ {
		out = append(out, col(c.String(), map[bool]float32{true: 76, false: 62}[c == annotate.ClassN], func(r *T) string { return fmt.Sprint(counts(r)[c]) },
			func(r *T) int { return counts(r)[c] }))
	}
	return out
}

// recordCols are the columns of the record rows.
var recordCols = func() []archiveCol[figures.Row] {
	type R = figures.Row
	cs := []archiveCol[R]{
		col("Record", 100, func(r *R) string { return r.Name }, func(r *R) string { return r.Name }),
		col("Device", 100, func(r *R) string { return r.Device }, func(r *R) string { return r.Device }),
		col("Site", 80, func(r *R) string { return r.Site }, func(r *R) string { return r.Site }),
		col("Patient", 80, func(r *R) string { return r.Patient }, func(r *R) string { return r.Patient }),
		col("Hours", 66, func(r *R) string { return fmt.Sprintf("%.1f", r.Hours) }, func(r *R) float64 { return r.Hours }),
		col("Noise %", 110, func(r *R) string { return leadNoise(r.NoisePct) }, (*R).MeanNoisePct),
		col("Beats", 76, func(r *R) string { return fmt.Sprint(r.Beats) }, func(r *R) int { return r.Beats }),
	}
	cs = append(cs, classCols(func(r *R) *[annotate.ClassQ + 1]int { return &r.Counts })...)
	return append(cs,
		col("AF %", 64, func(r *R) string { return pct1(r.AFPct) }, func(r *R) float64 { return r.AFPct }),
		col("State", 96, func(r *R) string { return r.State.String() }, func(r *R) annotate.State { return r.State }),
		col("Reader", 100, func(r *R) string { return r.Reader }, func(r *R) string { return r.Reader }),
		col("Reviewed", 84, func(r *R) string { return pct0(share(r.Reviewed, r.Beats)) }, func(r *R) float64 { return share(r.Reviewed, r.Beats) }),
		col("Agree %", 76, func(r *R) string { return ifPairs(r.AgreePairs, pct1(r.AgreePct)) }, func(r *R) float64 { return nanUnless(r.AgreePairs, r.AgreePct) }),
		col("κ", 60, func(r *R) string { return ifPairs(r.AgreePairs, fmt.Sprintf("%.3f", r.Kappa)) }, func(r *R) float64 { return nanUnless(r.AgreePairs, r.Kappa) }),
	)
}()

// groupCols are the columns of the device or site rows; the first header
// is set by the view ("Device" or "Site").
var groupCols = func() []archiveCol[ArchiveGroupRow] {
	type G = ArchiveGroupRow
	cs := []archiveCol[G]{
		col("Device", 120, func(g *G) string { return g.Key }, func(g *G) string { return g.Key }),
		col("Records", 76, func(g *G) string { return fmt.Sprint(g.Records) }, func(g *G) int { return g.Records }),
		col("Patients", 76, func(g *G) string { return fmt.Sprint(g.Patients) }, func(g *G) int { return g.Patients }),
		col("Hours", 76, func(g *G) string { return fmt.Sprintf("%.1f", g.Hours) }, func(g *G) float64 { return g.Hours }),
		col("Noise %", 76, func(g *G) string { return pct1(g.NoisePct) }, func(g *G) float64 { return g.NoisePct }),
		col("Beats", 86, func(g *G) string { return fmt.Sprint(g.Beats) }, func(g *G) int { return g.Beats }),
	}
	cs = append(cs, classCols(func(g *G) *[annotate.ClassQ + 1]int { return &g.Counts })...)
	return append(cs,
		col("AF %", 64, func(g *G) string { return pct1(g.AFPct) }, func(g *G) float64 { return g.AFPct }),
		col("With reader", 110, func(g *G) string { return fmt.Sprint(g.Reviewed) }, func(g *G) int { return g.Reviewed }),
		col("Agree %", 76, func(g *G) string { return ifPairs(g.AgreePairs, pct1(g.AgreePct)) }, func(g *G) float64 { return nanUnless(g.AgreePairs, g.AgreePct) }),
		col("κ", 60, func(g *G) string { return ifPairs(g.AgreePairs, fmt.Sprintf("%.3f", g.Kappa)) }, func(g *G) float64 { return nanUnless(g.AgreePairs, g.Kappa) }),
	)
}()

// leadNoise lists the noise burden of each lead ("3.1 / 0.4"), blank as
// pct1 is when no lead has one (a record of unknown length).
func leadNoise(v []float64) string {
	s := make([]string, len(v))
	known := false
	for i, x := range v {
		s[i], known = pct1(x), known || !math.IsNaN(x)
	}
	if !known {
		return ""
	}
	return strings.Join(s, " / ")
}

// pct1 formats a percentage with one decimal, blank when not a number.
func pct1(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmt.Sprintf("%.1f", v)
}

// pct0 formats a percentage as a whole number with its sign.
func pct0(v float64) string { return fmt.Sprintf("%.0f%%", v) }

// share returns n of total in percent (0 of nothing).
func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}

// ifPairs returns s when some beats were compared, else blank (no reader).
func ifPairs(pairs int, s string) string {
	if pairs == 0 {
		return ""
	}
	return s
}

// nanUnless returns v when some beats were compared, else NaN (sorted
// first, as blank).
func nanUnless(pairs int, v float64) float64 {
	if pairs == 0 {
		return math.NaN()
	}
	return v
}

// sortKey is a sorted column and its direction.
type sortKey struct {
	col  int
	desc bool
}

// next returns the sort after a click on column c: that column up, or
// the other way when it is already the sorted one.
func (k sortKey) next(c int) sortKey {
	if k.col == c {
		return sortKey{c, !k.desc}
	}
	return sortKey{c, false}
}

// title returns a column's header with ▲ or ▼ when it is the sorted one.
func (k sortKey) title(c int, title string) string {
	switch {
	case k.col != c:
		return title
	case k.desc:
		return title + " ▼"
	}
	return title + " ▲"
}

// order returns the comparison of rows by the key's column, ties by the
// first column.
func order[T any](cols []archiveCol[T], k sortKey) func(a, b T) int {
	return func(a, b T) int {
		c := cols[k.col].cmp(&a, &b)
		if k.desc {
			c = -c
		}
		return cmp.Or(c, cols[0].cmp(&a, &b))
	}
}
