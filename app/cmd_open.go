package main

import (
	"fmt"
	"io"
)

// openUsage is the synopsis of "ecgstation open".
const openUsage = "ecgstation open [RECORD] [--db FILE] [--reader NAME] [--ort-lib FILE] [--no-preannotate] [--quit-after DUR]"

// runOpen is "ecgstation open [RECORD] [flags]".
func runOpen(args []string, _ io.Writer, stderr io.Writer) error {
	fs := newFlags("open", stderr)
	var o guiOptions
	fs.DurationVar(&o.quit, "quit-after", 0, "quit this long after the first strip is drawn (for timing runs and tests)")
	o.add(fs, withDB|withReader|withORTLib)
	fs.BoolVar(&o.noPreannotate, "no-preannotate", false, "do not run the models when a record has no model labels yet")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: %s", errUsage, openUsage)
	}
	if len(pos) == 1 {
		o.path = pos[0]
	}
	return runGUI(o, stderr)
}
