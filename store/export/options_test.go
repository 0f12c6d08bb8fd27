package export

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

func TestParseOptions(t *testing.T) {
	cases := []struct {
		name string
		run  func() (string, error)
		want string
		err  bool
	}{
		{"balance none", func() (string, error) { b, err := ParseBalance("none"); return b.String(), err }, "none", false},
		{"balance undersample", func() (string, error) { b, err := ParseBalance("undersample:3.5"); return b.String(), err }, "undersample:3.5", false},
		{"balance cap", func() (string, error) { b, err := ParseBalance("cap:500"); return b.String(), err }, "cap:500", false},
		{"balance ratio below 1", func() (string, error) { b, err := ParseBalance("undersample:0.5"); return b.String(), err }, "", true},
		{"balance cap 0", func() (string, error) { b, err := ParseBalance("cap:0"); return b.String(), err }, "", true},
		{"balance unknown", func() (string, error) { b, err := ParseBalance("smote:2"); return b.String(), err }, "", true},
		{"split", func() (string, error) { s, err := ParseSplit("70,15,15"); return fmt.Sprint(s), err }, "[70 15 15]", false},
		{"split two", func() (string, error) { s, err := ParseSplit("70,30"); return fmt.Sprint(s), err }, "", true},
		{"split negative", func() (string, error) { s, err := ParseSplit("70,-1,31"); return fmt.Sprint(s), err }, "", true},
		{"split zero", func() (string, error) { s, err := ParseSplit("0,0,0"); return fmt.Sprint(s), err }, "", true},
		{"rhythms", func() (string, error) { r, err := ParseRhythms("AF=AFIB,AFL"); return fmt.Sprint(r), err }, "[{AF [AFIB]} {AFL [AFL]}]", false},
		{"rhythms plus", func() (string, error) { r, err := ParseRhythms("ATR=AFIB+AFL"); return fmt.Sprint(r), err }, "[{ATR [AFIB AFL]}]", false},
		{"rhythms OTHER", func() (string, error) { r, err := ParseRhythms("OTHER"); return fmt.Sprint(r), err }, "", true},
		{"window without the R peak", func() (string, error) {
			o := DefaultOptions()
			o.Fs, o.Before, o.After = 100, 0, 0.004
			return "", o.check()
		}, "", true},
		{"rhythms repeated", func() (string, error) { r, err := ParseRhythms("AF,AF"); return fmt.Sprint(r), err }, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.run()
			if (err != nil) != c.err || (!c.err && got != c.want) {
				t.Fatalf("got %q, %v; want %q (error %v)", got, err, c.want, c.err)
			}
			if err != nil && !errors.Is(err, ErrOption) {
				t.Errorf("error %v does not wrap ErrOption", err)
			}
		})
	}
}

// plansOf makes n plans with made-up ids and the given candidates.
func plansOf(n int, cand []int64) []*recPlan {
	var ps []*recPlan
	for i := range n {
		id := fmt.Sprintf("%064x", i*7919+1)
		ps = append(ps, &recPlan{idx: i, entry: store.RecordEntry{ID: annotate.RecordID(id)}, cand: slices.Clone(cand)})
	}
	return ps
}

func splitsOf(ps []*recPlan) []uint8 {
	var out []uint8
	for _, p := range ps {
		out = append(out, p.split)
	}
	return out
}

// TestSplitDeterminism: the same seed gives the same split whatever the
// order of the records; shares are met in records; another seed differs.
func TestSplitDeterminism(t *testing.T) {
	cases := []struct {
		name   string
		n      int
		share  [3]float64
		counts [3]int
	}{
		{"22 records 70/15/15", 22, [3]float64{70, 15, 15}, [3]int{15, 3, 4}},
		{"10 records 80/10/10", 10, [3]float64{80, 10, 10}, [3]int{8, 1, 1}},
		{"1 record", 1, [3]float64{70, 15, 15}, [3]int{1, 0, 0}},
		{"all test", 5, [3]float64{0, 0, 1}, [3]int{0, 0, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := plansOf(c.n, nil), plansOf(c.n, nil)
			slices.Reverse(b)
			assignSplits(a, c.share, 42)
			assignSplits(b, c.share, 42)
			slices.Reverse(b)
			if !slices.Equal(splitsOf(a), splitsOf(b)) {
				t.Fatalf("record order changed the split: %v vs %v", splitsOf(a), splitsOf(b))
			}
			var got [3]int
			for _, s := range splitsOf(a) {
				got[s]++
			}
			if got != c.counts {
				t.Errorf("records per split %v, want %v", got, c.counts)
			}
			if c.n >= 10 {
				d := plansOf(c.n, nil)
				assignSplits(d, c.share, 43)
				if slices.Equal(splitsOf(a), splitsOf(d)) {
					t.Errorf("seeds 42 and 43 give the same split")
				}
			}
		})
	}
}

// keptBy runs the selector over the candidates in export order and
// returns, per record, the positions kept.
func keptBy(ps []*recPlan, b Balance, seed uint64) ([][]int, int64) {
	sel := newSelector(ps, b, seed)
	total := sel.total(ps)
	out := make([][]int, len(ps))
	for i, p := range ps {
		k := 0
		for c, n := range p.cand {
			for range n {
				if sel.keep(p, c) {
					out[i] = append(out[i], k)
				}
				k++
			}
		}
	}
	return out, total
}

// TestBalance: exact counts per class, the same choice for the same
// seed, a different one for another, and val/test never thinned.
func TestBalance(t *testing.T) {
	cases := []struct {
		name     string
		b        Balance
		cand     []int64 // per record, classes N S V F Q
		wantKept [5]int64
	}{
		{"none", Balance{}, []int64{1000, 30, 80, 5, 0}, [5]int64{4000, 120, 320, 20, 0}},
		{"undersample 2", Balance{Kind: "undersample", Ratio: 2}, []int64{1000, 30, 80, 5, 0}, [5]int64{640, 120, 320, 20, 0}},
		{"undersample high ratio keeps all", Balance{Kind: "undersample", Ratio: 100}, []int64{1000, 30, 80, 5, 0}, [5]int64{4000, 120, 320, 20, 0}},
		{"undersample one class", Balance{Kind: "undersample", Ratio: 2}, []int64{1000, 0, 0, 0, 0}, [5]int64{4000, 0, 0, 0, 0}},
		{"cap 50", Balance{Kind: "cap", Cap: 50}, []int64{1000, 30, 80, 5, 0}, [5]int64{200, 120, 200, 20, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := plansOf(4, c.cand)
			kept, total := keptBy(ps, c.b, 7)
			var got [5]int64
			for i, p := range ps {
				k := 0
				for cl, n := range p.cand {
					for range n {
						if slices.Contains(kept[i], k) {
							got[cl]++
						}
						k++
					}
				}
			}
			if got != c.wantKept {
				t.Errorf("kept per class %v, want %v", got, c.wantKept)
			}
			if sum := got[0] + got[1] + got[2] + got[3] + got[4]; sum != total {
				t.Errorf("selector announced %d beats, kept %d", total, sum)
			}
			again, _ := keptBy(plansOf(4, c.cand), c.b, 7)
			if fmt.Sprint(again) != fmt.Sprint(kept) {
				t.Errorf("same seed, different beats")
			}
			if c.b.Kind != "" && c.wantKept[0] < 4000 {
				other, _ := keptBy(plansOf(4, c.cand), c.b, 8)
				if fmt.Sprint(other) == fmt.Sprint(kept) {
					t.Errorf("seeds 7 and 8 keep the same beats")
				}
			}
			ps[0].split = 1
			vk, _ := keptBy(ps, c.b, 7)
			if int64(len(vk[0])) != sumOf(c.cand) {
				t.Errorf("a val record was thinned: %d of %d kept", len(vk[0]), sumOf(c.cand))
			}
		})
	}
}

func sumOf(v []int64) int64 {
	var s int64
	for _, x := range v {
		s += x
	}
	return s
}
