package wfdb

import (
	"errors"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// headerCases is the table of header texts: good ones with the fields they
// must give, bad ones with the error and line they must report. It also
// seeds FuzzHeader.
var headerCases = []struct {
	name string
	text string
	want func(*Header) bool // nil for error cases
	err  error
	line int
}{
	{name: "mitdb 100", text: "100 2 360 650000\r\n100.dat 212 200 11 1024 995 -22131 0 MLII\r\n\r\n100.dat 212 200 11 1024 1011 20052 0 V5\r\n# 69 M\r\n",
		want: func(h *Header) bool {
			s := h.Signals[1]
			return h.Fs == 360 && h.NSamples == 650000 && s.Format == 212 && s.Gain == 200 && !s.Uncalibrated &&
				s.Baseline == 1024 && s.ADCZero == 1024 && s.InitValue == 1011 && s.Checksum == 20052 &&
				s.Description == "V5" && s.Units == "mV" && h.Comments[0] == " 69 M"
		}},
	{name: "minimal", text: "rec 1\nrec.dat 16\n", want: func(h *Header) bool {
		s := h.Signals[0]
		return h.Fs == DefaultFs && !h.HasLength && s.Gain == DefaultGain && s.Uncalibrated && s.ADCRes == 16 &&
			!s.HasInit && !s.HasChecksum
	}},
	{name: "gain 0 is 200", text: "r 1 100 10\nr.dat 16 0 12 0 0 0 0 x\n", want: func(h *Header) bool {
		return h.Signals[0].Gain == DefaultGain && h.Signals[0].Uncalibrated
	}},
	{name: "baseline units frames skew offset", text: "r 1 250/24000(5) 10\nr.dat 212x4:3+24 12.84(-1605)/mmHg 12 7 -943 65535 0 ABP line\n",
		want: func(h *Header) bool {
			s := h.Signals[0]
			return h.CounterFreq == 24000 && h.BaseCounter == 5 && s.SampsPerFrame == 4 && s.Skew == 3 &&
				s.ByteOffset == 24 && s.Gain == 12.84 && s.Baseline == -1605 && s.Units == "mmHg" &&
				s.ADCZero == 7 && s.Checksum == 65535 && s.Description == "ABP line"
		}},
	{name: "baseline defaults to adc zero", text: "r 1\nr.dat 16 200 12 512\n", want: func(h *Header) bool {
		return h.Signals[0].Baseline == 512 && h.Signals[0].InitValue == 512
	}},
	{name: "time and date", text: "r 0 125 10 16:57:09.250 26/10/2137\n", want: func(h *Header) bool {
		return h.HasTime && h.HasDate && h.BaseTime == 16*time.Hour+57*time.Minute+9250*time.Millisecond &&
			h.BaseDate.Equal(time.Date(2137, 10, 26, 0, 0, 0, 0, time.UTC))
	}},
	{name: "minutes only time", text: "r 0 125 10    31:51.982\n", want: func(h *Header) bool {
		return h.BaseTime == 31*time.Minute+51982*time.Millisecond && !h.HasDate
	}},
	{name: "multi-segment", text: "m/3 2 125 30\nm_layout 0\n~ 10\nm_1 20\n", want: func(h *Header) bool {
		return reflect.DeepEqual(h.Segments, []SegmentSpec{{"m_layout", 0}, {"~", 10}, {"m_1", 20}})
	}},
	{name: "multi-segment no length", text: "m/2 1 125\nm_1 20\nm_2 5\n", want: func(h *Header) bool {
		return h.NSamples == 25 && h.HasLength
	}},
	{name: "comment before record line", text: "# hi\nr 0\n", want: func(h *Header) bool { return h.Name == "r" }},
	{name: "empty", text: "", err: ErrBadHeader, line: 0},
	{name: "no signal count", text: "r\n", err: ErrBadHeader, line: 1},
	{name: "bad fs", text: "r 1 abc\n", err: ErrBadHeader, line: 1},
	{name: "negative fs", text: "r 1 -5\n", err: ErrBadHeader, line: 1},
	{name: "bad date", text: "r 0 1 1 1:00 2024-01-01\n", err: ErrBadHeader, line: 1},
	{name: "missing signal", text: "r 2\nr.dat 16\n", err: ErrTruncated, line: 2},
	{name: "extra signal", text: "r 1\nr.dat 16\nr.dat 16\n", err: ErrBadHeader, line: 3},
	{name: "unknown format", text: "r 1\nr.dat 17\n", err: ErrFormat, line: 2},
	{name: "bad gain", text: "r 1\nr.dat 16 x/mV\n", err: ErrBadHeader, line: 2},
	{name: "bad baseline", text: "r 1\nr.dat 16 200(1/mV\n", err: ErrBadHeader, line: 2},
	{name: "bad checksum", text: "r 1\nr.dat 16 200 12 0 0 70000\n", err: ErrBadHeader, line: 2},
	{name: "bad skew", text: "r 1\nr.dat 16:-1\n", err: ErrBadHeader, line: 2},
	{name: "bad segment", text: "m/1 1\nm_1\n", err: ErrBadHeader, line: 2},
	{name: "missing segment", text: "m/2 1\nm_1 5\n", err: ErrTruncated, line: 2},
	{name: "huge signal count", text: "r 99999999\n", err: ErrBadHeader, line: 1},
	{name: "signal file in a subfolder", text: "r 1\nsub/r.dat 16\n", want: func(h *Header) bool { return h.Signals[0].File == "sub/r.dat" }},
	{name: "signal file that comes back in", text: "r 1\nsub/../r.dat 16\n", want: func(h *Header) bool { return h.Signals[0].File == "sub/../r.dat" }},
	{name: "absolute signal file stays in the folder", text: "r 1\n/r.dat 16\n", want: func(h *Header) bool { return h.Signals[0].File == "/r.dat" }},
	{name: "signal file escapes with ..", text: "r 1\n../../../../etc/passwd 80 200 8 0 0 0 0 x\n", err: ErrPath, line: 2},
	{name: "signal file is ..", text: "r 1\n.. 16\n", err: ErrPath, line: 2},
	{name: "signal file escapes after cleaning", text: "r 1\nsub/../../r.dat 16\n", err: ErrPath, line: 2},
	{name: "absolute signal file escapes with ..", text: "r 2\nr.dat 16\n/../../etc/passwd 16\n", err: ErrPath, line: 3},
	{name: "segment escapes with ..", text: "m/2 1 125 20\n../m_1 10\nm_2 10\n", err: ErrPath, line: 2},
}

func TestParseHeader(t *testing.T) {
	for _, c := range headerCases {
		t.Run(c.name, func(t *testing.T) {
			h, err := ParseHeader("t.hea", strings.NewReader(c.text))
			if c.want != nil {
				if err != nil || !c.want(h) {
					t.Fatalf("ParseHeader = %+v, %v", h, err)
				}
				return
			}
			var pe *ParseError
			if !errors.Is(err, c.err) || !errors.As(err, &pe) || pe.Line != c.line || pe.File != "t.hea" {
				t.Fatalf("ParseHeader error = %v, want %v at line %d", err, c.err, c.line)
			}
		})
	}
}

// TestParseSampleHeaders parses every header of wfdb-samples, including
// those whose signal files are absent, and spot-checks corners.
func TestParseSampleHeaders(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	for _, p := range sampleHeaders(t, dir) {
		if _, err := readHeaderFile(p); err != nil {
			t.Errorf("%v", err)
		}
	}
	h, err := readHeaderFile(filepath.Join(dir, "a103l.hea"))
	if err != nil || h.Signals[1].ByteOffset != 24 || h.Signals[1].Gain != 1.052e4 {
		t.Errorf("a103l: %+v %v", h.Signals, err)
	}
	h, err = readHeaderFile(filepath.Join(dir, "wave_4.hea"))
	if err != nil || h.Signals[0].SampsPerFrame != 1000 || h.Signals[6].Gain != -19.3447902992 {
		t.Errorf("wave_4: %+v %v", h.Signals, err)
	}
}

// TestLeadUnits: voltages are reported in mV with the gain scaled.
func TestLeadUnits(t *testing.T) {
	cases := []struct {
		units    string
		gain     float64
		wantU    string
		wantGain float64
	}{
		{"mV", 200, "mV", 200},
		{"uV", 44.9629231183, "mV", 44962.9231183},
		{"V", 1000, "mV", 1},
		{"nV", 2.4011e-11, "mV", 2.4011e-5},
		{"mmHg", 12.84, "mmHg", 12.84},
	}
	for _, c := range cases {
		l := leadOf(SignalSpec{Units: c.units, Gain: c.gain})
		if l.Units != c.wantU || relDiff(l.Gain, c.wantGain) > 1e-12 {
			t.Errorf("%s %v: got %s %v, want %s %v", c.units, c.gain, l.Units, l.Gain, c.wantU, c.wantGain)
		}
	}
}

func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	return d / max(abs(a), abs(b))
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
