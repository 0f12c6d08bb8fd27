package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/app/research"
)

// The MIT-BIH record groups of EVALUATION.md.
var (
	mitdbPaced = strings.Fields("102 104 107 217")
	mitdbDS1   = strings.Fields("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230")
	mitdbDS2   = strings.Fields("100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234")
)

func runBenchQRS(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench-qrs", stderr)
	data := fs.String("data", os.Getenv("ECGDATA")+"/mitdb", "database directory (records with .atr reference annotations)")
	list := fs.String("records", "", "comma-separated records (default: every record with an .atr file)")
	whole := fs.Bool("whole", false, "score the whole record (no learning period; not EC57)")
	misses := fs.Bool("misses", false, "list every missed and extra beat")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	recs, err := benchRecords(*data, *list)
	if err != nil {
		return err
	}
	results, err := benchAll(*data, recs, *whole)
	if err != nil {
		return err
	}
	printHeader(stdout, *whole)
	eval.WriteTable(stdout, results)
	fmt.Fprintln(stdout)
	for _, g := range []struct {
		label string
		keep  func(string) bool
	}{
		{" all", func(string) bool { return true }},
		{" non-paced", func(r string) bool { return !slices.Contains(mitdbPaced, r) }},
		{" DS1", func(r string) bool { return slices.Contains(mitdbDS1, r) }},
		{" DS2", func(r string) bool { return slices.Contains(mitdbDS2, r) }},
	} {
		sub := filterResults(results, g.keep)
		if len(sub) > 0 {
			fmt.Fprintf(stdout, "%s (%d records)\n", strings.TrimSpace(g.label), len(sub))
			eval.WriteSummary(stdout, "", sub)
		}
	}
	if *misses {
		printMisses(stdout, results)
	}
	return nil
}

func benchRecords(dir, list string) ([]string, error) {
	if list != "" {
		return strings.Split(list, ","), nil
	}
	m, err := filepath.Glob(filepath.Join(dir, "*.atr"))
	if err != nil || len(m) == 0 {
		return nil, fmt.Errorf("%w: no .atr files in %q (set --data or ECGDATA)", errUsage, dir)
	}
	out := make([]string, len(m))
	for i, p := range m {
		out[i] = strings.TrimSuffix(filepath.Base(p), ".atr")
	}
	sort.Strings(out)
	return out, nil
}

// benchAll detects and compares the records, one worker per core.
func benchAll(dir string, recs []string, whole bool) ([]*eval.Result, error) {
	results := make([]*eval.Result, len(recs))
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = benchOne(filepath.Join(dir, recs[i]), whole)
			}
		}()
	}
	for i := range recs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

func benchOne(path string, whole bool) (*eval.Result, error) {
	beats, _, info, err := detectRecord(path)
	if err != nil {
		return nil, err
	}
	ref, err := research.ReadAnnotations(path, "atr")
	if err != nil {
		return nil, err
	}
	return compareRecord(info, ref, eval.FromBeats(beats), whole)
}

func filterResults(rs []*eval.Result, keep func(string) bool) []*eval.Result {
	var out []*eval.Result
	for _, r := range rs {
		if keep(r.Record) {
			out = append(out, r)
		}
	}
	return out
}

func printMisses(w io.Writer, rs []*eval.Result) {
	fmt.Fprintln(w, "\nMissed (ref label/O) and extra (O/test label) beats, sample numbers:")
	for _, r := range rs {
		for _, p := range r.Discrepancies() {
			if p.RefLabel == eval.LabelO || p.TestLabel >= eval.LabelO {
				fmt.Fprintf(w, "%s %v/%v %d\n", r.Record, p.RefLabel, p.TestLabel, p.Ref)
			}
		}
	}
}
