package annotate

import (
	"slices"
	"testing"
)

func TestUnion(t *testing.T) {
	cases := []struct {
		name string
		in   []Span
		want []Span
	}{
		{"none", nil, nil},
		{"one", []Span{{5, 9}}, []Span{{5, 9}}},
		{"apart, out of order", []Span{{20, 30}, {0, 10}}, []Span{{0, 10}, {20, 30}}},
		{"touching ends merge", []Span{{0, 10}, {10, 15}}, []Span{{0, 15}}},
		{"overlapping and nested", []Span{{0, 10}, {5, 30}, {12, 20}, {40, 41}}, []Span{{0, 30}, {40, 41}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := slices.Clone(c.in)
			if got := Union(c.in); !slices.Equal(got, c.want) {
				t.Errorf("Union(%v) = %v, want %v", c.in, got, c.want)
			}
			if !slices.Equal(in, c.in) {
				t.Errorf("Union changed its input to %v", c.in)
			}
		})
	}
}
