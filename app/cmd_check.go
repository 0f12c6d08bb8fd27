package main

import (
	"fmt"
	"io"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// checkShown is how many findings of each kind check lists without -v.
const checkShown = 3

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	pause := fs.Duration("pause", check.DefaultOptions().PauseThreshold, "shortest RR interval that is a pause")
	all := fs.Bool("v", false, fmt.Sprintf("list every finding of each kind, not only the first %d", checkShown))
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || sf.db == "" || *pause <= 0 {
		return fmt.Errorf("%w: ecgstation check RECORD --db FILE [--reader NAME] [--pause 2s] [-v]", errUsage)
	}
	ldb, d, err := reportLoad(sf.db, pos[0], annotate.ReaderID(sf.reader))
	if err != nil {
		return err
	}
	defer ldb.Close()
	opt := check.DefaultOptions()
	opt.PauseThreshold = *pause
	find, err := check.Run(check.Input{Input: d.Input(), Status: d.Labels.Status}, opt)
	if err != nil {
		return err
	}
	info := d.Entry.Info
	groups := check.Summarize(find)
	fmt.Fprintf(stdout, "# %s, reader %s (%s): %d findings of %s, the most urgent first\n",
		info.Name, d.Reader, d.Labels.Status.State, len(find), kinds(len(groups)))
	shown := checkShown
	if *all {
		shown = len(find)
	}
	for _, g := range groups {
		writeCheckGroup(stdout, info, g, shown)
	}
	return nil
}

// writeCheckGroup prints one kind of finding: its count, rule and title,
// then its first shown findings indented, and how many more there are.
func writeCheckGroup(w io.Writer, info annotate.RecordInfo, g check.Group[check.Finding], shown int) {
	fmt.Fprintf(w, "%5d  %-17s %s\n", len(g.Items), g.Rule, g.Title)
	for i, f := range g.Items {
		if i == shown {
			fmt.Fprintf(w, "       … %d more (-v lists them all)\n", len(g.Items)-shown)
			break
		}
		fmt.Fprintf(w, "       %-10s %10d  %s\n", stats.Clock(info.Start, info.Fs, f.Sample), f.Sample, f.Message)
	}
}

// kinds returns "1 kind" or "n kinds".
func kinds(n int) string {
	if n == 1 {
		return "1 kind"
	}
	return fmt.Sprintf("%d kinds", n)
}
