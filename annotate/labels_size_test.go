package annotate

import (
	"testing"
	"unsafe"
)

// TestBeatSize checks the layout of Beat and Provenance: a 14-day record
// holds 1.4 million beats in the session and again in the window's label
// view, so 16 bytes of padding a beat cost about 45 MB.
func TestBeatSize(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Provenance", unsafe.Sizeof(Provenance{}), 48},
		{"Beat", unsafe.Sizeof(Beat{}), 64},
	} {
		if c.got != c.want {
			t.Errorf("unsafe.Sizeof(%s) = %d bytes, want %d: keep the fields widest first", c.name, c.got, c.want)
		}
	}
}
