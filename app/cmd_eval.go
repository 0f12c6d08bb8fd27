package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/app/research"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	ref := fs.String("ref", "atr", "reference annotator (file extension)")
	test := fs.String("test", "", "test annotator (file extension)")
	whole := fs.Bool("whole", false, "score the whole record (no 5-minute learning period; not EC57)")
	matrix := fs.Bool("matrix", false, "also print the summed confusion matrix")
	recs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *test == "" || len(recs) == 0 {
		//lint:ignore ST1005 a usage line, printed as it is
		return fmt.Errorf("%w: ecgstation eval --ref atr --test EXT RECORD...", errUsage)
	}
	var results []*eval.Result
	var af eval.EpisodeResult
	for _, r := range recs {
		path := recordPath(r)
		info, err := recordInfo(path)
		if err != nil {
			return err
		}
		if err := checkScorable(info, *whole); err != nil {
			return err
		}
		ra, re, err := research.ReadLabelled(path, *ref, info)
		if err != nil {
			return err
		}
		ta, te, err := research.ReadLabelled(path, *test, info)
		if err != nil {
			return err
		}
		res, err := compareRecord(info, ra, ta, *whole)
		if err != nil {
			return err
		}
		results = append(results, res)
		af.Add(eval.CompareEpisodes(re, te, "AFIB", options(info, *whole)))
	}
	printHeader(stdout, *whole)
	if err := eval.WriteTable(stdout, results); err != nil {
		return err
	}
	if *matrix {
		fmt.Fprintln(stdout)
		eval.WriteMatrix(stdout, results)
	}
	if af.TPs+af.FN+af.TPp+af.FP > 0 {
		printEpisodes(stdout, af)
	}
	return nil
}

// recordPath strips a trailing ".hea" so RECORD may name the header.
func recordPath(arg string) string { return strings.TrimSuffix(arg, ".hea") }

func recordInfo(path string) (annotate.RecordInfo, error) {
	rec, err := wfdb.Open(path)
	if err != nil {
		return annotate.RecordInfo{}, err
	}
	defer rec.Close()
	return rec.Info(), nil
}

// checkScorable says plainly when EC57 would score nothing of the record:
// one that ends within the 5-minute learning period, unless --whole.
func checkScorable(info annotate.RecordInfo, whole bool) error {
	o := options(info, whole)
	if whole || info.NSamples > o.Start {
		return nil
	}
	return fmt.Errorf("record %s lasts %s, no longer than EC57's 5-minute learning period, which is not scored: "+
		"nothing would be compared. Add --whole to score the whole record (not EC57)",
		info.Name, time.Duration(float64(info.NSamples)/info.Fs*float64(time.Second)).Round(time.Second))
}

func options(info annotate.RecordInfo, whole bool) eval.Options {
	o := eval.DefaultOptions(info.Fs, info.NSamples)
	if whole {
		o = o.WholeRecord()
	}
	return o
}

func compareRecord(info annotate.RecordInfo, ref, test []eval.Annotation, whole bool) (*eval.Result, error) {
	return eval.Compare(filepath.Base(info.Name), ref, test, options(info, whole))
}

func printHeader(w io.Writer, whole bool) {
	period := "EC57: 150 ms window, first 5 minutes (learning period) not scored, reference VF [..] excluded"
	if whole {
		period = "WHOLE RECORD (learning period included, not EC57): 150 ms window, reference VF [..] excluded"
	}
	fmt.Fprintf(w, "# %s\n# AAMI classes: %s\n", period, annotate.AAMIMapping)
}

func printEpisodes(w io.Writer, r eval.EpisodeResult) {
	f := func(v float64, ok bool) string {
		if !ok {
			return "-"
		}
		return fmt.Sprintf("%.2f", v)
	}
	fmt.Fprintf(w, "\nAF episodes (epicmp): episode Se %s (%d/%d) +P %s (%d/%d); duration Se %s +P %s Sp %s\n",
		f(r.EpisodeSe()), r.TPs, r.TPs+r.FN, f(r.EpisodePP()), r.TPp, r.TPp+r.FP, f(r.DurationSe()), f(r.DurationPP()), f(r.DurationSp()))
	fmt.Fprintf(w, "AF called in the records without AF: %s%% of their scored time\n", f(r.NoneCalledPct()))
}
