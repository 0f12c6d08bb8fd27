package main

import (
	"fmt"
	"io"
)

func init() {
	register(command{name: "open", summary: "the window on a record (the demo record when none is given)", run: runOpen})
}

// runOpen is "ecgstation open [RECORD] [--quit-after DUR]".
func runOpen(args []string, _ io.Writer, stderr io.Writer) error {
	fs := newFlags("open", stderr)
	quit := fs.Duration("quit-after", 0, "quit this long after the first strip is drawn (for timing runs and tests)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: ecgstation open [RECORD] [--quit-after DUR]", errUsage)
	}
	path := ""
	if len(pos) == 1 {
		path = pos[0]
	}
	return runGUI(path, *quit, stderr)
}
