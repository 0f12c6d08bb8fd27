package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/store/report"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

func plotKinds() string {
	var s []string
	for _, k := range chart.Kinds {
		s = append(s, k.Name)
	}
	return strings.Join(s, ", ")
}

func runPlot(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plot", stderr)
	var sf sharedFlags
	sf.add(fs, withDB|withReader)
	out := fs.String("out", "", "file to write: .png, .svg or .pdf (required)")
	w := fs.Int("width", 900, "width, pixels (SVG and PDF: points at 96 per inch)")
	h := fs.Int("height", 420, "height, pixels")
	test := fs.String("test", "model", "bland-altman: the beats to compare with the reader's, model (the model layer) or detector (run now)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(filepath.Ext(*out), ".")
	if len(pos) != 2 || sf.db == "" || *out == "" || (*test != "model" && *test != "detector") {
		return fmt.Errorf("%w: ecgstation plot KIND RECORD --db FILE --out FILE.png|svg|pdf [--reader NAME] [--width W --height H] [--test model|detector]; kinds: %s", errUsage, plotKinds())
	}
	ldb, d, err := reportLoad(sf.db, pos[1], annotate.ReaderID(sf.reader))
	if err != nil {
		return err
	}
	defer ldb.Close()
	data := chart.Data{Reader: d.Input(), Test: d.ModelInput(), TestName: *test}
	if pos[0] == "bland-altman" && *test == "detector" {
		if data.Test, err = plotDetect(d); err != nil {
			return err
		}
	}
	p, err := chart.Make(pos[0], data)
	if err != nil {
		return err
	}
	b, err := chart.Render(p, *w, *h, format)
	if err != nil {
		return err
	}
	if err := private.WriteFile(*out, b); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s of %s (reader %s)\n", *out, pos[0], d.Entry.Info.Name, d.Reader)
	return nil
}

// plotDetect runs the QRS detector on the record file.
func plotDetect(d *report.Data) (stats.Input, error) {
	rec, err := d.Open()
	if err != nil {
		return stats.Input{}, err
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec.Signal, qrs.Options{})
	if err != nil {
		return stats.Input{}, err
	}
	return stats.Input{Info: d.Entry.Info, Beats: beats}, nil
}
