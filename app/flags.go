package main

import (
	"flag"

	"github.com/ecgstation/ecgstation/inference/model"
)

// sharedFlags are the values of the flags several commands share: the
// label database, the reader, the ONNX Runtime library and quiet (no
// progress on stderr).
type sharedFlags struct {
	db, reader, ortLib string
	quiet              bool
}

// shared picks which shared flags a command has.
type shared uint8

// The shared flags.
const (
	withDB     shared = 1 << iota // --db
	withReader                    // --reader
	withORTLib                    // --ort-lib
	withQuiet                     // --quiet
)

// quietHelp is the help text of --quiet.
const quietHelp = "no progress lines on stderr (long commands show per record, overall share and time left)"

// sharedFlagDefs are the shared flags' names and their one help text each.
var sharedFlagDefs = []struct {
	which      shared
	name, help string
}{
	{withDB, "db", "label database file; commands that save labels create it when missing " +
		"(open: default the preferences' choice, else labels.db in the user's config folder)"},
	{withReader, "reader", "reader name: whose labels are read or saved (if left out: the reader who signed off last, " +
		"else the only one; open: the preferences' reader, else the login name)"},
	{withORTLib, "ort-lib", "ONNX Runtime shared library (default: for open the preferences' choice, then $" +
		model.LibraryEnv + ", then lib/ beside the program, then the system's library folders; never the working folder)"},
}

// add adds the shared flags which names to fs, writing their values into f.
func (f *sharedFlags) add(fs *flag.FlagSet, which shared) {
	dst := map[shared]*string{withDB: &f.db, withReader: &f.reader, withORTLib: &f.ortLib}
	for _, d := range sharedFlagDefs {
		if which&d.which != 0 {
			fs.StringVar(dst[d.which], d.name, "", d.help)
		}
	}
	if which&withQuiet != 0 {
		fs.BoolVar(&f.quiet, "quiet", false, quietHelp)
	}
}
