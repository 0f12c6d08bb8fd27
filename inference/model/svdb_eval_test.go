package model_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// TestSVDB scores a beat model on the records of the MIT-BIH
// Supraventricular Arrhythmia Database we hold (128 Hz), two ways: at the
// reference beats (every beat, as training/pool_folds.py scores the
// folds; S and V Se/+P counted as EC57 counts them) with the five records
// of most S and most V errors, and end to end (the QRS detector's beats,
// EC57 gross from minute 5). The default beat model since v1.4.0 learned
// from these records, so this is a held-out figure only for models that
// did not (BEAT_MODEL=... for another file, e.g. the DS1-only model of
// make models-ds1). It runs only with ECGSTATION_SVDB=1 (about 2 minutes).
func TestSVDB(t *testing.T) {
	dir := ecgdata.Study(t, "ECGSTATION_SVDB", "svdb", "803.hea", "score the beat model on svdb")
	env := newEnv(t)
	beat := loadModel(t, env, "BEAT_MODEL", "beat.onnx")
	names := svdbRecords(t, dir)
	all := &classCounts{}
	per := map[string]*classCounts{}
	var results []*eval.Result
	for _, name := range names {
		path := filepath.Join(dir, name)
		rec := readWhole(t, path)
		peaks, ref := refBeats(t, path)
		c := map[string]*classCounts{}
		countCalls(c, name, beat, ref, classifyAll(t, beat, rec, peaks))
		per[name] = c[name]
		all.add(c[name])
		res, _ := scoreDS2Record(t, path, beat, nil)
		results = append(results, res)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "beat model %s on %d svdb records at the reference beats: %s\n", beat.Meta().ID(), len(names), all)
	for _, k := range []annotate.Class{annotate.ClassS, annotate.ClassV} {
		fmt.Fprintf(&sb, "most %s errors: %s\n", k, worstRecords(per, k, 5))
	}
	sb.WriteString("\nend to end (QRS detector, EC57):\n")
	writeClassTable(&sb, results)
	t.Log("\n" + sb.String())
}

// svdbRecords lists the records of dir (their .hea files).
func svdbRecords(t *testing.T, dir string) []string {
	heads, err := filepath.Glob(filepath.Join(dir, "*.hea"))
	if err != nil || len(heads) == 0 {
		t.Fatalf("no records in %s: %v", dir, err)
	}
	var names []string
	for _, h := range heads {
		names = append(names, strings.TrimSuffix(filepath.Base(h), ".hea"))
	}
	sort.Strings(names)
	return names
}

// worstRecords names the n records with the most beats of class k missed
// or falsely called k.
func worstRecords(per map[string]*classCounts, k annotate.Class, n int) string {
	type row struct {
		name           string
		missed, falsed int
	}
	var rows []row
	for name, c := range per {
		rows = append(rows, row{name, c.missed(k), c.falseCalls(k)})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i].missed+rows[i].falsed, rows[j].missed+rows[j].falsed
		return a > b || a == b && rows[i].name < rows[j].name
	})
	var s []string
	for _, r := range rows[:min(n, len(rows))] {
		s = append(s, fmt.Sprintf("%s %d/%d missed, %d false", r.name, r.missed, per[r.name].total(k), r.falsed))
	}
	return strings.Join(s, "; ")
}
