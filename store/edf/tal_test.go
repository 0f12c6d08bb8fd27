package edf

import (
	"reflect"
	"testing"
)

// talCases are annotation-signal blocks and what parseTALs must find, as
// the EDF+ specification (section 2.2) writes its own examples.
var talCases = []struct {
	name string
	in   string
	want []tal
	err  bool
}{
	{"time-keeping only", "+0\x14\x14\x00\x00\x00", []tal{{onset: 0}}, false},
	{"spec example with duration", "+180\x1518\x14Apnea\x14\x00", []tal{{onset: 180, duration: 18, texts: []string{"Apnea"}}}, false},
	{"two texts in one TAL", "+1.5\x14N\x14beat 2\x14\x00", []tal{{onset: 1.5, texts: []string{"N", "beat 2"}}}, false},
	{"negative onset", "-0.065\x14Recording starts\x14\x00", []tal{{onset: -0.065, texts: []string{"Recording starts"}}}, false},
	{"onset with no texts", "+3\x14\x00", []tal{{onset: 3}}, false},
	{"time-keeping then an event", "+2\x14\x14\x00+2.25\x15.5\x14(AFIB\x14\x00\x00",
		nil, true}, // ".5": a duration needs a digit before the point
	{"time-keeping then an event, digits", "+2\x14\x14\x00+2.25\x150.5\x14(AFIB\x14\x00\x00",
		[]tal{{onset: 2}, {onset: 2.25, duration: 0.5, texts: []string{"(AFIB"}}}, false},
	{"UTF-8 text", "+0\x14Schlafstadium W\u00e4ch\x14\x00", []tal{{onset: 0, texts: []string{"Schlafstadium W\u00e4ch"}}}, false},
	{"invalid UTF-8 is replaced", "+0\x14a\xffb\x14\x00", []tal{{onset: 0, texts: []string{"a\uFFFDb"}}}, false},
	{"only padding", "\x00\x00\x00\x00", nil, false},
	{"no 0 byte", "+0\x14\x14", nil, true},
	{"no 0x14 before 0", "+0\x14text\x00", nil, true},
	{"onset without sign", "0\x14\x14\x00", nil, true},
	{"onset not a number", "+1.2.3\x14\x14\x00", nil, true},
	{"empty onset", "+\x14\x14\x00", nil, true},
	{"signed duration", "+1\x15-2\x14\x14\x00", nil, true},
	{"exponent", "+1e3\x14\x14\x00", nil, true},
}

func TestParseTALs(t *testing.T) {
	for _, c := range talCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseTALs("x.edf", 100, []byte(c.in))
			if c.err {
				pe := wantParseError(t, err, ErrTAL)
				if pe.Offset < 100 || pe.Offset >= 100+int64(len(c.in)) {
					t.Errorf("offset %d outside the block", pe.Offset)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, c.want) {
				t.Errorf("parseTALs = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestEncodeTAL checks that the writer's TALs parse back to the same values.
func TestEncodeTAL(t *testing.T) {
	cases := []struct {
		onset, dur float64
		text       string
		want       string
	}{
		{0, -1, "", "+0\x14\x14\x00"},
		{12.5, 0, "N", "+12.5\x14N\x14\x00"},
		{-0.25, 3, "x", "-0.25\x153\x14x\x14\x00"},
		{86399.996, 1.5, "(VT", "+86399.996\x151.5\x14(VT\x14\x00"},
	}
	for _, c := range cases {
		got := encodeTAL(c.onset, c.dur, c.text)
		if got != c.want {
			t.Errorf("encodeTAL(%g, %g, %q) = %q, want %q", c.onset, c.dur, c.text, got, c.want)
		}
		tals, err := parseTALs("", 0, []byte(got))
		if err != nil || len(tals) != 1 || tals[0].onset != c.onset {
			t.Errorf("parse %q = %+v, %v", got, tals, err)
		}
	}
}
