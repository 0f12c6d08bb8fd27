package stats

import (
	"math"
	"slices"
	"testing"
)

// TestMedian checks odd and even counts, repeats, order and the empty
// slice, for floats and integers, and that the input is left unchanged.
func TestMedian(t *testing.T) {
	cases := []struct {
		name string
		in   []float64
		want float64
	}{
		{"empty", nil, 0},
		{"one", []float64{3}, 3},
		{"odd", []float64{5, 1, 4, 2, 3}, 3},
		{"even takes the mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
		{"repeats", []float64{7, 7, 1, 7, 2}, 7},
		{"sorted", []float64{1, 2, 3, 4, 5, 6, 7}, 4},
		{"reversed", []float64{9, 8, 7, 6, 5, 4, 3, 2}, 5.5},
		{"negative", []float64{-3, -1, -2}, -2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := slices.Clone(c.in)
			if got := Median(in); got != c.want {
				t.Errorf("Median(%v) = %g, want %g", c.in, got, c.want)
			}
			if !slices.Equal(in, c.in) {
				t.Errorf("Median reordered its input: %v, was %v", in, c.in)
			}
		})
	}
}

// TestMedianIntegers checks the integer mean of the middle two rounds
// toward the lower one and does not overflow.
func TestMedianIntegers(t *testing.T) {
	if got := Median([]int32{1, 4, 2, 3}); got != 2 {
		t.Errorf("Median(1,4,2,3) = %d, want 2 (2 + (3-2)/2)", got)
	}
	if got := Median([]int32{math.MaxInt32, math.MaxInt32 - 2}); got != math.MaxInt32-1 {
		t.Errorf("Median near MaxInt32 = %d, want %d", got, math.MaxInt32-1)
	}
	if got := Median([]float32{1, 2}); got != 1.5 {
		t.Errorf("Median(float32 1,2) = %g, want 1.5", got)
	}
}
