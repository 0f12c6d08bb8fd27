package main

import (
	"fmt"
	"io"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	pause := fs.Duration("pause", check.DefaultOptions().PauseThreshold, "shortest RR interval that is a pause")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || sf.db == "" || *pause <= 0 {
		return fmt.Errorf("%w: ecgstation check RECORD --db FILE [--reader NAME] [--pause 2s]", errUsage)
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
	fmt.Fprintf(stdout, "# %s, reader %s (%s): %d findings\n", info.Name, d.Reader, d.Labels.Status.State, len(find))
	for _, f := range find {
		fmt.Fprintf(stdout, "%-10s %10d  %-17s %s\n", stats.Clock(info.Start, info.Fs, f.Sample), f.Sample, f.Rule, f.Message)
	}
	return nil
}
