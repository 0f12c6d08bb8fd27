package edf

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// fields reads the fixed-width ASCII fields of a header block. base is the
// block's byte offset in the file, so errors can say where a field lies.
type fields struct {
	file string
	buf  []byte
	base int64
}

// text returns the field [off, off+n) with trailing spaces removed. Bytes
// outside printable ASCII are read as Latin-1 (EDF files in the wild carry
// "\xb0" for degrees and "\xb5" for micro).
func (f fields) text(off, n int) string {
	return latin1(strings.TrimRight(string(f.buf[off:off+n]), " \x00"))
}

// int parses the field as a decimal integer.
func (f fields) int(off, n int, name string) (int64, error) {
	s := strings.TrimSpace(f.text(off, n))
	v, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil {
		return 0, perr(f.file, f.base+int64(off), name, detail(ErrNumber, "%q", s))
	}
	return v, nil
}

// float parses the field as a finite decimal number (no "Inf", no "NaN",
// no hexadecimal).
func (f fields) float(off, n int, name string) (float64, error) {
	s := strings.TrimSpace(f.text(off, n))
	v, err := parseDecimal(s)
	if err != nil {
		return 0, perr(f.file, f.base+int64(off), name, detail(ErrNumber, "%q", s))
	}
	return v, nil
}

// parseDecimal parses [+-]digits[.digits][e[+-]digits] and rejects
// anything else strconv would take (Inf, NaN, hex, underscores).
func parseDecimal(s string) (float64, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, ErrNumber
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrNumber
	}
	return v, nil
}

// latin1 converts a Latin-1 string to UTF-8. Pure ASCII is returned as is.
func latin1(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}

// parseStart reads the start date "dd.mm.yy" and time "hh.mm.ss" fields
// (any non-digit separator is accepted). Two-digit years 85..99 are
// 1985..1999 and 00..84 are 2000..2084, as the EDF specification says.
// The time has no zone in EDF; it is returned as wall-clock time in UTC.
func parseStart(date, clock string) (time.Time, bool) {
	d, ok1 := threeNumbers(date)
	c, ok2 := threeNumbers(clock)
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	year := 2000 + d[2]
	if d[2] >= 85 {
		year = 1900 + d[2]
	}
	return makeTime(year, d[1], d[0], c[0], c[1], c[2])
}

// makeTime builds a UTC time, refusing out-of-range parts instead of
// normalising them as time.Date would.
func makeTime(year, month, day, h, m, s int) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || h > 23 || m > 59 || s > 59 || h < 0 || m < 0 || s < 0 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, h, m, s, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}

// threeNumbers splits "dd.mm.yy" into three 2-digit numbers.
func threeNumbers(s string) ([3]int, bool) {
	var v [3]int
	if len(s) != 8 || s[2] >= '0' && s[2] <= '9' || s[5] >= '0' && s[5] <= '9' {
		return v, false
	}
	for i := range v {
		a, b := s[3*i], s[3*i+1]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return v, false
		}
		v[i] = int(a-'0')*10 + int(b-'0')
	}
	return v, true
}

var months = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

// plusYear returns the four-digit year of an EDF+ recording field
// "Startdate dd-MMM-yyyy ...", when it is given and agrees with the day and
// month of the header's start date.
func plusYear(recording string, start time.Time) (int, bool) {
	f := strings.Fields(recording)
	if len(f) < 2 || f[0] != "Startdate" || len(f[1]) != 11 {
		return 0, false
	}
	s := f[1]
	day, err1 := strconv.Atoi(s[0:2])
	year, err2 := strconv.Atoi(s[7:11])
	if err1 != nil || err2 != nil || s[2] != '-' || s[6] != '-' {
		return 0, false
	}
	mon := strings.ToUpper(s[3:6])
	if day != start.Day() || mon != months[start.Month()-1] {
		return 0, false
	}
	return year, true
}
