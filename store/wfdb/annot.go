package wfdb

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// Pseudo-codes of the MIT annotation format (annot(5)). They never appear
// as an Annotation's Code.
const (
	codeSkip = 59 // next 4 bytes: a 32-bit time step (high word first)
	codeNum  = 60 // data bits: the annotation's num field
	codeSub  = 61 // data bits: the annotation's subtyp field
	codeChan = 62 // data bits: the annotation's chan field
	codeAux  = 63 // data bits: length of the aux bytes that follow
)

// Annotation is one annotation of an MIT-format annotation file.
type Annotation struct {
	Sample int64         // sample number (frame) the annotation points at
	Code   annotate.Code // annotation code, 0..58 (see annotate.Code)
	Sub    int8          // subtype (subtyp)
	Chan   int8          // signal number the annotation refers to
	Num    int8          // annotator-defined number
	// Aux is the auxiliary data exactly as stored (WFDB writes at most 255
	// bytes; the format allows 1023), e.g.
	// "(AFIB\x00": WFDB's own tools store the terminating NUL, other
	// writers do not. Keeping the bytes is what makes read-then-write give
	// the same file; Text gives the text without the NUL.
	Aux string
}

// Text returns the aux data up to its first NUL byte: "(AFIB" for
// "(AFIB\x00".
func (a Annotation) Text() string {
	if i := strings.IndexByte(a.Aux, 0); i >= 0 {
		return a.Aux[:i]
	}
	return a.Aux
}

// annState is what the MIT format carries from one annotation to the next:
// time counts up from the previous annotation, num and chan persist.
type annState struct {
	t       int64
	num, ch int8
}

// ReadAnnotations reads an MIT-format annotation file (.atr, .qrs, ...).
func ReadAnnotations(path string) ([]Annotation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wfdb: read annotations: %w", err)
	}
	return DecodeAnnotations(path, b)
}

// DecodeAnnotations decodes an MIT-format annotation stream; name is used in
// errors. Decoding stops at the end-of-file word (two zero bytes) or at the
// end of b.
func DecodeAnnotations(name string, b []byte) ([]Annotation, error) {
	d := annDecoder{name: name, b: b}
	return d.run()
}

type annDecoder struct {
	name string
	b    []byte
	pos  int
	st   annState
	anns []Annotation
	open bool // the last annotation may still take pseudo-annotations
}

func (d *annDecoder) run() ([]Annotation, error) {
	for d.pos+2 <= len(d.b) {
		w := binary.LittleEndian.Uint16(d.b[d.pos:])
		if w == 0 {
			break
		}
		if err := d.word(int(w>>10), int(w&0x3ff)); err != nil {
			return nil, err
		}
	}
	if d.pos+2 > len(d.b) && d.pos != len(d.b) {
		return nil, offsetErr(d.name, int64(d.pos), ErrTruncated, "odd byte at the end of the annotation stream")
	}
	return d.anns, nil
}

// word decodes the word at d.pos, with code a and data v.
func (d *annDecoder) word(a, v int) error {
	at := d.pos
	d.pos += 2
	var cur *Annotation
	if d.open {
		cur = &d.anns[len(d.anns)-1]
	}
	switch a {
	case codeSkip:
		return d.skip(at)
	case codeNum:
		d.st.num = int8(v)
		if cur != nil {
			cur.Num = d.st.num
		}
	case codeChan:
		d.st.ch = int8(v)
		if cur != nil {
			cur.Chan = d.st.ch
		}
	case codeSub:
		if cur != nil {
			cur.Sub = int8(v)
		}
	case codeAux:
		return d.aux(cur, at, v)
	default:
		d.st.t += int64(v)
		d.anns = append(d.anns, Annotation{Sample: d.st.t, Code: annotate.Code(a), Num: d.st.num, Chan: d.st.ch})
		d.open = true
	}
	return nil
}

// skip decodes a SKIP word at offset at; it starts the next annotation.
func (d *annDecoder) skip(at int) error {
	d.open = false
	if d.pos+4 > len(d.b) {
		return offsetErr(d.name, int64(at), ErrTruncated, "SKIP without its 4-byte interval")
	}
	d.st.t += int64(skipValue(d.b[d.pos:]))
	d.pos += 4
	return nil
}

func (d *annDecoder) aux(cur *Annotation, at, n int) error {
	end := d.pos + n + n&1
	if end > len(d.b) {
		return offsetErr(d.name, int64(at), ErrTruncated, "AUX of %d bytes runs past the end", n)
	}
	if cur != nil {
		cur.Aux = string(d.b[d.pos : d.pos+n])
	}
	d.pos = end
	return nil
}

// skipValue decodes the 32-bit interval of a SKIP: two little-endian 16-bit
// words, the high word first (the PDP-11 long layout).
func skipValue(b []byte) int32 {
	return int32(uint32(binary.LittleEndian.Uint16(b))<<16 | uint32(binary.LittleEndian.Uint16(b[2:])))
}

func putSkip(b []byte, v int32) {
	binary.LittleEndian.PutUint16(b, codeSkip<<10)
	binary.LittleEndian.PutUint16(b[2:], uint16(uint32(v)>>16))
	binary.LittleEndian.PutUint16(b[4:], uint16(v))
}

// timeResolutionPrefix starts the note (code 22) at sample 0 with which WFDB
// records the sampling frequency an annotation file was written at.
const timeResolutionPrefix = "## time resolution: "

// TimeResolution returns the sampling frequency stated by a
// "## time resolution: F" note at the start of anns, if there is one.
func TimeResolution(anns []Annotation) (float64, bool) {
	for _, a := range anns {
		if a.Sample != 0 {
			break
		}
		if rest, ok := strings.CutPrefix(a.Aux, timeResolutionPrefix); ok && a.Code == annotate.Note {
			f, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return f, err == nil && f > 0
		}
	}
	return 0, false
}
