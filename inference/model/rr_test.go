package model

import (
	"math"
	"testing"
)

// TestRRFeatures checks the RR features against values worked out by hand
// from the definitions in docs/model-contract.md.
func TestRRFeatures(t *testing.T) {
	const fs = 100
	// RR intervals in s: 1.0, 0.5 (a premature beat), 1.5 (its pause), 1.0
	peaks := []int64{0, 100, 150, 300, 400}
	names := []string{"rr_prev", "rr_next", "rr_local", "rr_prev_ratio", "rr_next_ratio", "rr_next_prev"}
	local := 4.0 / 4 // all 4 intervals lie within RRLocalSpan of every beat
	cases := []struct {
		name string
		i    int
		want []float64
	}{
		{"first beat: prev takes the local mean", 0, []float64{local, 1, local, 1, 1, 1}},
		{"premature beat", 2, []float64{0.5, 1.5, local, 0.5, 1.5, 3}},
		{"after the pause", 3, []float64{1.5, 1, local, 1.5, 1, 1.0 / 1.5}},
		{"last beat: next takes the local mean", 4, []float64{1, local, local, 1, 1, 1}},
	}
	dst := make([]float32, len(names))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rrFeatures(dst, rrFuncsFor(names), peaks, fs, c.i)
			for k, w := range c.want {
				if math.Abs(float64(dst[k])-w) > 1e-6 {
					t.Errorf("%s = %v, want %v", names[k], dst[k], w)
				}
			}
		})
	}
}

func TestRRLocalSpan(t *testing.T) {
	// 30 beats 1 s apart, then 10 beats 0.5 s apart: at beat 25 the local
	// mean covers the intervals ending at beats 16...35: 15 of 1 s, 5 of 0.5 s.
	var peaks []int64
	for i := 0; i <= 30; i++ {
		peaks = append(peaks, int64(i*1000))
	}
	for i := 1; i <= 10; i++ {
		peaks = append(peaks, 30000+int64(i*500))
	}
	got := rrAt(peaks, 1000, 25).local
	if want := (15*1.0 + 5*0.5) / 20; math.Abs(got-want) > 1e-12 {
		t.Errorf("rr_local = %v, want %v", got, want)
	}
	if b := rrAt(peaks[:1], 1000, 0); b.prev != 0 || b.next != 0 || b.local != 0 || b.long != 0 {
		t.Errorf("single beat: %+v, want zeros", b)
	}
}

func TestRRLong(t *testing.T) {
	// 400 beats 1 s apart, then beats 0.5 s apart: at beat 300 (300 s) rr_long
	// covers 150...450 s: 250 intervals of 1 s and 100 of 0.5 s.
	var peaks []int64
	for i := 0; i <= 400; i++ {
		peaks = append(peaks, int64(i*100))
	}
	for i := 1; i <= 400; i++ {
		peaks = append(peaks, 40000+int64(i*50))
	}
	cases := []struct {
		name string
		i    int
		want float64
	}{
		{"first beat: 150 s after it only", 0, 1},
		{"across the change", 300, 300.0 / 350},
		{"last beat: 150 s before it only", len(peaks) - 1, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rrAt(peaks, 100, c.i).long; math.Abs(got-c.want) > 1e-12 {
				t.Errorf("rr_long = %v, want %v", got, c.want)
			}
		})
	}
	if b := rrAt(peaks[:1], 100, 0); b.prev != 0 || b.next != 0 || b.local != 0 || b.long != 0 {
		t.Errorf("single beat: %+v, want zeros", b)
	}
}

func TestRRIrregularity(t *testing.T) {
	regular := make([]int64, 40)
	for i := range regular {
		regular[i] = int64(i * 800)
	}
	premature := append([]int64(nil), regular...)
	for i := 20; i < len(premature); i++ {
		premature[i] -= 200 // beat 20 comes 0.2 s early, then the rhythm goes on
	}
	for i := 21; i < len(premature); i++ {
		premature[i] += 200
	}
	alternating := make([]int64, 40) // 0.6 s, 1.0 s, 0.6 s ...: every change is 0.4 s
	for i := 1; i < len(alternating); i++ {
		alternating[i] = alternating[i-1] + int64(600+400*(i%2))
	}
	cases := []struct {
		name  string
		peaks []int64
		i     int
		want  float64
	}{
		{"regular", regular, 20, 0},
		{"one premature beat: the median ignores it", premature, 20, 0},
		{"every interval changes by 0.4 s of 0.8 s", alternating, 20, 0.4 / 0.8},
		{"single beat", regular[:1], 0, 0},
		{"two beats: one interval, no change to measure", regular[:2], 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := rrIrregularity(rrAt(c.peaks, 1000, c.i)); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("rr_local_irr = %v, want %v", got, c.want)
			}
		})
	}
}
