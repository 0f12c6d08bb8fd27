package edf

import (
	"errors"
	"fmt"
)

// Named errors. A *ParseError wraps one of them (sometimes with detail), so
// callers test with errors.Is.
var (
	ErrVersion        = errors.New("not an EDF or BDF file: version field is neither \"0\" nor \"\\xffBIOSEMI\"")
	ErrShortHeader    = errors.New("file ends inside the header")
	ErrNumber         = errors.New("field is not a number")
	ErrDate           = errors.New("bad start date or time")
	ErrHeaderSize     = errors.New("header size is not 256*(signals+1)")
	ErrSignalCount    = errors.New("number of signals out of range")
	ErrRecordCount    = errors.New("bad number of data records")
	ErrDuration       = errors.New("bad data record duration")
	ErrSamples        = errors.New("bad number of samples per data record")
	ErrDigitalRange   = errors.New("digital maximum is not above digital minimum")
	ErrPhysicalRange  = errors.New("physical minimum equals physical maximum, or the scale is unusable")
	ErrRecordSize     = errors.New("data record too large")
	ErrShortFile      = errors.New("file is shorter than its header says")
	ErrTAL            = errors.New("malformed time-stamped annotation list (TAL)")
	ErrNoTimekeeping  = errors.New("data record has no time-keeping annotation")
	ErrOnsetOrder     = errors.New("data record onsets overlap or go backwards")
	ErrNoAnnotSignal  = errors.New("EDF+ file has no annotation signal")
	ErrDst            = errors.New("destination has the wrong number of leads or unequal lengths")
	ErrWriteSpec      = errors.New("invalid writer specification")
	ErrWriteRecord    = errors.New("invalid data record for writing")
	ErrWriteCount     = errors.New("number of data records written differs from the declared number")
	ErrAnnotationSize = errors.New("annotations do not fit the annotation signal of a data record")
)

// ParseError says where a file is wrong: the file name, the byte offset of
// the field (or TAL, or data record) in the file, the field's name, and what
// is wrong (one of the named errors above, possibly wrapped with detail).
type ParseError struct {
	File   string
	Offset int64
	Field  string
	Err    error
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("edf: %s: byte %d (%s): %v", e.File, e.Offset, e.Field, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// perr builds a *ParseError.
func perr(file string, off int64, field string, err error) error {
	return &ParseError{File: file, Offset: off, Field: field, Err: err}
}

// detail wraps a named error with the offending text.
func detail(err error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
}
