package edf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeaderBytes pins the header the writer produces for a one-signal
// EDF+C file against the layout of the EDF specification, field by field.
func TestHeaderBytes(t *testing.T) {
	s := Spec{Plus: true, Start: t0, RecordDuration: 1, Records: 0,
		Signals: []SignalSpec{ecgSig("ECG V5", 250)}, AnnotationBytes: 60}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	pad := func(v string, n int) string { return v + strings.Repeat(" ", n-len(v)) }
	want := pad("0", 8) + pad("X X X X", 80) + pad("Startdate 05-MAR-2024 X X X", 80) +
		"05.03.24" + "08.30.15" + pad("768", 8) + pad("EDF+C", 44) + pad("0", 8) + pad("1", 8) + pad("2", 4) +
		pad("ECG V5", 16) + pad("EDF Annotations", 16) +
		pad("AgAgCl electrode", 80) + pad("", 80) +
		pad("uV", 8) + pad("", 8) +
		pad("-3276.8", 8) + pad("-1", 8) + pad("3276.7", 8) + pad("1", 8) +
		pad("-32768", 8) + pad("-32768", 8) + pad("32767", 8) + pad("32767", 8) +
		pad("HP:0.05Hz LP:40Hz", 80) + pad("", 80) +
		pad("250", 8) + pad("30", 8) + pad("", 64)
	if got := buf.String(); got != want {
		t.Errorf("header differs:\n got %q\nwant %q", got, want)
	}
}

func TestWriterErrors(t *testing.T) {
	good := func() Spec {
		return Spec{Start: t0, RecordDuration: 1, Records: 1, Signals: []SignalSpec{ecgSig("ECG", 2)}}
	}
	specCases := []struct {
		name string
		edit func(*Spec)
	}{
		{"discontinuous without plus", func(s *Spec) { s.Discontinuous = true }},
		{"zero duration", func(s *Spec) { s.RecordDuration = 0 }},
		{"no signals", func(s *Spec) { s.Signals = nil }},
		{"year 1970", func(s *Spec) { s.Start = s.Start.AddDate(-54, 0, 0) }},
		{"label too long", func(s *Spec) { s.Signals[0].Label = "a label of 17 chr" }},
		{"non-ASCII patient", func(s *Spec) { s.Patient = "Jos\u00e9" }},
		{"physical minimum too long", func(s *Spec) { s.Signals[0].PhysMin = -123456789 }},
		{"zero samples", func(s *Spec) { s.Signals[0].Samples = 0 }},
	}
	for _, c := range specCases {
		t.Run(c.name, func(t *testing.T) {
			s := good()
			c.edit(&s)
			if _, err := NewWriter(&bytes.Buffer{}, s); !errors.Is(err, ErrWriteSpec) {
				t.Errorf("NewWriter error = %v, want ErrWriteSpec", err)
			}
		})
	}
	recCases := []struct {
		name string
		spec func(*Spec)
		rec  Record
		err  error
	}{
		{"sample out of range", nil, Record{Samples: [][]int32{{0, 40000}}}, ErrWriteRecord},
		{"wrong sample count", nil, Record{Samples: [][]int32{{0}}}, ErrWriteRecord},
		{"wrong signal count", nil, Record{Samples: [][]int32{{0, 0}, {0, 0}}}, ErrWriteRecord},
		{"annotation too long", func(s *Spec) { s.Plus, s.AnnotationBytes = true, 10 },
			Record{Samples: [][]int32{{0, 0}}, Annotations: []Annotation{{Onset: 0.5, Text: "too long for 10 bytes"}}}, ErrAnnotationSize},
		{"separator in text", func(s *Spec) { s.Plus = true },
			Record{Samples: [][]int32{{0, 0}}, Annotations: []Annotation{{Text: "a\x14b"}}}, ErrWriteRecord},
	}
	for _, c := range recCases {
		t.Run(c.name, func(t *testing.T) {
			s := good()
			if c.spec != nil {
				c.spec(&s)
			}
			w, err := NewWriter(&bytes.Buffer{}, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteRecord(c.rec); !errors.Is(err, c.err) {
				t.Errorf("WriteRecord error = %v, want %v", err, c.err)
			}
		})
	}
}

func TestWriterCount(t *testing.T) {
	s := Spec{Start: t0, RecordDuration: 1, Records: 1, Signals: []SignalSpec{ecgSig("ECG", 1)}}
	w, _ := NewWriter(&bytes.Buffer{}, s)
	if err := w.Close(); !errors.Is(err, ErrWriteCount) {
		t.Errorf("Close after 0 of 1 records = %v, want ErrWriteCount", err)
	}
	w, _ = NewWriter(&bytes.Buffer{}, s)
	rec := Record{Samples: [][]int32{{1}}}
	if err := w.WriteRecord(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRecord(rec); !errors.Is(err, ErrWriteCount) {
		t.Errorf("second record of 1 = %v, want ErrWriteCount", err)
	}
}

func TestWriteFileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.bdf")
	s := Spec{BDF: true, Start: t0, RecordDuration: 1, Signals: []SignalSpec{bdfSig("ECG", 3)}}
	recs := records(s, 2, nil)
	if err := WriteFile(path, s, recs); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := os.ReadFile(path)
	if b[0] != 0xff || string(b[1:8]) != "BIOSEMI" || f.Info().Name != "rec" || f.Info().Leads[0].ADCRes != 24 {
		t.Errorf("BDF file: version %q, info %+v", b[:8], f.Info())
	}
	got := readAll(t, f, 100)
	if got[0][0] != -8388608 || got[0][1] != 8388607 || got[0][5] != recs[1].Samples[0][2] {
		t.Errorf("BDF samples = %v", got[0])
	}
}
