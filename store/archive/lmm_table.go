package archive

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Table is a CSV table read for the mixed model: its header names the
// columns, every cell is kept as read, and a column whose values all read
// as numbers (or are missing) has a numeric view as well, as pandas'
// read_csv types a column.
//
//	record,device,patient,noise_pct
//	100,mitdb,100,1.25
//	800,svdb,800,
//
// Here record, patient and noise_pct are numeric (the empty noise_pct is
// missing: NaN), device is not.
type Table struct {
	Header []string
	cols   [][]string  // cols[j][i]: row i of column j
	num    [][]float64 // num[j] nil when column j is not numeric
}

// Errors of ReadTable.
var (
	ErrEmptyTable = errors.New("empty CSV: no header row")
	ErrNoColumn   = errors.New("no such column")
)

// missingTokens are the cells read as missing values, as pandas'
// read_csv does by default (its na_values).
var missingTokens = []string{"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
	"1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null"}

// isMissing reports whether a cell is a missing value.
func isMissing(s string) bool { return slices.Contains(missingTokens, s) }

// ReadTable reads a CSV table with a header row. Every row must have as
// many fields as the header; header names must be unique. A header with
// no rows is a table of no rows.
func ReadTable(r io.Reader) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, ErrEmptyTable
	}
	if err != nil {
		return nil, fmt.Errorf("CSV header: %w", err)
	}
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\uFEFF") // a spreadsheet's byte-order mark
	}
	if err := checkHeader(head); err != nil {
		return nil, err
	}
	t := &Table{Header: head, cols: make([][]string, len(head))}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, tableError(err, len(head))
		}
		for j, v := range rec {
			t.cols[j] = append(t.cols[j], v)
		}
	}
	t.num = make([][]float64, len(head))
	for j, c := range t.cols {
		t.num[j] = numericView(c)
	}
	return t, nil
}

// checkHeader rejects duplicate column names, which a model could not
// tell apart.
func checkHeader(head []string) error {
	seen := make(map[string]int, len(head))
	for j, h := range head {
		if k, ok := seen[h]; ok {
			return fmt.Errorf("CSV header: columns %d and %d are both called %q: rename one", k+1, j+1, h)
		}
		seen[h] = j
	}
	return nil
}

// tableError says on which line a row went wrong and, for a ragged row,
// how many fields it has against the header's.
func tableError(err error, want int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
		return fmt.Errorf("CSV line %d: the row has a different number of fields than the header's %d: %w", pe.StartLine, want, pe.Err)
	}
	return fmt.Errorf("CSV: %w", err)
}

// numericView returns the column as numbers, missing cells as NaN, or nil
// when a cell is neither a number nor missing (a column of labels). A
// column of only missing cells is numeric, as pandas types it.
func numericView(c []string) []float64 {
	v := make([]float64, len(c))
	for i, s := range c {
		if isMissing(s) {
			v[i] = math.NaN()
			continue
		}
		f, ok := parseNumber(s)
		if !ok {
			return nil
		}
		v[i] = f
	}
	return v
}

// parseNumber reads a decimal number as pandas does: no hexadecimal
// floats or underscores, which strconv would take.
func parseNumber(s string) (float64, bool) {
	if strings.ContainsAny(s, "xX_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// Rows is the number of data rows.
func (t *Table) Rows() int {
	if len(t.cols) == 0 {
		return 0
	}
	return len(t.cols[0])
}

// Index returns the position of the column called name, or an error
// naming the columns there are.
func (t *Table) Index(name string) (int, error) {
	if j := slices.Index(t.Header, name); j >= 0 {
		return j, nil
	}
	return -1, fmt.Errorf("%w %q: the table has %s", ErrNoColumn, name, strings.Join(t.Header, ", "))
}

// Strings returns the cells of the column called name (not a copy).
func (t *Table) Strings(name string) ([]string, error) {
	j, err := t.Index(name)
	if err != nil {
		return nil, err
	}
	return t.cols[j], nil
}

// Floats returns the numeric view of the column called name, missing
// cells as NaN; ok is false when the column holds labels.
func (t *Table) Floats(name string) (v []float64, ok bool, err error) {
	j, err := t.Index(name)
	if err != nil {
		return nil, false, err
	}
	return t.num[j], t.num[j] != nil, nil
}

// WriteTo writes the table back as CSV, as ReadTable reads it.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cells := make([]string, len(t.cols))
	for i := -1; i < t.Rows(); i++ {
		row := t.Header
		if i >= 0 {
			for j := range t.cols {
				cells[j] = t.cols[j][i]
			}
			row = cells
		}
		if len(row) == 1 && row[0] == "" {
			// csv.Writer writes a lone empty field as a blank line, which
			// csv.Reader skips: quote it.
			cw.Flush()
			b.WriteString("\"\"\n")
			continue
		}
		cw.Write(row) //nolint:errcheck // a bytes.Buffer does not fail; cw.Error reports the rest
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, err
	}
	return b.WriteTo(w)
}
