package wfdb

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/ecgstation/ecgstation/store/private"
)

// WriteAnnotationFile writes anns (in file order, as FromLabels gives
// them) to a new MIT-format annotation file at path.
func WriteAnnotationFile(path string, anns []Annotation) error {
	f, err := private.Create(path)
	if err != nil {
		return fmt.Errorf("wfdb: %w", err)
	}
	err = WriteAnnotations(f, anns)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("wfdb: write %s: %w", path, err)
	}
	return nil
}

// WriteAnnotations writes anns as an MIT-format annotation stream, ending
// with the end-of-file word. Annotations must be in the order they are to be
// read back (normally by Sample). Each is encoded the way WFDB's putann
// does: a SKIP when the step from the previous annotation is outside
// 0..1023, the code word, then SUB (when not 0), CHN and NUM (when they
// differ from the previous annotation's) and AUX (when not empty), so a file
// written by WFDB reads and writes back to the same bytes.
func WriteAnnotations(w io.Writer, anns []Annotation) error {
	bw := bufio.NewWriter(w)
	var st annState
	var buf []byte
	for i := range anns {
		var err error
		if buf, st, err = encodeAnnotation(buf[:0], &anns[i], st); err != nil {
			return fmt.Errorf("wfdb: write annotation %d: %w", i, err)
		}
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("wfdb: write annotations: %w", err)
		}
	}
	bw.Write([]byte{0, 0})
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("wfdb: write annotations: %w", err)
	}
	return nil
}

// maxAux is the longest aux the format's 10-bit AUX length can state.
// WFDB's own tools write at most 255 bytes, but a file may hold more, and
// reading then writing it must give it back.
const maxAux = 0x3ff

// encodeAnnotation appends the canonical encoding of a to b.
func encodeAnnotation(b []byte, a *Annotation, st annState) ([]byte, annState, error) {
	if a.Code >= codeSkip {
		return b, st, fmt.Errorf("%w: code %d is a pseudo-code", ErrBadAnnotation, a.Code)
	}
	if len(a.Aux) > maxAux {
		return b, st, fmt.Errorf("%w: aux of %d bytes (at most %d)", ErrBadAnnotation, len(a.Aux), maxAux)
	}
	delta := a.Sample - st.t
	if delta < 0 || delta > 0x3ff || (a.Code == 0 && delta == 0) {
		b, delta = appendSkips(b, delta, a.Code == 0)
	}
	b = appendWord(b, int(a.Code), int(delta))
	if a.Sub != 0 {
		b = appendWord(b, codeSub, int(a.Sub))
	}
	if a.Chan != st.ch {
		b = appendWord(b, codeChan, int(a.Chan))
	}
	if a.Num != st.num {
		b = appendWord(b, codeNum, int(a.Num))
	}
	if a.Aux != "" {
		b = appendWord(b, codeAux, len(a.Aux))
		b = append(b, a.Aux...)
		if len(a.Aux)%2 == 1 {
			b = append(b, 0)
		}
	}
	return b, annState{t: a.Sample, num: a.Num, ch: a.Chan}, nil
}

// appendSkips writes SKIPs covering delta and returns the step left for the
// code word: 0, or 1 for a code-0 annotation, whose word would otherwise be
// the end-of-file word.
func appendSkips(b []byte, delta int64, null bool) ([]byte, int64) {
	rest := int64(0)
	if null {
		delta, rest = delta-1, 1
	}
	for {
		step := min(max(delta, math.MinInt32), math.MaxInt32)
		var w [6]byte
		putSkip(w[:], int32(step))
		b = append(b, w[:]...)
		delta -= step
		if delta == 0 {
			return b, rest
		}
	}
}

func appendWord(b []byte, code, data int) []byte {
	return binary.LittleEndian.AppendUint16(b, uint16(code<<10|data&0x3ff))
}
