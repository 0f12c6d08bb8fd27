package wfdb

import (
	"errors"
	"fmt"
)

// Named errors. Every error this package returns for bad input is a
// *ParseError (or *ChecksumError) that wraps one of these, so callers can
// test with errors.Is.
var (
	// ErrBadHeader marks a header (.hea) line that does not follow header(5).
	ErrBadHeader = errors.New("wfdb: bad header")
	// ErrFormat marks a signal format this package cannot read or write.
	ErrFormat = errors.New("wfdb: unsupported signal format")
	// ErrTruncated marks a file that ends before the header or the
	// annotation stream says it should.
	ErrTruncated = errors.New("wfdb: file truncated")
	// ErrChecksum marks a signal whose initial value or checksum differs
	// from the header's.
	ErrChecksum = errors.New("wfdb: checksum mismatch")
	// ErrBadAnnotation marks an annotation stream that cannot be decoded or
	// an annotation that cannot be encoded.
	ErrBadAnnotation = errors.New("wfdb: bad annotation")
	// ErrRange marks a sample value that does not fit the signal format, or
	// a read/write request that does not fit the record.
	ErrRange = errors.New("wfdb: value out of range")
	// ErrPath marks a signal or segment file name that leads out of the
	// record's folder ("../../etc/passwd"): a header may only name files in
	// its own folder or below (a symbolic link the user put in the folder is
	// followed).
	ErrPath = errors.New("wfdb: file name leads out of the record's folder")
	// ErrClosed is returned by a Record or Writer used after Close.
	ErrClosed = errors.New("wfdb: use of closed record")
)

// ParseError says where a file is wrong. Line is 1-based for text files
// (headers); Offset is a byte offset for binary files (signals, annotations),
// -1 when it does not apply.
type ParseError struct {
	File   string // file name as given to Open or ReadAnnotations
	Line   int    // 1-based header line, 0 when not a text position
	Offset int64  // byte offset in a binary file, -1 when unknown
	Err    error  // one of the named errors, possibly wrapped with detail
}

func (e *ParseError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	case e.Offset >= 0:
		return fmt.Sprintf("%s: byte %d: %v", e.File, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// lineErr builds a ParseError at a header line with detail wrapped around kind.
func lineErr(file string, line int, kind error, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Offset: -1,
		Err: fmt.Errorf("%w: %s", kind, fmt.Sprintf(format, args...))}
}

// offsetErr builds a ParseError at a byte offset with detail wrapped around kind.
func offsetErr(file string, off int64, kind error, format string, args ...any) error {
	return &ParseError{File: file, Offset: off,
		Err: fmt.Errorf("%w: %s", kind, fmt.Sprintf(format, args...))}
}

// ChecksumError reports a signal whose samples disagree with the initial
// value or the 16-bit checksum its header line states. It wraps ErrChecksum.
type ChecksumError struct {
	Record string // record (or segment) name
	Signal int    // signal number in that header, from 0
	Name   string // signal description
	Field  string // "initial value" or "checksum"
	Want   int64  // value stated in the header
	Got    int64  // value computed from the samples
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("wfdb: record %s signal %d (%s): %s is %d, header says %d",
		e.Record, e.Signal, e.Name, e.Field, e.Got, e.Want)
}

// Unwrap lets errors.Is match ErrChecksum.
func (e *ChecksumError) Unwrap() error { return ErrChecksum }
