package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchEffortUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no data", []string{"--records", "100"}},
		{"no records", []string{"--data", "."}},
		{"bad strategy", []string{"--data", ".", "--records", "100", "--strategy", "b,x"}},
		{"empty strategy", []string{"--data", ".", "--records", "100", "--strategy", ","}},
		{"stray argument", []string{"--data", ".", "--records", "100", "extra"}},
		{"bad flag", []string{"--data", ".", "--records", "100", "--patience", "many"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(append([]string{"bench-effort"}, tt.args...), &out, &errs); code != 2 {
				t.Errorf("exit %d, want 2 (usage): %s", code, errs.String())
			}
		})
	}
}

// TestBenchEffortSynthetic runs every strategy on the committed synthetic
// record with the small test model: whatever the model says, each reader
// must end in full agreement with the reference.
func TestBenchEffortSynthetic(t *testing.T) {
	needRuntime(t)
	rec := fixtureCopy(t)
	var out, errs bytes.Buffer
	code := run([]string{"bench-effort", "--data", filepath.Dir(rec), "--records", "synth60",
		"--model", filepath.Join("..", "testdata", "models", "beat_small.onnx"), "--strategy", "a,b,c,d", "-v"}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	var row string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "synth60 ") {
			row = l
		}
	}
	if strings.Count(row, "100.00") != 4 {
		t.Errorf("want full agreement for a, b, c and d:\n%s", out.String())
	}
	for _, want := range []string{"total", "mean of records", "c / b", "c templates", "c queue", "c left", "d ask", "d adapted", "d left"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBenchEffortReader checks the reader bench-effort plays by default
// (the one annotate/sim's doc measured on the DS1 folds) and that its
// flags change it.
func TestBenchEffortReader(t *testing.T) {
	tests := []struct {
		name                    string
		args                    []string
		patience, depth, splits int
		ranges, checks          bool
	}{
		{"default", nil, 1, 3, 30, true, false},
		{"old reader", []string{"--patience", "4", "--split-depth", "0", "--range-select=false"}, 4, 0, 30, false, false},
		{"every mixed card", []string{"--split-min", "2", "--split-depth", "1", "--checks"}, 1, 1, 2, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseEffortFlags(append([]string{"--data", ".", "--records", "100"}, tt.args...), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			c := o.Costs
			if c.Patience != tt.patience || c.SplitDepth != tt.depth || c.SplitMin != tt.splits || c.RangeSelect != tt.ranges || c.Checks != tt.checks {
				t.Errorf("patience %d, split depth %d, split min %d, range select %v, checks %v; want %d, %d, %d, %v, %v",
					c.Patience, c.SplitDepth, c.SplitMin, c.RangeSelect, c.Checks, tt.patience, tt.depth, tt.splits, tt.ranges, tt.checks)
			}
		})
	}
}

// TestBenchEffortAdaptiveReader checks strategy d's reader by default (the
// best of those tried on the DS1 folds, docs/adaptive-review.md) and that
// its flags change it.
func TestBenchEffortAdaptiveReader(t *testing.T) {
	o, err := parseEffortFlags([]string{"--data", ".", "--records", "100"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	c := o.Costs
	if c.Questions != 0 || c.AskPatience != 3 || c.AskBatch != 5 || c.ConfirmCards || c.ConfirmMin != 100 || c.ConfirmPages ||
		o.Adapt.MinConfidence != 0.9 || o.Adapt.Neighbours != 5 || !o.groups || o.Adapt.Group == nil {
		t.Errorf("default d reader %+v, adapter %+v, groups %v", c, o.Adapt, o.groups)
	}
	o, err = parseEffortFlags([]string{"--data", ".", "--records", "100", "--questions", "40", "--ask-patience", "0",
		"--confirm-cards", "--confirm-pages", "--adapt-min-conf", "0", "--adapt-neighbours", "0", "--adapt-groups=false"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c := o.Costs; c.Questions != 40 || c.AskPatience != 0 || !c.ConfirmCards || !c.ConfirmPages || o.Adapt.MinConfidence != 0 ||
		o.Adapt.Neighbours != 0 || o.Adapt.Group != nil {
		t.Errorf("d reader from flags %+v, adapter %+v", c, o.Adapt)
	}
}
