package annotate

import (
	"slices"
	"testing"
)

// matchCases pin the matcher's rule: the window edges, ties, one beat
// against several, bxb's 2002 rule, its local (not global) choice, the
// learning period and the end. M(r, t) is a pair, M(r, -1) a missed
// reference beat, M(-1, t) an extra test beat.
var matchCases = []struct {
	name      string
	ref, test []int64
	o         MatchOptions
	want      []Match
}{
	{"exactly the window apart matches", []int64{100}, []int64{110}, win(10), []Match{{0, 0}}},
	{"one sample outside the window does not", []int64{100}, []int64{111}, win(10), []Match{{0, -1}, {-1, 0}}},
	{"early by the window matches", []int64{100}, []int64{90}, win(10), []Match{{0, 0}}},
	{"early by one more does not", []int64{100}, []int64{89}, win(10), []Match{{-1, 0}, {0, -1}}},
	{"the closest test beat wins", []int64{100}, []int64{92, 99}, win(10), []Match{{-1, 0}, {0, 1}}},
	{"the closest reference beat wins", []int64{92, 99}, []int64{100}, win(10), []Match{{0, -1}, {1, 0}}},
	{"a tie between test beats goes to the later", []int64{100}, []int64{95, 105}, win(10), []Match{{-1, 0}, {0, 1}}},
	{"a tie between reference beats goes to the later", []int64{95, 105}, []int64{100}, win(10), []Match{{0, -1}, {1, 0}}},
	{"one test beat, two reference beats: matched once", []int64{100, 105}, []int64{102}, win(10), []Match{{0, 0}, {1, -1}}},
	{"one reference beat, two test beats: matched once", []int64{102}, []int64{100, 105}, win(10), []Match{{0, 0}, {-1, 1}}},
	{"two reference beats at one time: the later matches", []int64{100, 100}, []int64{100}, win(10), []Match{{0, -1}, {1, 0}}},
	{"bxb 2002 rule: the next pair is closer", []int64{96, 160}, []int64{128, 185}, win(37), []Match{{0, 0}, {1, 1}}},
	{"bxb 2002 rule, test beat first", []int64{128, 185}, []int64{96, 160}, win(37), []Match{{0, 0}, {1, 1}}},
	{"local, not a global assignment", []int64{100, 110}, []int64{106, 115}, win(54), []Match{{0, -1}, {1, 0}, {-1, 1}}},
	{"reference beats before Start are not matched", []int64{50, 150}, []int64{50, 150}, MatchOptions{10, 100, 1000}, []Match{{1, 1}}},
	{"the last test beat before Start matches the first reference beat", []int64{105}, []int64{98}, MatchOptions{10, 100, 1000}, []Match{{0, 0}}},
	{"a test beat just after Start is dropped for a closer next one", []int64{120}, []int64{102, 118}, MatchOptions{10, 100, 1000}, []Match{{0, 1}}},
	{"a test beat later is not dropped", []int64{220}, []int64{202, 218}, MatchOptions{10, 100, 1000}, []Match{{-1, 0}, {0, 1}}},
	{"End > 0: both streams up to End", []int64{100, 300}, []int64{100, 150, 305}, MatchOptions{10, 0, 200}, []Match{{0, 0}, {-1, 1}}},
	{"End <= 0: up to the last reference beat", []int64{100}, []int64{100, 300}, MatchOptions{10, 0, 0}, []Match{{0, 0}}},
	{"a test beat at time 0 meets the reference origin", []int64{50}, []int64{0, 50}, win(10), []Match{{0, 1}}},
	{"only test beats", nil, []int64{100}, win(10), []Match{{-1, 0}}},
	{"only reference beats", []int64{100}, nil, win(10), []Match{{0, -1}}},
	{"empty", nil, nil, win(10), nil},
}

func win(w int64) MatchOptions { return MatchOptions{Window: w, End: MaxMatchTime - 1} }

func TestMatchTimes(t *testing.T) {
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			if got := MatchTimes(c.ref, c.test, c.o); !slices.Equal(got, c.want) {
				t.Errorf("MatchTimes(%v, %v, %+v) = %v, want %v", c.ref, c.test, c.o, got, c.want)
			}
		})
	}
}

// FuzzMatchTimes checks on any sorted streams that every beat is in one
// match at most, that paired beats are within the window, and that with
// Start 0 and no beat at time 0 every beat is in exactly one match.
func FuzzMatchTimes(f *testing.F) {
	for _, c := range matchCases {
		f.Add(encodeTimes(c.ref), encodeTimes(c.test), c.o.Window)
	}
	f.Fuzz(func(t *testing.T, rb, tb []byte, w int64) {
		if w <= 0 || w > 1<<20 {
			return
		}
		ref, test := decodeTimes(rb), decodeTimes(tb)
		ms := MatchTimes(ref, test, win(w))
		nr, nt := make([]int, len(ref)), make([]int, len(test))
		for _, m := range ms {
			if m.Ref >= 0 {
				nr[m.Ref]++
			}
			if m.Test >= 0 {
				nt[m.Test]++
			}
			if m.Ref >= 0 && m.Test >= 0 && abs64(ref[m.Ref]-test[m.Test]) > w {
				t.Fatalf("match %v of %d and %d is outside the window %d", m, ref[m.Ref], test[m.Test], w)
			}
		}
		for _, n := range append(nr, nt...) {
			if n != 1 {
				t.Fatalf("a beat in %d matches: %v (ref %v, test %v)", n, ms, ref, test)
			}
		}
	})
}

// encodeTimes packs times as the fuzz target reads them: one byte per
// gap to the previous time, plus one (so no time is 0).
func encodeTimes(at []int64) []byte {
	var b []byte
	prev := int64(0)
	for _, t := range at {
		b = append(b, byte(min(t-prev, 255)))
		prev = t
	}
	return b
}

func decodeTimes(b []byte) []int64 {
	var out []int64
	t := int64(0)
	for _, g := range b {
		t += int64(g) + 1
		out = append(out, t)
	}
	return out
}
