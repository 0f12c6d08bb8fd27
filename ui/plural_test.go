package ui

import "testing"

func TestCount(t *testing.T) {
	cases := []struct {
		n    int
		noun string
		want string
	}{
		{1, "beat", "1 beat"},
		{0, "beat", "0 beats"},
		{2, "cluster", "2 clusters"},
		{1, "cluster", "1 cluster"},
		{3, "noise stretch", "3 noise stretches"},
		{1, "noise stretch", "1 noise stretch"},
	}
	for _, c := range cases {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}
