package edf

import (
	"testing"
)

// base is a valid EDF+ file: 2 ECG signals of 4 samples per 1-s record and
// the annotation signal (so ns = 3 and the header is 1024 bytes), 3 records.
func base(t testing.TB, disc bool, onsets ...float64) []byte {
	s := Spec{Plus: true, Discontinuous: disc, Start: t0, RecordDuration: 1,
		Signals: []SignalSpec{ecgSig("ECG I", 4), ecgSig("ECG II", 4)}, AnnotationBytes: 40}
	var on func(int) float64
	if onsets != nil {
		on = func(r int) float64 { return onsets[r] }
	}
	return encode(t, s, records(s, 3, on))
}

// With ns = 3, the per-signal fields of signal i lie at 256 + start*3 + i*width.
const (
	offLabel2 = 256 + 2*16
	offPmin0  = 256 + 104*3
	offDmin0  = 256 + 120*3
	offDmax1  = 256 + 128*3 + 8
	offSpr0   = 256 + 216*3
	recSize   = 4*2 + 4*2 + 40
	offRec1   = 1024 + recSize
	offAnn1   = offRec1 + 16
)

type errorCase struct {
	name   string
	file   func(t testing.TB) []byte
	annots bool // the error shows in Annotations, not Open
	err    error
	offset int64
}

func errorCases() []errorCase {
	set := func(off, w int, v string) func(testing.TB) []byte {
		return func(t testing.TB) []byte { return setField(base(t, false), off, w, v) }
	}
	cut := func(n int) func(testing.TB) []byte {
		return func(t testing.TB) []byte { b := base(t, false); return b[:min(n, len(b))] }
	}
	ann1 := func(v string) func(testing.TB) []byte {
		return func(t testing.TB) []byte {
			b := base(t, false)
			copy(b[offAnn1:offAnn1+40], v+string(make([]byte, 40-len(v))))
			return b
		}
	}
	return []errorCase{
		{"empty", cut(0), false, ErrShortHeader, 0},
		{"header cut in the signal fields", cut(700), false, ErrShortHeader, 700},
		{"version", set(0, 8, "1"), false, ErrVersion, 0},
		{"signal count not a number", set(252, 4, "x"), false, ErrNumber, 252},
		{"no signals", set(252, 4, "0"), false, ErrSignalCount, 252},
		{"more signals than the file holds", func(t testing.TB) []byte {
			return setField(setField(base(t, false), 252, 4, "999"), 184, 8, "256000")
		}, false, ErrShortHeader, 1024 + 3*recSize},
		{"header size", set(184, 8, "768"), false, ErrHeaderSize, 184},
		{"record count -2", set(236, 8, "-2"), false, ErrRecordCount, 236},
		{"more records than the file holds", set(236, 8, "4"), false, ErrShortFile, 1024},
		{"data cut", cut(1024 + 2*recSize + 5), false, ErrShortFile, 1024},
		{"duration NaN", set(244, 8, "NaN"), false, ErrNumber, 244},
		{"duration negative", set(244, 8, "-1"), false, ErrDuration, 244},
		{"duration 0 with ECG signals", set(244, 8, "0"), false, ErrDuration, 244},
		{"duration so short the rate is infinite", set(244, 8, "1e-320"), false, ErrDuration, 244},
		{"start date", set(168, 8, "31.02.24"), false, ErrDate, 168},
		{"start time", set(176, 8, "25.00.00"), false, ErrDate, 168},
		{"zero samples per record", set(offSpr0, 8, "0"), false, ErrSamples, offSpr0},
		{"digital minimum above maximum", set(offDmin0, 8, "40000"), false, ErrDigitalRange, offDmin0},
		{"digital maximum beyond 16 bits", set(offDmax1, 8, "40000"), false, ErrDigitalRange, offDmin0 + 8},
		{"physical minimum equals maximum", set(offPmin0, 8, "3276.7"), false, ErrPhysicalRange, offPmin0},
		{"physical maximum overflows", set(offPmin0+24, 8, "1e999"), false, ErrNumber, offPmin0 + 24},
		{"EDF+ without annotation signal", set(offLabel2, 16, "ECG III"), false, ErrNoAnnotSignal, 256},
		{"EDF+D record without time-keeping", func(t testing.TB) []byte {
			b := base(t, true, 0, 1, 2)
			b[offAnn1] = 0
			return b
		}, false, ErrNoTimekeeping, offAnn1},
		{"EDF+D onsets go back", func(t testing.TB) []byte { return base(t, true, 0, 5, 2) }, false, ErrOnsetOrder, 1024 + 2*recSize + 16},
		{"EDF+D records overlap", func(t testing.TB) []byte { return base(t, true, 0, 0.5, 2) }, false, ErrOnsetOrder, offAnn1},
		{"TAL with no 0 byte", ann1("+1\x14\x14\x00+1.5\x14aaaaaaaaaaaaaaaaaaaaaaaaaa"), true, ErrTAL, offAnn1 + 5},
		{"TAL onset not a number", ann1("+1\x14\x14\x00+1.x\x14N\x14\x00"), true, ErrTAL, offAnn1 + 5},
	}
}

func TestOpenErrors(t *testing.T) {
	for _, c := range errorCases() {
		t.Run(c.name, func(t *testing.T) {
			f, err := openBytes(c.file(t))
			if c.annots {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				_, err = f.Annotations()
			}
			pe := wantParseError(t, err, c.err)
			if pe.Offset != c.offset || pe.File != "mem.edf" || pe.Field == "" {
				t.Errorf("error at %s byte %d (%s), want byte %d: %v", pe.File, pe.Offset, pe.Field, c.offset, err)
			}
		})
	}
}

func TestRecordCountMinusOne(t *testing.T) {
	b := setField(base(t, false), 236, 8, "-1")
	f, err := openBytes(append(b, 1, 2, 3)) // a partial record at the end is ignored
	if err != nil || f.Records() != 3 || f.Info().NSamples != 12 {
		t.Fatalf("Open = %v; records %d", err, f.Records())
	}
}

// TestReservedPlusOnly reads a reserved field of just "EDF+" (neither C
// nor D) as continuous EDF+.
func TestReservedPlusOnly(t *testing.T) {
	f, err := openBytes(setField(base(t, false), 192, 44, "EDF+"))
	if err != nil || f.Format() != "EDF+" || f.Discontinuous() {
		t.Fatalf("Open = %v, format %v", err, f)
	}
}

// TestLatin1Dimension reads a dimension written as Latin-1 "\xb5V" (micro
// sign) as a voltage, and a label with "\xb0" as UTF-8.
func TestLatin1Dimension(t *testing.T) {
	b := setField(base(t, false), 256+96*3, 8, "\xb5V")
	b = setField(b, 256+16, 16, "Temp \xb0C")
	f, err := openBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	l := f.Info().Leads
	if l[0].Units != "mV" || l[0].Gain != 10000 || l[1].Name != "Temp \u00b0C" {
		t.Errorf("leads = %+v", l)
	}
}
