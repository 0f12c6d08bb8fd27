package archive

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// MixedSpec names the columns of a mixed model: the figure Y, the fixed
// effects (each numeric or categorical) and the grouping column of the
// random intercept, as statsmodels'
// smf.mixedlm("Y ~ Fixed[0] + Fixed[1]", df, groups=df[Group]).
type MixedSpec struct {
	Y     string
	Fixed []string
	Group string
}

// Errors of FitMixed.
var (
	ErrSingular   = errors.New("singular design")
	ErrTooFewRows = errors.New("too few rows")
	ErrNoVariance = errors.New("the group variance cannot be estimated")
)

// design is the model's data once rows with a missing value are dropped:
// X with an intercept column, y, and the rows' group numbers.
type design struct {
	yName   string
	names   []string // column names of X, as patsy names them
	x       *mat.Dense
	y       []float64
	group   []int    // group number of each row
	groups  []string // group labels by number
	dropped int      // rows dropped for a missing value
}

// term is one fixed-effect column of the table as the model reads it:
// numeric (num set) or categorical (cells; values too when the levels
// are numbers, to sort them by).
type term struct {
	name   string
	num    []float64
	cells  []string
	values []float64
}

// buildDesign reads the spec's columns, drops incomplete rows and codes
// the design: an intercept, then each fixed term in order, a numeric one
// as is and a categorical one with treatment coding against its first
// level in sorted order (patsy's columns name[T.level]).
func buildDesign(t *Table, s MixedSpec) (*design, error) {
	y, ok, err := t.Floats(s.Y)
	if err != nil {
		return nil, fmt.Errorf("y: %w", err)
	}
	if !ok {
		c, _ := t.Strings(s.Y)
		i := firstNonNumber(c)
		return nil, fmt.Errorf("y: column %q is not numeric (data row %d: %q): choose a figure column", s.Y, i+1, c[i])
	}
	g, err := t.Strings(s.Group)
	if err != nil {
		return nil, fmt.Errorf("group: %w", err)
	}
	terms, err := readTerms(t, s.Fixed)
	if err != nil {
		return nil, err
	}
	keep := completeRows(y, g, terms)
	if err := checkFinite(s.Y, y, keep); err != nil {
		return nil, err
	}
	for _, tm := range terms {
		if err := checkFinite(tm.name, tm.num, keep); err != nil {
			return nil, err
		}
	}
	d := &design{yName: s.Y, dropped: len(y) - len(keep)}
	d.y = make([]float64, len(keep))
	for k, i := range keep {
		d.y[k] = y[i]
	}
	d.group, d.groups = groupNumbers(g, keep)
	d.names, d.x = codeColumns(terms, keep)
	return d, nil
}

// firstNonNumber is the first row of a column that is neither a number
// nor missing.
func firstNonNumber(c []string) int {
	for i, s := range c {
		if _, ok := parseNumber(s); !ok && !isMissing(s) {
			return i
		}
	}
	return 0
}

// readTerms looks the fixed-effect columns up. A term C(col) makes
// column col categorical even when it is numeric (patsy's C()): its levels
// are then the numbers, in numeric order, named as patsy names them
// (numberLevels).
func readTerms(t *Table, fixed []string) ([]term, error) {
	terms := make([]term, 0, len(fixed))
	for _, f := range fixed {
		col, forced := strings.CutPrefix(f, "C(")
		if forced {
			col, forced = strings.CutSuffix(col, ")")
		}
		if !forced {
			col = f
		}
		v, ok, err := t.Floats(col)
		if err != nil {
			return nil, fmt.Errorf("fixed effect: %w", err)
		}
		if slices.ContainsFunc(terms, func(u term) bool { return u.name == f }) {
			return nil, fmt.Errorf("fixed effect %q given twice", f)
		}
		tm := term{name: f}
		switch {
		case ok && forced:
			cells, _ := t.Strings(col)
			tm.cells, tm.values = numberLevels(cells, v), v
		case ok:
			tm.num = v
		default:
			tm.cells, _ = t.Strings(col)
		}
		terms = append(terms, tm)
	}
	return terms, nil
}

// numberLevels names a numeric column's values as patsy prints the
// levels of the column pandas reads: an integer column (every cell an
// integer, none missing) as integers, any other as Python's repr of a
// float (2.0, 0.5, 1e-05); missing values as "".
func numberLevels(cells []string, v []float64) []string {
	integer := !slices.ContainsFunc(cells, func(c string) bool {
		_, err := strconv.ParseInt(strings.TrimSpace(c), 10, 64)
		return err != nil
	})
	s := make([]string, len(v))
	for i, x := range v {
		switch {
		case math.IsNaN(x):
		case integer:
			s[i] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			s[i] = pythonRepr(x)
		}
	}
	return s
}

// pythonRepr writes a float as Python's repr does: positional from 1e-4
// to 1e16 with at least one decimal, else exponent form.
func pythonRepr(x float64) string {
	if a := math.Abs(x); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(x, 'e', -1, 64)
	}
	f := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.Contains(f, ".") {
		f += ".0"
	}
	return f
}

// checkFinite rejects an infinite value (pandas reads inf as one) in
// the kept rows of a numeric column; v may be nil (a categorical term).
func checkFinite(name string, v []float64, keep []int) error {
	for _, i := range keep {
		if v != nil && math.IsInf(v[i], 0) {
			return fmt.Errorf("column %q: data row %d is infinite (%v): leave the cell empty to drop the row", name, i+1, v[i])
		}
	}
	return nil
}

// completeRows lists the rows with a value in y, the group and every term
// (statsmodels' missing='drop').
func completeRows(y []float64, g []string, terms []term) []int {
	var keep []int
rows:
	for i := range y {
		if math.IsNaN(y[i]) || isMissing(g[i]) {
			continue
		}
		for _, tm := range terms {
			if tm.num != nil && math.IsNaN(tm.num[i]) || tm.num == nil && isMissing(tm.cells[i]) {
				continue rows
			}
		}
		keep = append(keep, i)
	}
	return keep
}

// groupNumbers numbers the groups of the kept rows in sorted order.
func groupNumbers(g []string, keep []int) ([]int, []string) {
	labels := make([]string, len(keep))
	for k, i := range keep {
		labels[k] = g[i]
	}
	groups := slices.Clone(labels)
	slices.Sort(groups)
	groups = slices.Compact(groups)
	num := make([]int, len(keep))
	for k, l := range labels {
		num[k], _ = slices.BinarySearch(groups, l)
	}
	return num, groups
}

// codeColumns builds X over the kept rows.
func codeColumns(terms []term, keep []int) ([]string, *mat.Dense) {
	names := []string{"Intercept"}
	var cols [][]float64
	one := make([]float64, len(keep))
	for k := range one {
		one[k] = 1
	}
	cols = append(cols, one)
	for _, tm := range terms {
		if tm.num != nil {
			c := make([]float64, len(keep))
			for k, i := range keep {
				c[k] = tm.num[i]
			}
			names, cols = append(names, tm.name), append(cols, c)
			continue
		}
		n, c := treatment(tm, keep)
		names, cols = append(names, n...), append(cols, c...)
	}
	x := mat.NewDense(max(len(keep), 1), len(cols), nil)
	for j, c := range cols {
		x.SetCol(j, padded(c))
	}
	if len(keep) == 0 {
		x = nil
	}
	return names, x
}

// padded keeps mat.NewDense's one-row minimum for an empty design.
func padded(c []float64) []float64 {
	if len(c) == 0 {
		return []float64{0}
	}
	return c
}

// treatment codes a categorical term: one indicator column per level but
// the first in sorted order (the reference).
func treatment(tm term, keep []int) ([]string, [][]float64) {
	levels := make([]string, 0, 8)
	value := make(map[string]float64)
	for _, i := range keep {
		levels = append(levels, tm.cells[i])
		if tm.values != nil {
			value[tm.cells[i]] = tm.values[i]
		}
	}
	slices.SortFunc(levels, func(a, b string) int {
		if tm.values != nil {
			return cmp.Compare(value[a], value[b])
		}
		return strings.Compare(a, b)
	})
	levels = slices.Compact(levels)
	var names []string
	var cols [][]float64
	for _, l := range levels[min(1, len(levels)):] {
		c := make([]float64, len(keep))
		for k, i := range keep {
			if tm.cells[i] == l {
				c[k] = 1
			}
		}
		names = append(names, tm.name+"[T."+l+"]")
		cols = append(cols, c)
	}
	return names, cols
}

// checkRank returns an error naming the first column of X that the
// earlier ones already span (QR: its R diagonal is nought next to the
// column's own size).
func (d *design) checkRank() error {
	n, p := d.x.Dims()
	if n <= p {
		return fmt.Errorf("%w: %d complete rows for %d fixed-effect columns (%s): need more rows than columns", ErrTooFewRows, n, p, strings.Join(d.names, ", "))
	}
	var qr mat.QR
	qr.Factorize(d.x)
	var r mat.Dense
	qr.RTo(&r)
	for j := range p {
		norm := mat.Norm(d.x.ColView(j), 2)
		if norm == 0 || math.Abs(r.At(j, j)) <= 1e-10*norm {
			return fmt.Errorf("%w: column %s is a combination of the columns before it (%s): drop a fixed effect or merge levels", ErrSingular, d.names[j], strings.Join(d.names[:j], ", "))
		}
	}
	return nil
}
