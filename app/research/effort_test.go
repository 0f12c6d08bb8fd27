package research

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/sim"
)

// TestKindsText checks the "left:" line of bench-effort -v.
func TestKindsText(t *testing.T) {
	n, s, v := annotate.ClassN, annotate.ClassS, annotate.ClassV
	none := annotate.ClassNone
	tests := []struct {
		name  string
		kinds []sim.Kind
		n     int
		want  string
	}{
		{"none", nil, 6, ""},
		{"each kind", []sim.Kind{{Now: n, Want: s, Rhythm: "AFIB", N: 12}, {Now: none, Want: v, N: 3}, {Now: n, Want: none, Rhythm: "N", N: 2}}, 6,
			"S as N in AFIB 12, missed V 3, false beat (N) in N 2"},
		{"more than shown", []sim.Kind{{Now: n, Want: s, N: 5}, {Now: s, Want: n, N: 4}}, 1, "S as N 5, ..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := kindsText(tt.kinds, tt.n); got != tt.want {
				t.Errorf("kindsText = %q, want %q", got, tt.want)
			}
		})
	}
}
