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

// TestPhaseCounts checks the counts of a bench-effort -v phase line: the
// errors left by what they should be, the false S among them, and the
// adapter's work.
func TestPhaseCounts(t *testing.T) {
	n, s, v := annotate.ClassN, annotate.ClassS, annotate.ClassV
	none := annotate.ClassNone
	tests := []struct {
		name      string
		ph        sim.Phase
		left, ada string
	}{
		{"nothing", sim.Phase{}, "", ""},
		{"S both ways", sim.Phase{Kinds: []sim.Kind{{Now: n, Want: s, N: 12}, {Now: s, Want: n, N: 4}, {Now: s, Want: none, N: 1}, {Now: none, Want: v, N: 2}}},
			"(N 4 S 12 V 2 false 1 labelled S 5)", ""},
		{"adapter", sim.Phase{Tally: sim.Tally{AdaptFixed: 12, AdaptBroke: 3}}, "", " adapter +12 -3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leftByClass(tt.ph); got != tt.left {
				t.Errorf("leftByClass = %q, want %q", got, tt.left)
			}
			if got := adaptedText(tt.ph.Tally); got != tt.ada {
				t.Errorf("adaptedText = %q, want %q", got, tt.ada)
			}
		})
	}
}
