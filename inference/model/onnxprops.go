package model

import (
	"encoding/binary"
	"fmt"
)

// Protocol buffer field numbers of the metadata in onnx.ModelProto.
const (
	fieldMetadataProps = 14 // repeated StringStringEntryProto metadata_props
	fieldEntryKey      = 1  // string key
	fieldEntryValue    = 2  // string value
)

// MetadataProps reads a model's metadata_props from the ONNX file's bytes
// without ONNX Runtime, so a model's contract and version can be shown
// (ecgstation --version) on a machine that has no runtime. A malformed file
// gives a *FormatError.
func MetadataProps(data []byte) (map[string]string, error) {
	if err := CheckONNX(data); err != nil {
		return nil, err
	}
	props := map[string]string{}
	for off := 0; off < len(data); {
		field, wire, next, err := protoField(data, off)
		if err != nil {
			return nil, err
		}
		if field == fieldMetadataProps && wire == 2 {
			k, v, err := stringEntry(data, off, next)
			if err != nil {
				return nil, err
			}
			props[k] = v
		}
		off = next
	}
	return props, nil
}

// stringEntry decodes the StringStringEntryProto in the bytes field that
// starts at off and ends at end.
func stringEntry(data []byte, off, end int) (key, value string, err error) {
	_, n := binary.Uvarint(data[off:]) // the field key
	_, m := binary.Uvarint(data[off+n:])
	msg := data[off+n+m : end]
	for p := 0; p < len(msg); {
		field, wire, next, err := protoField(msg, p)
		if err != nil {
			return "", "", fmt.Errorf("metadata entry at byte %d: %w", off, err)
		}
		if wire == 2 {
			_, h := binary.Uvarint(msg[p:])
			_, l := binary.Uvarint(msg[p+h:])
			s := string(msg[p+h+l : next])
			switch field {
			case fieldEntryKey:
				key = s
			case fieldEntryValue:
				value = s
			}
		}
		p = next
	}
	return key, value, nil
}
