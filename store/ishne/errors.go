package ishne

import (
	"errors"
	"fmt"
)

// Named errors. A *ParseError wraps one of them (sometimes with detail), so
// callers test with errors.Is.
var (
	ErrShortHeader = errors.New("file is shorter than the 522-byte ISHNE header")
	ErrMagic       = errors.New("not an ISHNE Holter file: magic number is not \"ISHNE1.0\"")
	ErrCRC         = errors.New("header CRC does not match")
	ErrOffsets     = errors.New("variable-length block or ECG block offset inconsistent")
	ErrLeadCount   = errors.New("number of leads outside 1..12")
	ErrFs          = errors.New("sampling rate below 1 Hz")
	ErrResolution  = errors.New("amplitude resolution below 1 nV")
	ErrSampleCount = errors.New("bad number of samples")
	ErrShortFile   = errors.New("file is shorter than its header says")
	ErrDst         = errors.New("destination has the wrong number of leads or unequal lengths")
	ErrWriteSpec   = errors.New("invalid header for writing")
	ErrWriteData   = errors.New("invalid samples for writing")
	ErrWriteCount  = errors.New("number of samples written differs from the declared number")
)

// ParseError says where a file is wrong: the file name, the byte offset of
// the field in the file, the field's name and what is wrong.
type ParseError struct {
	File   string
	Offset int64
	Field  string
	Err    error
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("ishne: %s: byte %d (%s): %v", e.File, e.Offset, e.Field, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// CRCError is the error of a header whose CRC does not match; it wraps
// ErrCRC and carries both values.
type CRCError struct {
	Stored, Computed uint16
}

// Error implements error.
func (e *CRCError) Error() string {
	return fmt.Sprintf("%v: stored 0x%04X, computed 0x%04X", ErrCRC, e.Stored, e.Computed)
}

// Unwrap returns ErrCRC.
func (e *CRCError) Unwrap() error { return ErrCRC }

func perr(file string, off int64, field string, err error) error {
	return &ParseError{File: file, Offset: off, Field: field, Err: err}
}

func detail(err error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
}
