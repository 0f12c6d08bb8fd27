package review

import (
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// askRecord is 60 model beats in three look-alike groups: group 0 holds
// beats 0-39, group 1 beats 40-54, group 2 beats 55-59. conf gives each
// beat's class and probability.
func askRecord(conf func(i int) (annotate.Class, float32)) ([]annotate.Beat, func(int64) (int, bool)) {
	beats := rhythm(60, nil, conf)
	group := map[int64]int{}
	for i, b := range beats {
		switch {
		case i < 40:
			group[b.Sample] = 0
		case i < 55:
			group[b.Sample] = 1
		default:
			group[b.Sample] = 2
		}
	}
	return beats, func(s int64) (int, bool) { g, ok := group[s]; return g, ok }
}

// readerLabel makes beat i of beats a reader's label of class k.
func readerLabel(beats []annotate.Beat, i int, k annotate.Class) {
	beats[i].Code, beats[i].Review = k.Code(), annotate.Changed
	beats[i].Prov = annotate.Provenance{Source: annotate.SourceReader}
}

func TestAsk(t *testing.T) {
	unsure := func(at map[int]float32, k map[int]annotate.Class) func(i int) (annotate.Class, float32) {
		return func(i int) (annotate.Class, float32) {
			c := annotate.ClassN
			if x, ok := k[i]; ok {
				c = x
			}
			if p, ok := at[i]; ok {
				return c, p
			}
			return c, 0.99
		}
	}
	// spoken: a reader has labelled the first beat of each group N.
	spoken := map[int]annotate.Class{0: annotate.ClassN, 40: annotate.ClassN, 55: annotate.ClassN}
	with := func(m map[int]annotate.Class, i int, k annotate.Class) map[int]annotate.Class {
		out := map[int]annotate.Class{i: k}
		for j, c := range m {
			out[j] = c
		}
		return out
	}
	tests := []struct {
		name   string
		conf   func(i int) (annotate.Class, float32)
		reader map[int]annotate.Class // beats a reader labelled
		sure   map[int]float64        // the adapter's probabilities
		n      int
		want   []int     // beat indices asked, in order
		kinds  []AskKind // their kinds
		reason []string  // a part of each reason
	}{
		// A group nobody spoke for scores its size: 40, 15; then beat 3
		// scores 0.8 × 40 / 2² = 8, more than the 5 of the last group.
		{name: "a group nobody spoke for by size, its surest beat", conf: unsure(map[int]float32{3: 0.6, 39: 0.999, 54: 0.999, 59: 0.999}, nil),
			n: 4, want: []int{39, 54, 3, 59}, kinds: []AskKind{AskSeed, AskSeed, AskUnsure, AskSeed},
			reason: []string{"none of 40 look-alikes checked yet; model N 1.00", "none of 15 ", "unsure N/S (0.60)", "none of 5 "}},
		{name: "bigger group first at equal doubt", conf: unsure(map[int]float32{3: 0.6, 45: 0.6, 57: 0.6}, nil), reader: spoken, n: 3,
			want: []int{3, 45, 57}, kinds: []AskKind{AskUnsure, AskUnsure, AskUnsure},
			reason: []string{"unsure N/S (0.60); 39 beats look alike; 1 asked or answered there", "14 beats look alike", "4 beats look alike"}},
		{name: "one question a group before a second", conf: unsure(map[int]float32{3: 0.55, 4: 0.6, 45: 0.5}, nil), reader: spoken, n: 3,
			want: []int{3, 45, 4}, reason: []string{"1 asked or answered there", "1 asked or answered there", "2 asked or answered there"}},
		{name: "surest beat of an unchecked class first", conf: unsure(map[int]float32{3: 0.55, 56: 0.7, 57: 0.95},
			map[int]annotate.Class{56: annotate.ClassV, 57: annotate.ClassV}), reader: spoken, n: 2,
			want: []int{57, 3}, kinds: []AskKind{AskClass, AskUnsure},
			reason: []string{"model calls 2 beats V; none checked; its surest V (0.95)", "unsure N/S (0.55)"}},
		{name: "a class the reader labelled is not reserved", conf: unsure(map[int]float32{3: 0.55, 57: 0.95},
			map[int]annotate.Class{57: annotate.ClassV, 58: annotate.ClassV}),
			reader: with(spoken, 58, annotate.ClassV), n: 1, want: []int{3}},
		{name: "a reader label is never asked", conf: unsure(map[int]float32{3: 0.51, 4: 0.6}, nil),
			reader: with(spoken, 3, annotate.ClassN), n: 1, want: []int{4}},
		{name: "the adapter's doubt overrules the model's", conf: unsure(map[int]float32{3: 0.55}, nil), reader: spoken,
			sure: map[int]float64{3: 0.99, 20: 0.6}, n: 1, want: []int{20}, reason: []string{"unsure N/S (0.60)"}},
		{name: "no questions wanted", conf: unsure(nil, nil), n: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beats, group := askRecord(tt.conf)
			model := append([]annotate.Beat(nil), beats...)
			for i, k := range tt.reader {
				readerLabel(beats, i, k)
			}
			in := AskInput{Beats: beats, Model: model, Group: group}
			if tt.sure != nil {
				in.Sure = func(s int64) (float64, bool) {
					for i, p := range tt.sure {
						if beats[i].Sample == s {
							return p, true
						}
					}
					return 0.999, true
				}
			}
			qs := Ask(in, tt.n)
			if len(qs) != min(tt.n, 60-len(tt.reader)) {
				t.Fatalf("%d questions, want %d", len(qs), tt.n)
			}
			for j, i := range tt.want {
				q := qs[j]
				if q.Sample != beats[i].Sample {
					t.Errorf("question %d is about sample %d (%s), want beat %d", j, q.Sample, q.Reason, i)
				}
				if j < len(tt.kinds) && q.Kind != tt.kinds[j] {
					t.Errorf("question %d kind %d, want %d", j, q.Kind, tt.kinds[j])
				}
				if j < len(tt.reason) && !strings.Contains(q.Reason, tt.reason[j]) {
					t.Errorf("question %d reason %q, want it to say %q", j, q.Reason, tt.reason[j])
				}
			}
		})
	}
}

// TestAskCoversEveryBeatOnce: asked for more questions than there are
// beats, Ask asks about every beat but the reader's, each once, with
// scores falling within the unsure questions.
func TestAskCoversEveryBeatOnce(t *testing.T) {
	beats, group := askRecord(func(i int) (annotate.Class, float32) {
		return annotate.ClassN, 0.5 + float32(i%7)/20
	})
	readerLabel(beats, 10, annotate.ClassN)
	qs := Ask(AskInput{Beats: beats, Model: beats, Group: group}, 100)
	seen := map[int64]bool{}
	for j, q := range qs {
		if seen[q.Sample] || q.Sample == beats[10].Sample {
			t.Fatalf("question %d about sample %d: asked twice or a reader label", j, q.Sample)
		}
		seen[q.Sample] = true
		if q.Reason == "" {
			t.Errorf("question %d has no reason", j)
		}
	}
	if len(qs) != 59 {
		t.Errorf("%d questions, want 59", len(qs))
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1240: "1,240", 1234567: "1,234,567", -1240: "-1,240"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
