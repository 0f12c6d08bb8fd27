package ishne

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Date is a day, month and year as the header stores them; unknown parts
// are 0 or -9.
type Date struct{ Day, Month, Year int16 }

// Clock is an hour, minute and second.
type Clock struct{ Hour, Minute, Second int16 }

// LeadInfo describes one lead.
type LeadInfo struct {
	Spec       LeadCode
	Quality    int16 // Quality* codes
	Resolution int16 // nV per digital unit, >= 1
}

// Header is the part of the ISHNE header that does not identify the
// patient. Proprietary, Copyright, Reserved and VarBlock are free text a
// manufacturer may fill with anything: never export them either.
type Header struct {
	FileVersion int16
	RecordDate  Date  // date of the recording
	FileDate    Date  // date the file was written
	StartTime   Clock // time the recording started
	Leads       []LeadInfo
	Pacemaker   int16  // 0 none, 1 unknown type, 2..5 single/dual chamber uni/bipolar, -9 unknown
	Recorder    string // recorder type, e.g. "digital" (40 bytes)
	Fs          int16  // samples per second
	Proprietary string // 80 bytes
	Copyright   string // 80 bytes
	Reserved    string // 88 bytes
	VarBlock    []byte // the variable-length block
}

// Patient holds the header's identifying fields: protected health
// information, exposed by File.Patient for a reader's screen only.
type Patient struct {
	FirstName, LastName string // 40 bytes each
	ID                  string // 20 bytes
	Sex                 int16  // 0 unknown, 1 male, 2 female
	Race                int16  // 0 unknown, 1 white, 2 black, 3 oriental
	BirthDate           Date
}

// The fixed header: byte offsets in the file.
const (
	offCRC       = 8
	offVarSize   = 10
	offECGSize   = 14
	offVarOffset = 18
	offECGOffset = 22
	offVersion   = 26
	offFirst     = 28
	offLast      = 68
	offID        = 108
	offSex       = 128
	offRace      = 130
	offBirth     = 132
	offRecDate   = 138
	offFileDate  = 144
	offStart     = 150
	offNLeads    = 156
	offSpec      = 158
	offQuality   = 182
	offRes       = 206
	offPM        = 230
	offRecorder  = 232
	offFs        = 272
	offProp      = 274
	offCopy      = 354
	offReserved  = 434
	headerSize   = 522 // magic + CRC + 512-byte fixed header
	maxLeads     = 12
)

var le = binary.LittleEndian

func i16(b []byte, off int) int16 { return int16(le.Uint16(b[off:])) }
func i32(b []byte, off int) int32 { return int32(le.Uint32(b[off:])) }

// text returns a NUL-padded text field without its padding.
func text(b []byte, off, n int) string {
	f := b[off : off+n]
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	return string(f)
}

func date(b []byte, off int) Date { return Date{i16(b, off), i16(b, off+2), i16(b, off+4)} }

// decodeFields reads the descriptive fields of a 522-byte header; the
// sizes and offsets are checked by the caller.
func decodeFields(b []byte) (Header, Patient) {
	h := Header{
		FileVersion: i16(b, offVersion),
		RecordDate:  date(b, offRecDate),
		FileDate:    date(b, offFileDate),
		StartTime:   Clock{i16(b, offStart), i16(b, offStart+2), i16(b, offStart+4)},
		Pacemaker:   i16(b, offPM),
		Recorder:    text(b, offRecorder, 40),
		Fs:          i16(b, offFs),
		Proprietary: text(b, offProp, 80),
		Copyright:   text(b, offCopy, 80),
		Reserved:    text(b, offReserved, 88),
	}
	n := min(max(int(i16(b, offNLeads)), 0), maxLeads)
	for j := range n {
		h.Leads = append(h.Leads, LeadInfo{LeadCode(i16(b, offSpec+2*j)), i16(b, offQuality+2*j), i16(b, offRes+2*j)})
	}
	p := Patient{
		FirstName: text(b, offFirst, 40), LastName: text(b, offLast, 40), ID: text(b, offID, 20),
		Sex: i16(b, offSex), Race: i16(b, offRace), BirthDate: date(b, offBirth),
	}
	return h, p
}

// Time returns the date and clock as a UTC wall-clock time, and false when
// a part is unknown or out of range.
func (d Date) Time(c Clock) (time.Time, bool) {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Year < 1 ||
		c.Hour < 0 || c.Hour > 23 || c.Minute < 0 || c.Minute > 59 || c.Second < 0 || c.Second > 59 {
		return time.Time{}, false
	}
	t := time.Date(int(d.Year), time.Month(d.Month), int(d.Day), int(c.Hour), int(c.Minute), int(c.Second), 0, time.UTC)
	return t, t.Day() == int(d.Day)
}
