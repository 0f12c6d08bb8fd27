package main

import (
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"
)

// TestCommandTable checks the table is sorted with unique names (run
// finds a command by binary search) and that every row can run.
func TestCommandTable(t *testing.T) {
	for i, c := range commands {
		if c.name == "" || c.summary == "" || c.run == nil {
			t.Errorf("row %d (%q) lacks a name, summary or run function", i, c.name)
		}
		if i > 0 && commands[i-1].name >= c.name {
			t.Errorf("%q comes after %q: keep the table sorted, one row a name", c.name, commands[i-1].name)
		}
		if got, ok := findCommand(c.name); !ok || got.name != c.name {
			t.Errorf("findCommand(%q) = %q, %v", c.name, got.name, ok)
		}
	}
	if _, ok := findCommand("no-such"); ok {
		t.Error("findCommand found a command that is not in the table")
	}
}

// TestHelp checks that help lists every command, its summary starting in
// one column, and that an unknown command gets the list on stderr with
// exit status 2.
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"help"}, &out, io.Discard); code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	col := -1
	for _, c := range commands {
		line := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(l, "  "+c.name+" ") {
				line = l
			}
		}
		at := strings.Index(line, c.summary)
		if at < 0 {
			t.Errorf("help does not list %q with its summary:\n%s", c.name, out.String())
			continue
		}
		if col >= 0 && at != col {
			t.Errorf("%q's summary starts at column %d, the others at %d:\n%s", c.name, at, col, out.String())
		}
		col = at
	}
	var errs bytes.Buffer
	if code := run([]string{"no-such"}, io.Discard, &errs); code != 2 || !strings.Contains(errs.String(), "unknown command \"no-such\"") ||
		!strings.Contains(errs.String(), "  info ") {
		t.Errorf("unknown command: exit %d, stderr:\n%s", code, errs.String())
	}
}

// TestSharedFlags checks that add defines exactly the chosen shared
// flags, each with its one help text, and parses into the right field.
func TestSharedFlags(t *testing.T) {
	cases := []struct {
		name  string
		which shared
		args  []string
		want  sharedFlags
	}{
		{"none", 0, nil, sharedFlags{}},
		{"db", withDB, []string{"--db", "a.db"}, sharedFlags{db: "a.db"}},
		{"db and reader", withDB | withReader, []string{"--reader", "alice", "--db", "a.db"}, sharedFlags{db: "a.db", reader: "alice"}},
		{"all", withDB | withReader | withORTLib, []string{"--ort-lib", "lib.so", "--reader", "bob"}, sharedFlags{reader: "bob", ortLib: "lib.so"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var f sharedFlags
			f.add(fs, c.which)
			for _, d := range sharedFlagDefs {
				fl := fs.Lookup(d.name)
				if has := c.which&d.which != 0; has != (fl != nil) {
					t.Errorf("--%s defined: %v, want %v", d.name, fl != nil, has)
				} else if fl != nil && fl.Usage != d.help {
					t.Errorf("--%s help %q, want the shared text", d.name, fl.Usage)
				}
			}
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			if f != c.want {
				t.Errorf("parsed %+v, want %+v", f, c.want)
			}
		})
	}
}
