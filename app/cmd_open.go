package main

import (
	"fmt"
	"io"
)

func init() {
	register(command{name: "open", summary: "the window on a record (the demo record when none is given)", run: runOpen})
}

// openUsage is the synopsis of "ecgstation open".
const openUsage = "ecgstation open [RECORD] [--db FILE] [--reader NAME] [--ort-lib FILE] [--no-preannotate] [--quit-after DUR]"

// runOpen is "ecgstation open [RECORD] [flags]".
func runOpen(args []string, _ io.Writer, stderr io.Writer) error {
	fs := newFlags("open", stderr)
	var o guiOptions
	fs.DurationVar(&o.quit, "quit-after", 0, "quit this long after the first strip is drawn (for timing runs and tests)")
	fs.StringVar(&o.db, "db", "", "label database file (default: the preferences' choice, else labels.db in the user's config folder)")
	fs.StringVar(&o.reader, "reader", "", "reader name the edits are saved under (default: the preferences' reader, else the login name)")
	fs.StringVar(&o.ortLib, "ort-lib", "", "ONNX Runtime shared library (default: the preferences' choice, $ONNXRUNTIME_LIB, then lib/)")
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
