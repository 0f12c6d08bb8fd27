package cinc

import (
	"strings"
	"testing"
)

// FuzzReadReference checks that any input parses or fails with a
// ParseError, never panics, and that what parses writes back to the same
// labels.
func FuzzReadReference(f *testing.F) {
	for _, c := range referenceCases {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		labels, err := ReadReference(strings.NewReader(text), "fuzz")
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T %v is not a *ParseError", err, err)
			}
			return
		}
		var b strings.Builder
		for _, l := range labels {
			b.WriteString(l.Record + "," + l.Class.String() + "\n")
		}
		again, err := ReadReference(strings.NewReader(b.String()), "fuzz")
		if err != nil || len(again) != len(labels) {
			t.Fatalf("round trip: %v, %d labels, want %d", err, len(again), len(labels))
		}
		for i := range again {
			if again[i] != labels[i] {
				t.Fatalf("round trip label %d: %v, want %v", i, again[i], labels[i])
			}
		}
	})
}
