// Command ecgstation is ECG Station: an offline workstation for reading long
// ambulatory ECG recordings. With no arguments it opens the window on the
// built-in demo record; with a subcommand it runs headless:
//
//	ecgstation                      the window on the demo record
//	ecgstation open RECORD          the window on RECORD
//	ecgstation info RECORD [--json] what a record is
//	ecgstation dump RECORD ...      samples as text, like WFDB's rdsamp
//	ecgstation synth ...            write a synthetic WFDB record
//
// Run "ecgstation help" for the full list.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	// Before Fyne reads the locale: a C.UTF-8 locale gets a fallback.
	_ "github.com/ecgstation/ecgstation/app/internal/locale"
)

// errUsage marks an error caused by wrong arguments (exit status 2).
var errUsage = errors.New("usage")

// Exit statuses besides 0 (done), 1 (failed) and 2 (wrong arguments).
const exitWithoutModels = 3 // annotate: done, but without the models (errWithoutModels)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches args to a subcommand and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	name := "open"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	switch {
	case name == "help" && len(args) > 0:
		return commandHelp(args[0], stdout)
	case name == "help" || name == "-h" || name == "--help":
		printHelp(stdout)
		return 0
	case name == "--version" || name == "-version":
		name = "version"
	}
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "ecgstation: unknown command %q\n", name)
		printHelp(stderr)
		return 2
	}
	stop := startProfile(stderr)
	err := c.run(args, stdout, stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "ecgstation %s: %v\n", name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		if errors.Is(err, errWithoutModels) {
			return exitWithoutModels
		}
		return 1
	}
	return 0
}

// newFlags returns a flag set for a subcommand that reports errors instead of
// exiting, so tests can drive every command through run.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ecgstation "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("info 100 --json"), and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
