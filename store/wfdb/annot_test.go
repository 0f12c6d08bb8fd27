package wfdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// w builds one annotation word.
func w(code, data int) []byte {
	return binary.LittleEndian.AppendUint16(nil, uint16(code<<10|data&0x3ff))
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func skip(v int32) []byte {
	var b [6]byte
	putSkip(b[:], v)
	return b[:]
}

// annCases is the table of annotation streams: what they decode to, or the
// error. It also seeds FuzzAnnotations.
var annCases = []struct {
	name string
	in   []byte
	want []Annotation
	err  error
}{
	{name: "empty file", in: nil, want: nil},
	{name: "eof only", in: w(0, 0), want: nil},
	{name: "two beats", in: cat(w(1, 100), w(5, 250), w(0, 0)),
		want: []Annotation{{Sample: 100, Code: annotate.Normal}, {Sample: 350, Code: annotate.PVC}}},
	{name: "no eof word", in: cat(w(1, 7)), want: []Annotation{{Sample: 7, Code: 1}}},
	{name: "skip", in: cat(skip(100000), w(1, 0), w(0, 0)), want: []Annotation{{Sample: 100000, Code: 1}}},
	{name: "negative skip", in: cat(w(1, 10), skip(-5), w(1, 0), w(0, 0)),
		want: []Annotation{{Sample: 10, Code: 1}, {Sample: 5, Code: 1}}},
	{name: "aux odd length padded", in: cat(w(28, 18), w(63, 3), []byte("(N\x00\x00"), w(0, 0)),
		want: []Annotation{{Sample: 18, Code: annotate.Rhythm, Aux: "(N\x00"}}},
	{name: "aux even", in: cat(w(22, 0), w(63, 4), []byte("note"), w(0, 0)),
		want: []Annotation{{Code: annotate.Note, Aux: "note"}}},
	{name: "num and chan persist, sub does not", in: cat(w(1, 1), w(61, 2), w(62, 1), w(60, 5), w(1, 1), w(0, 0)),
		want: []Annotation{{Sample: 1, Code: 1, Sub: 2, Chan: 1, Num: 5}, {Sample: 2, Code: 1, Chan: 1, Num: 5}}},
	{name: "chan -1 as 10 bits", in: cat(w(22, 0), w(62, 1023), w(0, 0)), want: []Annotation{{Code: 22, Chan: -1}}},
	{name: "code 0 after skip -1", in: cat(w(22, 0), skip(-1), w(0, 1), w(0, 0)),
		want: []Annotation{{Code: 22}, {Code: 0}}},
	{name: "odd byte", in: cat(w(1, 1), []byte{7}), err: ErrTruncated},
	{name: "skip cut short", in: cat(w(59, 0), []byte{1, 2}), err: ErrTruncated},
	{name: "aux cut short", in: cat(w(1, 1), w(63, 10), []byte("abc")), err: ErrTruncated},
}

func TestDecodeAnnotations(t *testing.T) {
	for _, c := range annCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeAnnotations("t.atr", c.in)
			if c.err != nil {
				var pe *ParseError
				if !errors.Is(err, c.err) || !errors.As(err, &pe) || pe.Offset < 0 {
					t.Fatalf("err = %v, want %v with an offset", err, c.err)
				}
				return
			}
			if err != nil || len(got) != len(c.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("annotation %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
			var buf bytes.Buffer
			if err := WriteAnnotations(&buf, got); err != nil {
				t.Fatal(err)
			}
			if len(c.in) > 0 && bytes.HasSuffix(c.in, []byte{0, 0}) && !bytes.Equal(buf.Bytes(), c.in) {
				t.Errorf("rewritten % x, want % x", buf.Bytes(), c.in)
			}
		})
	}
}

// TestEncodeCanonical: annotations are written the way WFDB's putann
// writes them.
func TestEncodeCanonical(t *testing.T) {
	cases := []struct {
		name string
		anns []Annotation
		want []byte
	}{
		{"small steps", []Annotation{{Sample: 5, Code: 1}, {Sample: 1028, Code: 1}},
			cat(w(1, 5), w(1, 1023), w(0, 0))},
		{"skip forward", []Annotation{{Sample: 1024, Code: 1}}, cat(skip(1024), w(1, 0), w(0, 0))},
		{"skip back", []Annotation{{Sample: 10, Code: 1}, {Sample: 3, Code: 5}},
			cat(w(1, 10), skip(-7), w(5, 0), w(0, 0))},
		{"skip beyond 32 bits", []Annotation{{Sample: 1<<31 + 9, Code: 1}},
			cat(skip(1<<31-1), skip(10), w(1, 0), w(0, 0))},
		{"code 0 at step 0", []Annotation{{Sample: 0, Code: 0}}, cat(skip(-1), w(0, 1), w(0, 0))},
		{"sub chan num aux order", []Annotation{{Sample: 1, Code: 28, Sub: 3, Chan: 1, Num: -2, Aux: "(AFIB"}},
			cat(w(1, 0)[:0], w(28, 1), w(61, 3), w(62, 1), w(60, -2), w(63, 5), []byte("(AFIB\x00"), w(0, 0))},
		{"num unchanged is not repeated", []Annotation{{Sample: 1, Code: 1, Num: 4}, {Sample: 2, Code: 1, Num: 4}},
			cat(w(1, 1), w(60, 4), w(1, 1), w(0, 0))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteAnnotations(&buf, c.anns); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), c.want) {
				t.Fatalf("wrote % x, want % x", buf.Bytes(), c.want)
			}
			back, err := DecodeAnnotations("t", buf.Bytes())
			if err != nil || len(back) != len(c.anns) {
				t.Fatalf("decode back: %v %v", back, err)
			}
			for i := range back {
				if back[i] != c.anns[i] {
					t.Errorf("back %d = %+v, want %+v", i, back[i], c.anns[i])
				}
			}
		})
	}
}

// TestEditedAnnotation: an annotation changed after reading is written with
// its new code; the others are written as they were.
func TestEditedAnnotation(t *testing.T) {
	in := cat(w(1, 100), w(1, 200), w(1, 300), w(0, 0))
	anns, err := DecodeAnnotations("t", in)
	if err != nil {
		t.Fatal(err)
	}
	anns[1].Code = annotate.PVC
	var buf bytes.Buffer
	if err := WriteAnnotations(&buf, anns); err != nil {
		t.Fatal(err)
	}
	if want := cat(w(1, 100), w(5, 200), w(1, 300), w(0, 0)); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("wrote % x, want % x", buf.Bytes(), want)
	}
}

func TestEncodeErrors(t *testing.T) {
	long := string(bytes.Repeat([]byte("x"), maxAux+1))
	for _, a := range []Annotation{{Code: 59}, {Code: 63}, {Code: 1, Aux: long}} {
		if err := WriteAnnotations(&bytes.Buffer{}, []Annotation{a}); !errors.Is(err, ErrBadAnnotation) {
			t.Errorf("write %+v: err = %v, want ErrBadAnnotation", a.Code, err)
		}
	}
}

func TestAnnotationText(t *testing.T) {
	for aux, want := range map[string]string{"(AFIB\x00": "(AFIB", "(N": "(N", "": "", "a\x00b": "a"} {
		if got := (Annotation{Aux: aux}).Text(); got != want {
			t.Errorf("Text of %q = %q, want %q", aux, got, want)
		}
	}
}

// TestTimeResolution: 03700181.gqrsh starts with "## time resolution: 500"
// (gqrs -H runs at twice the record's 250 Hz); 100.atr has no such note.
func TestTimeResolution(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	cases := []struct {
		file string
		fs   float64
		ok   bool
	}{{"03700181.gqrsh", 500, true}, {"03700181.sqrs", 250, true}, {"100.atr", 0, false}}
	for _, c := range cases {
		anns, err := ReadAnnotations(dir + "/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		if fs, ok := TimeResolution(anns); fs != c.fs || ok != c.ok {
			t.Errorf("%s: TimeResolution = %v %v, want %v %v", c.file, fs, ok, c.fs, c.ok)
		}
	}
}
