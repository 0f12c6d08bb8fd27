package main

import (
	"fmt"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui"
)

// knownReaders lists every reader with a label set in the database, for
// the record screen's reader list; nil without a database or when it
// cannot be read (the list then offers the current reader and another).
func (g *gui) knownReaders() []string {
	if g.db == nil {
		return nil
	}
	recs, err := g.db.Records()
	if err != nil {
		fmt.Fprintf(g.stderr, "ecgstation: listing the readers: %v\n", err)
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range recs {
		for _, r := range e.Readers {
			if !seen[string(r.Reader)] {
				seen[string(r.Reader)] = true
				out = append(out, string(r.Reader))
			}
		}
	}
	return out
}

// switchReader makes reader the window's reader, as picked in the record
// screen's reader list: each reader has their own label set of a record,
// so the record shown opens again with reader's set (their earlier edits,
// or the models' suggestions when they have none), and every edit from
// then on is signed with reader and goes to that set. The other reader's
// set is left exactly as it was. The name is kept in the preferences for
// the next start (where --reader still wins). The list is off until
// reader's labels show (SetReaders), so a second pick cannot overtake the
// first; a load that is overtaken all the same shows nothing.
func (g *gui) switchReader(reader string) {
	if req, ok := g.pickReader(reader); ok {
		go g.load(req)
	}
}

// pickReader makes reader the window's reader (readAs), turns the reader
// list off and returns the request that opens the record shown with
// reader's labels; false when there is nothing to open.
func (g *gui) pickReader(reader string) (loadReq, bool) {
	path, ok := g.readAs(reader)
	if !ok {
		return loadReq{}, false
	}
	g.screen.DisableReaders()
	return g.newLoad(path), true
}

// readAs makes reader the window's reader and keeps the name in the
// preferences; it returns the record to open again with their labels, and
// false when there is none or reader is already the one.
func (g *gui) readAs(reader string) (string, bool) {
	reader = strings.TrimSpace(reader)
	if reader == "" || annotate.ReaderID(reader) == g.reader {
		return "", false
	}
	g.reader = annotate.ReaderID(reader)
	g.app.Preferences().SetString(ui.PrefReader, reader)
	if g.rec == nil {
		return "", false
	}
	return g.rec.Path, true
}
