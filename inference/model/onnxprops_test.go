package model

import (
	"errors"
	"testing"

	"github.com/ecgstation/ecgstation/assets"
)

// TestMetadataPropsEmbedded reads the shipped models' contracts without
// ONNX Runtime: each parses with ParseMeta and names its task.
func TestMetadataPropsEmbedded(t *testing.T) {
	for name, data := range map[string][]byte{"beat": assets.BeatModel, "rhythm": assets.RhythmModel} {
		props, err := MetadataProps(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, err := ParseMeta(props)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(m.Task) != name || m.Version == "" {
			t.Errorf("%s: task %q version %q", name, m.Task, m.Version)
		}
	}
}

// TestMetadataPropsBad: a file that is not ONNX gives a FormatError.
func TestMetadataPropsBad(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a model"), assets.BeatModel[:100]} {
		if _, err := MetadataProps(b); !errors.Is(err, ErrNotONNX) {
			t.Errorf("MetadataProps(%d bytes) error %v, want ErrNotONNX", len(b), err)
		}
	}
}

// FuzzMetadataProps: any bytes give props or an error, never a panic.
func FuzzMetadataProps(f *testing.F) {
	f.Add(assets.RhythmModel)
	f.Add([]byte{0x08, 0x07, 0x3a, 0x00, 0x72, 0x04, 0x0a, 0x01, 'k', 0x12})
	f.Fuzz(func(t *testing.T, b []byte) {
		if props, err := MetadataProps(b); err == nil && props == nil {
			t.Fatal("nil props without an error")
		}
	})
}
