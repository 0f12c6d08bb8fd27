package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ecgstation/ecgstation/store/archive"
)

const archiveFitUsage = "ecgstation archive fit --csv FILE --y COL [--fixed COL[,COL]] [--group COL] [--ml]"

// runArchiveFit fits a linear mixed-effects model with a random intercept
// per group to a tidy CSV table (the archive's exports) and prints
// statsmodels' style of summary.
func runArchiveFit(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("archive fit", stderr)
	path := fs.String("csv", "", "a tidy CSV table with a header row, e.g. ecgstation archive's segment table")
	y := fs.String("y", "", "the figure to model: a numeric column, e.g. noise_pct")
	fixed := fs.String("fixed", "", "fixed effects besides the intercept, comma-separated columns, e.g. device,C(lead): a numeric column enters as is, any other (or C(col)) with treatment coding against its first level in sorted order, as statsmodels' formula y ~ device + C(lead)")
	group := fs.String("group", "patient", "the column whose groups get a random intercept")
	ml := fs.Bool("ml", false, "maximum likelihood instead of REML (statsmodels' default)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *path == "" || *y == "" {
		return fmt.Errorf("%w: %s", errUsage, archiveFitUsage)
	}
	spec := archive.MixedSpec{Y: *y, Group: *group}
	for _, f := range strings.Split(*fixed, ",") {
		if f = strings.TrimSpace(f); f != "" {
			spec.Fixed = append(spec.Fixed, f)
		}
	}
	t, err := readTableFile(*path)
	if err != nil {
		return err
	}
	fit, err := archive.FitMixed(t, spec, !*ml)
	if err != nil {
		return fmt.Errorf("archive fit %s: %w", *path, err)
	}
	return fit.Summary(stdout)
}

// readTableFile reads a CSV table from a file.
func readTableFile(path string) (*archive.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := archive.ReadTable(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}
