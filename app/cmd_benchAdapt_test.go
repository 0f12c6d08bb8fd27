package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchAdaptUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // a part of the message
	}{
		{"no data", []string{"--records", "100"}, "--data DIR --records LIST"},
		{"no records", []string{"--data", "."}, "--data DIR --records LIST"},
		{"stray argument", []string{"--data", ".", "--records", "100", "extra"}, "--data DIR --records LIST"},
		{"labels not a number", []string{"--data", ".", "--records", "100", "--labels", "0,ten"}, `"ten" is not a number of answers`},
		{"negative labels", []string{"--data", ".", "--records", "100", "--labels", "-5"}, `"-5" is not a number of answers`},
		{"labels descending", []string{"--data", ".", "--records", "100", "--labels", "10,0"}, "in increasing order, each once"},
		{"labels twice", []string{"--data", ".", "--records", "100", "--labels", "0,10,10"}, "in increasing order, each once"},
		{"no labels", []string{"--data", ".", "--records", "100", "--labels", ","}, "no number of answers"},
		{"no batch", []string{"--data", ".", "--records", "100", "--ask-batch", "0"}, "--ask-batch 0"},
		{"bad flag", []string{"--data", ".", "--records", "100", "--whole=maybe"}, "whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			if code := run(append([]string{"bench-adapt"}, tt.args...), &out, &errs); code != 2 {
				t.Errorf("exit %d, want 2 (usage): %s", code, errs.String())
			}
			if !strings.Contains(errs.String(), tt.want) {
				t.Errorf("message %q, want it to say %q", errs.String(), tt.want)
			}
		})
	}
}

func TestParseLabelSteps(t *testing.T) {
	got, err := parseLabelSteps(" 0, 10,25 ,37,50,100")
	if err != nil || len(got) != 6 || got[3] != 37 || got[5] != 100 {
		t.Errorf("parseLabelSteps = %v, %v; want [0 10 25 37 50 100]", got, err)
	}
}

// TestBenchAdaptSynthetic runs the curve on the committed synthetic record
// with the small test model: a row per number of answers, answers given as
// asked, and the gross lines.
func TestBenchAdaptSynthetic(t *testing.T) {
	needRuntime(t)
	rec := fixtureCopy(t)
	var out, errs bytes.Buffer
	small := filepath.Join("..", "testdata", "models", "beat_small.onnx")
	code := run([]string{"bench-adapt", "--data", filepath.Dir(rec), "--records", "synth60", "--labels", "0,5,20",
		"--gross-without", "synth60", "--whole", "--model", small}, &out, &errs)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
	}
	rows := map[string]int{}
	for _, l := range strings.Split(out.String(), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || strings.HasPrefix(l, "#") {
			continue
		}
		rows[f[0]]++
		if f[0] == "synth60" && f[1] != f[2] {
			t.Errorf("row %q: answered %s of %s questions", l, f[2], f[1])
		}
	}
	if rows["synth60"] != 3 || rows["gross"] != 3 || rows["gross-synth60"] != 3 {
		t.Errorf("rows %v, want 3 of synth60, gross and gross-synth60:\n%s", rows, out.String())
	}
	if !strings.Contains(out.String(), "V     Se     +P") {
		t.Errorf("no V column:\n%s", out.String())
	}
}

// TestBenchAdaptShortRecord: a record no longer than EC57's learning
// period is refused with what to do.
func TestBenchAdaptShortRecord(t *testing.T) {
	needRuntime(t)
	rec := fixtureCopy(t)
	var out, errs bytes.Buffer
	code := run([]string{"bench-adapt", "--data", filepath.Dir(rec), "--records", "synth60",
		"--model", filepath.Join("..", "testdata", "models", "beat_small.onnx")}, &out, &errs)
	if code != 1 || !strings.Contains(errs.String(), "score the whole record (--whole)") {
		t.Errorf("exit %d, %q; want 1 and the advice to use --whole", code, errs.String())
	}
}
