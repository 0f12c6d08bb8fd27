package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ecgstation/ecgstation/store"
)

// dbUsage is how the db command is called.
const dbUsage = "ecgstation db check FILE | ecgstation db salvage FILE --out NEW.db"

func runDB(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, dbUsage)
	}
	switch args[0] {
	case "check":
		return runDBCheck(args[1:], stdout, stderr)
	case "salvage":
		return runDBSalvage(args[1:], stdout, stderr)
	}
	return fmt.Errorf("%w: unknown db command %q: %s", errUsage, args[0], dbUsage)
}

// runDBCheck reports what in the file cannot be read; the exit status is
// 1 when anything cannot.
func runDBCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("db check", stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: %s", errUsage, dbUsage)
	}
	rep, err := store.CheckDB(pos[0])
	if err != nil {
		return err
	}
	writeCheckReport(stdout, rep)
	if rep.Damaged() {
		return fmt.Errorf("%s: %w: copy what is readable into a new file with \"ecgstation db salvage %s --out NEW.db\"",
			pos[0], store.ErrDBCorrupt, pos[0])
	}
	return nil
}

// runDBSalvage copies what is readable into a new file and lists what
// could not be read.
func runDBSalvage(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("db salvage", stderr)
	out := fs.String("out", "", "the new database file to write (must not exist)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return fmt.Errorf("%w: %s", errUsage, dbUsage)
	}
	rep, err := store.Salvage(pos[0], *out)
	writeSalvageReport(stdout, rep, err == nil)
	return err
}

// writeCheckReport prints a CheckReport: a summary line, then the
// damaged pages, the label sets that cannot be read, and the rest.
func writeCheckReport(w io.Writer, rep store.CheckReport) {
	bad := rep.Unreadable()
	fmt.Fprintf(w, "%s: %d records, %d label sets (%d unreadable), %d damaged pages, %d pages in no tree\n",
		rep.Path, rep.Records, len(rep.LabelSets), len(bad), len(rep.Pages), rep.Unreachable)
	if !rep.Damaged() {
		fmt.Fprintln(w, "no damage found")
		return
	}
	if len(rep.Pages) > 0 {
		fmt.Fprintln(w, "damaged pages:")
		for _, p := range rep.Pages {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	if len(bad) > 0 {
		fmt.Fprintln(w, "label sets that cannot be read:")
		for _, c := range bad {
			fmt.Fprintf(w, "  %s: %v\n", c.LabelSetRef, cause(c.Err))
		}
	}
	if len(rep.Other) > 0 {
		fmt.Fprintln(w, "also unreadable:")
		for _, o := range rep.Other {
			fmt.Fprintf(w, "  %s\n", o)
		}
	}
}

// writeSalvageReport prints what Salvage copied and what it could not.
func writeSalvageReport(w io.Writer, rep store.SalvageReport, ok bool) {
	writeCheckReport(w, rep.CheckReport)
	if !ok {
		return
	}
	fmt.Fprintf(w, "salvaged into %s: %d of %d label sets, %d audit entries\n", rep.Out, len(rep.Copied), len(rep.LabelSets), rep.Audit)
	if bad := rep.Unreadable(); len(bad) > 0 {
		fmt.Fprintln(w, "not copied (unreadable, listed above):")
		for _, c := range bad {
			fmt.Fprintf(w, "  %s\n", c.LabelSetRef)
		}
	}
	if rep.LeftOut > 0 {
		fmt.Fprintf(w, "%d edit entries of those label sets were readable but left out: they would give a new label set a wrong undo history\n", rep.LeftOut)
	}
}

// cause is what a DamageError says is wrong, without its advice to run
// this very command.
func cause(err error) error {
	var de *store.DamageError
	if errors.As(err, &de) {
		return fmt.Errorf("%s: %w", de.Op, de.Err)
	}
	return err
}
