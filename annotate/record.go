package annotate

import (
	"errors"
	"math"
	"time"
)

// Lead describes one signal (lead) of a record.
type Lead struct {
	Name     string  // lead name or description, e.g. "MLII", "V5"
	Units    string  // physical units, normally "mV"
	Gain     float64 // ADC units per physical unit (WFDB adcgain); never 0
	Baseline int32   // digital value that stands for 0 physical units
	ADCRes   int     // ADC resolution in bits, 0 if unknown
	ADCZero  int32   // digital value of the ADC's mid-range
}

// Physical converts a digital sample value to physical units.
func (l Lead) Physical(d int32) float64 {
	return float64(d-l.Baseline) / l.Gain
}

// Digital converts a physical value to the nearest digital sample value.
func (l Lead) Digital(p float64) int32 {
	v := p*l.Gain + float64(l.Baseline)
	if v < 0 {
		return int32(v - 0.5)
	}
	return int32(v + 0.5)
}

// RecordInfo is what a record is, independent of its file format.
type RecordInfo struct {
	Name     string    // record name (file stem), no directory
	Format   string    // "WFDB", "EDF", "EDF+", "BDF", "ISHNE", ...
	Fs       float64   // sampling frequency of every lead, Hz
	NSamples int64     // samples per lead; 0 only when truly unknown
	Leads    []Lead    // one per lead, in file order
	Start    time.Time // start of the recording; zero when unknown
	Comments []string  // free-text header lines (may hold patient data: never export)
}

// Duration returns the length of the record.
func (r RecordInfo) Duration() time.Duration {
	if r.Fs <= 0 {
		return 0
	}
	return time.Duration(float64(r.NSamples) / r.Fs * float64(time.Second))
}

// ErrOutOfRange is returned by Signal.Read when start lies outside the record.
var ErrOutOfRange = errors.New("annotate: sample position out of range")

// Signal gives random access to the samples of a record. Implementations
// decode lazily: reading a strip of a 14-day record decodes only that strip.
//
// Read copies the digital samples [start, start+len(dst[0])) of every lead
// into dst, which has one slice per lead, all of the same length. It returns
// the number of samples copied per lead, which is less than len(dst[0]) only
// at the end of the record (with a nil error). It is safe for concurrent use
// unless the implementation says otherwise.
type Signal interface {
	Info() RecordInfo
	Read(dst [][]int32, start int64) (int, error)
}

// InvalidWFDB is WFDB's WFDB_INVALID_SAMPLE, the digital value that marks a
// sample of a WFDB record as missing (not stored, a null segment, beyond a
// skewed signal's file). Other formats have no such value.
const InvalidWFDB int32 = -32768

// IsInvalid reports whether d marks a missing sample of this record: only
// WFDB records have one (InvalidWFDB), as rdsamp tests it.
func (r RecordInfo) IsInvalid(d int32) bool { return d == InvalidWFDB && r.Format == "WFDB" }

// Value is lead l's physical value of d, or NaN for a missing sample
// (IsInvalid): what exports write, so a missing sample never reads as a
// voltage.
func (r RecordInfo) Value(l int, d int32) float64 {
	if r.IsInvalid(d) {
		return math.NaN()
	}
	return r.Leads[l].Physical(d)
}

// MarkedReader is implemented by a Signal whose Read substitutes a
// plausible value for missing samples (so detectors and strips never see
// InvalidWFDB as a voltage) but that can also give them marked: ReadMarked
// is Read with every missing sample as InvalidWFDB, for dumps and exports.
type MarkedReader interface {
	ReadMarked(dst [][]int32, start int64) (int, error)
}

// ReadMarked reads s like Read, but with missing samples as InvalidWFDB
// when s is a MarkedReader.
func ReadMarked(s Signal, dst [][]int32, start int64) (int, error) {
	if m, ok := s.(MarkedReader); ok {
		return m.ReadMarked(dst, start)
	}
	return s.Read(dst, start)
}
