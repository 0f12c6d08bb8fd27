package cinc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Class is a recording's label in REFERENCE.csv.
type Class byte

// The four labels of the challenge.
const (
	Normal Class = 'N' // normal sinus rhythm
	AF     Class = 'A' // atrial fibrillation
	Other  Class = 'O' // another rhythm
	Noisy  Class = '~' // too noisy to classify
)

// Classes are the labels in the challenge's order.
var Classes = []Class{Normal, AF, Other, Noisy}

// String returns the label as REFERENCE.csv writes it.
func (c Class) String() string { return string(c) }

// Name returns the label's meaning in words.
func (c Class) Name() string {
	switch c {
	case Normal:
		return "normal"
	case AF:
		return "AF"
	case Other:
		return "other"
	case Noisy:
		return "noisy"
	}
	return fmt.Sprintf("class %q", byte(c))
}

// Label is one line of REFERENCE.csv.
type Label struct {
	Record string // record name, e.g. A00001
	Class  Class
}

// ErrFormat is wrapped by every ParseError: REFERENCE.csv does not follow
// the format of the package doc.
var ErrFormat = errors.New("cinc: bad REFERENCE.csv")

// ParseError says which line of REFERENCE.csv is wrong.
type ParseError struct {
	File string // file name, or "" for a reader
	Line int    // 1-based
	Err  error  // wraps ErrFormat
}

// Error returns "FILE:LINE: what is wrong".
func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// maxLine bounds a line of REFERENCE.csv (a record name and a label).
const maxLine = 256

// ReadReference parses REFERENCE.csv from r; file names the source in
// errors. Every line is "RECORD,LABEL"; a record named twice, an empty or
// unknown label or a record name that is not a plain file name is an error.
func ReadReference(r io.Reader, file string) ([]Label, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxLine), maxLine)
	seen := map[string]int{}
	var out []Label
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if text == "" {
			continue
		}
		l, err := parseLine(text, seen, line)
		if err != nil {
			return nil, &ParseError{File: file, Line: line, Err: err}
		}
		seen[l.Record] = line
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: file, Line: line + 1, Err: fmt.Errorf("%w: %v (lines hold a record name and a label)", ErrFormat, err)}
	}
	if len(out) == 0 {
		return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("%w: no records", ErrFormat)}
	}
	return out, nil
}

// parseLine reads one non-empty line.
func parseLine(text string, seen map[string]int, line int) (Label, error) {
	name, label, ok := strings.Cut(text, ",")
	switch {
	case !ok || strings.Contains(label, ","):
		return Label{}, fmt.Errorf("%w: %q is not RECORD,LABEL", ErrFormat, text)
	case !validName(name):
		return Label{}, fmt.Errorf("%w: record name %q: want letters, digits, '_' or '-' only", ErrFormat, name)
	case len(label) != 1 || !known(Class(label[0])):
		return Label{}, fmt.Errorf("%w: record %s: label %q is not one of N, A, O, ~", ErrFormat, name, label)
	}
	if first, dup := seen[name]; dup {
		return Label{}, fmt.Errorf("%w: record %s is labelled again (first on line %d)", ErrFormat, name, first)
	}
	return Label{Record: name, Class: Class(label[0])}, nil
}

// validName reports whether s is a plain record name that cannot lead out
// of the folder.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func known(c Class) bool {
	for _, k := range Classes {
		if c == k {
			return true
		}
	}
	return false
}

// Record is one labelled recording of a CinC 2017 folder.
type Record struct {
	Label
	Path string // the record's path without .hea, for store.Open or wfdb.Open
}

// Open reads dir/REFERENCE.csv and returns its records in file order, each
// with its path in dir. It does not open the recordings.
func Open(dir string) ([]Record, error) {
	path := filepath.Join(dir, "REFERENCE.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cinc: %w (a CinC 2017 folder holds REFERENCE.csv and the A*.hea/.mat records)", err)
	}
	defer f.Close()
	labels, err := ReadReference(f, path)
	if err != nil {
		return nil, err
	}
	out := make([]Record, len(labels))
	for i, l := range labels {
		out[i] = Record{Label: l, Path: filepath.Join(dir, l.Record)}
	}
	return out, nil
}
