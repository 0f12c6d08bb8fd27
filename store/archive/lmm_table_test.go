package archive

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tableCases are ReadTable's named cases, error cases included; they seed
// FuzzReadTable too.
var tableCases = []struct {
	name, in string
	header   []string
	rows     int
	numeric  map[string][]float64 // nil value: the column holds labels
	err      string               // part of the error message
}{
	{name: "tidy", in: "record,device,noise_pct\n100,mitdb,1.5\n800,svdb,\n", header: []string{"record", "device", "noise_pct"}, rows: 2,
		numeric: map[string][]float64{"record": {100, 800}, "device": nil, "noise_pct": {1.5, math.NaN()}}},
	{name: "byte-order mark", in: "\uFEFFy,g\n1,a\n", header: []string{"y", "g"}, rows: 1, numeric: map[string][]float64{"y": {1}}},
	{name: "pandas missing tokens", in: "y\nNA\nnan\n-2e3\n", header: []string{"y"}, rows: 3, numeric: map[string][]float64{"y": {math.NaN(), math.NaN(), -2000}}},
	{name: "hex is a label", in: "y\n0x10\n", header: []string{"y"}, rows: 1, numeric: map[string][]float64{"y": nil}},
	{name: "quoted newline", in: "note,y\n\"two\nlines\",3\n", header: []string{"note", "y"}, rows: 1, numeric: map[string][]float64{"y": {3}, "note": nil}},
	{name: "header only", in: "y,g\n", header: []string{"y", "g"}, rows: 0},
	{name: "empty", in: "", err: "empty CSV"},
	{name: "blank lines only", in: "\n\n", err: "empty CSV"},
	{name: "ragged", in: "y,g\n1,a\n2\n", err: "CSV line 3: the row has a different number of fields than the header's 2"},
	{name: "duplicate column", in: "y,g,y\n1,a,2\n", err: `columns 1 and 3 are both called "y"`},
	{name: "bare quote", in: "y\n1\"2\n", err: "CSV: parse error on line 2"},
}

func TestReadTable(t *testing.T) {
	for _, c := range tableCases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := ReadTable(strings.NewReader(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one saying %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tb.Header, c.header) || tb.Rows() != c.rows {
				t.Fatalf("header %q rows %d, want %q %d", tb.Header, tb.Rows(), c.header, c.rows)
			}
			for col, want := range c.numeric {
				got, ok, err := tb.Floats(col)
				if err != nil || ok != (want != nil) {
					t.Fatalf("%s: numeric %v, err %v; want numeric %v", col, ok, err, want != nil)
				}
				if want != nil && !slices.EqualFunc(got, want, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
					t.Errorf("%s = %v, want %v", col, got, want)
				}
			}
		})
	}
}

func TestTableUnknownColumn(t *testing.T) {
	tb, err := ReadTable(strings.NewReader("noise_pct,device,patient\n1,a,p\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = tb.Strings("noise")
	if !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), "noise_pct, device, patient") {
		t.Errorf("err = %v, want ErrNoColumn listing the columns", err)
	}
}

// FuzzReadTable checks ReadTable never panics, and that a table it reads
// writes back (WriteTo) to a CSV it reads as the same table.
func FuzzReadTable(f *testing.F) {
	for _, c := range tableCases {
		f.Add([]byte(c.in))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.csv"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		tb, err := ReadTable(bytes.NewReader(in))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if _, err := tb.WriteTo(&out); err != nil {
			t.Fatalf("write back: %v", err)
		}
		again, err := ReadTable(&out)
		if err != nil {
			t.Fatalf("read back %q: %v", out.String(), err)
		}
		if !slices.Equal(again.Header, tb.Header) || again.Rows() != tb.Rows() {
			t.Fatalf("read back header %q rows %d, was %q %d", again.Header, again.Rows(), tb.Header, tb.Rows())
		}
		for j := range tb.cols {
			if !slices.Equal(again.cols[j], tb.cols[j]) {
				t.Fatalf("column %q read back %q, was %q", tb.Header[j], again.cols[j], tb.cols[j])
			}
		}
	})
}
