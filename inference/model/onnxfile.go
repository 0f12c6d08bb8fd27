package model

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrNotONNX is wrapped by a FormatError: the file is not an ONNX model.
var ErrNotONNX = errors.New("not an ONNX model")

// FormatError says where a file stops looking like an ONNX model.
type FormatError struct {
	Offset int64  // byte offset of the problem
	Msg    string // what is wrong there
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("not an ONNX model: byte %d: %s", e.Offset, e.Msg)
}

// Unwrap returns ErrNotONNX.
func (e *FormatError) Unwrap() error { return ErrNotONNX }

// Protocol buffer field numbers of onnx.ModelProto that CheckONNX needs.
const (
	fieldIRVersion = 1 // int64 ir_version
	fieldGraph     = 7 // GraphProto graph
)

// CheckONNX checks that data has the top-level structure of an ONNX
// ModelProto: a sequence of well-formed protocol buffer fields that
// includes ir_version (field 1, varint) and graph (field 7, bytes). It
// catches files that are not ONNX at all, or are cut short, with the byte
// offset where they go wrong, before ONNX Runtime parses them.
func CheckONNX(data []byte) error {
	if len(data) == 0 {
		return &FormatError{0, "the file is empty"}
	}
	var hasIR, hasGraph bool
	for off := 0; off < len(data); {
		field, wire, next, err := protoField(data, off)
		if err != nil {
			return err
		}
		hasIR = hasIR || (field == fieldIRVersion && wire == 0)
		hasGraph = hasGraph || (field == fieldGraph && wire == 2)
		off = next
	}
	switch {
	case !hasGraph:
		return &FormatError{0, "no graph (ModelProto field 7)"}
	case !hasIR:
		return &FormatError{0, "no ir_version (ModelProto field 1)"}
	}
	return nil
}

// protoField reads the protocol buffer field that starts at off and
// returns its number, wire type and the offset of the next field.
func protoField(data []byte, off int) (field uint64, wire uint64, next int, err error) {
	key, n := binary.Uvarint(data[off:])
	if n <= 0 {
		return 0, 0, 0, &FormatError{int64(off), "bad field key (truncated or overlong varint)"}
	}
	field, wire = key>>3, key&7
	if field == 0 {
		return 0, 0, 0, &FormatError{int64(off), "field number 0"}
	}
	p := off + n
	switch wire {
	case 0:
		if _, n = binary.Uvarint(data[p:]); n <= 0 {
			return 0, 0, 0, &FormatError{int64(p), fmt.Sprintf("field %d: bad varint", field)}
		}
		p += n
	case 1, 5:
		p += map[uint64]int{1: 8, 5: 4}[wire]
	case 2:
		l, n := binary.Uvarint(data[p:])
		if n <= 0 || l > uint64(len(data)-p-n) {
			return 0, 0, 0, &FormatError{int64(p), fmt.Sprintf("field %d: length runs past the end of the file (%d bytes)", field, len(data))}
		}
		p += n + int(l)
	default:
		return 0, 0, 0, &FormatError{int64(off), fmt.Sprintf("field %d: wire type %d is not used in ONNX files", field, wire)}
	}
	if p > len(data) {
		return 0, 0, 0, &FormatError{int64(off), fmt.Sprintf("field %d runs past the end of the file (%d bytes)", field, len(data))}
	}
	return field, wire, p, nil
}
