package ishne

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

// TestHeaderLayout checks the bytes the writer puts at the offsets of the
// standard's fixed header.
func TestHeaderLayout(t *testing.T) {
	h := twoLeads()
	h.VarBlock = []byte("vb")
	b := encode(t, h, patient, samples(2, 3))
	checks := []struct {
		name string
		got  int64
		want int64
	}{
		{"var block size", int64(i32(b, 10)), 2},
		{"samples per lead", int64(i32(b, 14)), 3},
		{"var block offset", int64(i32(b, 18)), 522},
		{"ECG block offset", int64(i32(b, 22)), 524},
		{"sex", int64(i16(b, 128)), 1},
		{"birth year", int64(i16(b, 136)), 1951},
		{"record month", int64(i16(b, 140)), 3},
		{"start minute", int64(i16(b, 152)), 30},
		{"leads", int64(i16(b, 156)), 2},
		{"lead 1 code", int64(i16(b, 160)), 15},
		{"lead 2 code (absent)", int64(i16(b, 162)), -9},
		{"lead 0 resolution", int64(i16(b, 206)), 2500},
		{"sampling rate", int64(i16(b, 272)), 200},
		{"CRC", int64(le.Uint16(b[8:])), int64(crcBitwise(b[10:524]))},
		{"file size", int64(len(b)), 524 + 3*2*2},
		{"first sample of lead 1", int64(i16(b, 526)), int64(wave(1, 0))},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if string(b[:8]) != "ISHNE1.0" || text(b, 28, 40) != "Harry" || text(b, 232, 40) != "digital" || string(b[522:524]) != "vb" {
		t.Errorf("text fields: %q %q %q", b[:8], text(b, 28, 40), text(b, 232, 40))
	}
}

func TestWriterErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Header, *Patient)
	}{
		{"no leads", func(h *Header, _ *Patient) { h.Leads = nil }},
		{"13 leads", func(h *Header, _ *Patient) { h.Leads = make([]LeadInfo, 13) }},
		{"sampling rate 0", func(h *Header, _ *Patient) { h.Fs = 0 }},
		{"resolution 0", func(h *Header, _ *Patient) { h.Leads[1].Resolution = 0 }},
		{"name too long", func(_ *Header, p *Patient) { p.ID = "an ID of twenty-one b" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, p := twoLeads(), patient
			c.edit(&h, &p)
			if _, err := NewWriter(&bytes.Buffer{}, h, p, 1); !errors.Is(err, ErrWriteSpec) {
				t.Errorf("NewWriter = %v, want ErrWriteSpec", err)
			}
		})
	}
	data := []struct {
		name  string
		leads [][]int32
		err   error
	}{
		{"value beyond int16", [][]int32{{40000}, {0}}, ErrWriteData},
		{"one lead of two", [][]int32{{0}}, ErrWriteData},
		{"unequal lengths", [][]int32{{0}, {0, 1}}, ErrWriteData},
		{"more than declared", [][]int32{{0, 1, 2}, {0, 1, 2}}, ErrWriteCount},
	}
	for _, c := range data {
		t.Run(c.name, func(t *testing.T) {
			w, _ := NewWriter(&bytes.Buffer{}, twoLeads(), patient, 2)
			if err := w.Write(c.leads); !errors.Is(err, c.err) {
				t.Errorf("Write = %v, want %v", err, c.err)
			}
		})
	}
	w, _ := NewWriter(&bytes.Buffer{}, twoLeads(), patient, 2)
	if err := w.Close(); !errors.Is(err, ErrWriteCount) {
		t.Errorf("Close before any sample = %v, want ErrWriteCount", err)
	}
}

// TestStreamingWrite writes in pieces and reads back with Open.
func TestStreamingWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "holter.ecg")
	want := samples(2, 1000)
	if err := WriteFile(path, twoLeads(), patient, want); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, twoLeads(), patient, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for at := 0; at < 1000; at += 300 {
		end := min(at+300, 1000)
		if err := w.Write([][]int32{want[0][at:end], want[1][at:end]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Info().Name != "holter" || !bytes.Equal(buf.Bytes(), encode(t, twoLeads(), patient, want)) {
		t.Errorf("streamed bytes differ from Write's, or name %q", f.Info().Name)
	}
	if got := readAll(t, f, 128); got[1][999] != want[1][999] {
		t.Errorf("last sample %d, want %d", got[1][999], want[1][999])
	}
}
