package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const modelDir = "../../testdata/models"

var checkONNXCases = []struct {
	name   string
	data   []byte
	offset int64  // wanted FormatError offset; -1 when the data is valid
	msg    string // part of the message
}{
	{"minimal model", []byte{0x08, 0x08, 0x3a, 0x00}, -1, ""},
	{"fields of every wire type", []byte{0x08, 0x08, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1d, 1, 2, 3, 4, 0x3a, 0x02, 0x0a, 0x00}, -1, ""},
	{"empty", nil, 0, "empty"},
	{"text", []byte("This is a text file"), 0, "wire type 4"},
	{"field zero", []byte{0x00, 0x01}, 0, "field number 0"},
	{"no graph", []byte{0x08, 0x08}, 0, "no graph"},
	{"no ir_version", []byte{0x3a, 0x00}, 0, "no ir_version"},
	{"truncated length", []byte{0x08, 0x08, 0x3a, 0x05, 0x01}, 3, "past the end"},
	{"truncated varint", []byte{0x08, 0x08, 0x08, 0xff}, 3, "bad varint"},
	{"truncated fixed64", []byte{0x08, 0x08, 0x3a, 0x00, 0x11, 1, 2}, 4, "past the end"},
	{"overlong key", []byte{0x3a, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 2, "bad field key"},
	{"group", []byte{0x08, 0x08, 0x3b}, 2, "wire type 3"},
}

func TestCheckONNX(t *testing.T) {
	for _, c := range checkONNXCases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckONNX(c.data)
			if c.offset < 0 {
				if err != nil {
					t.Fatalf("CheckONNX = %v, want nil", err)
				}
				return
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrNotONNX) {
				t.Fatalf("CheckONNX = %v, want a *FormatError", err)
			}
			if fe.Offset != c.offset || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("CheckONNX = %q (offset %d), want offset %d and %q", err, fe.Offset, c.offset, c.msg)
			}
		})
	}
}

// TestCheckONNXFiles checks the committed models: every one made by
// torch.onnx.export passes, the text file does not, and no prefix of a
// real model passes as a whole one.
func TestCheckONNXFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(modelDir, "*.onnx"))
	if len(files) == 0 {
		t.Fatal("no models in " + modelDir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		err = CheckONNX(data)
		if want := filepath.Base(f) != "not_onnx.onnx"; (err == nil) != want {
			t.Errorf("%s: CheckONNX = %v", f, err)
		}
		if filepath.Base(f) == "beat_small.onnx" {
			for _, n := range []int{1, 10, len(data) / 2, len(data) - 1} {
				if CheckONNX(data[:n]) == nil {
					t.Errorf("%s cut to %d bytes passes", f, n)
				}
			}
		}
	}
}

// FuzzCheckONNX checks that CheckONNX never panics and reports offsets
// inside the data. Seeds: the table and the committed models.
func FuzzCheckONNX(f *testing.F) {
	for _, c := range checkONNXCases {
		f.Add(c.data)
	}
	files, _ := filepath.Glob(filepath.Join(modelDir, "*.onnx"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := CheckONNX(data)
		var fe *FormatError
		if err != nil && (!errors.As(err, &fe) || fe.Offset < 0 || fe.Offset > int64(len(data))) {
			t.Fatalf("CheckONNX = %v", err)
		}
	})
}
