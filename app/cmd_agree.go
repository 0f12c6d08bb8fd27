package main

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/store"
)

// agreeUsage is the usage line of the agree command.
const agreeUsage = "usage: ecgstation agree --db FILE --record ID|PATH --readers A,B [--whole] [--list N]"

func runAgree(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("agree", stderr)
	var sf sharedFlags
	sf.add(fs, withDB)
	recArg := fs.String("record", "", "record id (64 hex digits) or the record file's last known path")
	readers := fs.String("readers", "", "the two readers to compare, A,B: B is scored against A as reference")
	whole := fs.Bool("whole", false, "score the whole record (no 5-minute learning period; not EC57)")
	list := fs.Int("list", 50, "print at most this many items of the adjudication list (-1: all)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	a, b, ok := strings.Cut(*readers, ",")
	if sf.db == "" || *recArg == "" || !ok || a == "" || b == "" || a == b || len(rest) > 0 {
		return fmt.Errorf("%w: %s", errUsage, agreeUsage)
	}
	db, err := store.OpenDB(sf.db, store.DBOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := loadAgreement(db, *recArg, annotate.ReaderID(a), annotate.ReaderID(b))
	if err != nil {
		return err
	}
	return rep.write(stdout, *whole, *list)
}

// agreement is what the agree command compares: one record's two label sets.
type agreement struct {
	rec    store.RecordEntry
	a, b   annotate.ReaderID
	la, lb annotate.LabelSet
}

// loadAgreement finds the record by id or path and reads both readers'
// label sets; a reader without one is an error, not an empty set.
func loadAgreement(db *store.DB, recArg string, a, b annotate.ReaderID) (*agreement, error) {
	id := annotate.RecordID(recArg)
	if found, ok, err := db.FindPath(recArg); err != nil {
		return nil, err
	} else if ok {
		id = found
	}
	rec, err := db.Record(id)
	if err != nil {
		return nil, fmt.Errorf("agree: record %s: %w", recArg, err)
	}
	g := &agreement{rec: rec, a: a, b: b}
	for _, r := range []struct {
		who annotate.ReaderID
		ls  *annotate.LabelSet
	}{{a, &g.la}, {b, &g.lb}} {
		ls, rev, err := db.Labels(id, r.who)
		if err != nil {
			return nil, err
		}
		if rev == 0 {
			return nil, fmt.Errorf("agree: reader %q has no label set on record %s (readers: %s)", r.who, id, readerList(rec))
		}
		*r.ls = ls
	}
	return g, nil
}

func readerList(rec store.RecordEntry) string {
	var names []string
	for _, r := range rec.Readers {
		names = append(names, string(r.Reader))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// write prints kappa, the EC57 table of B against A and the adjudication list.
func (g *agreement) write(w io.Writer, whole bool, list int) error {
	info := g.rec.Info
	fmt.Fprintf(w, "# record %s (%s), reader A = %s (%d beats), reader B = %s (%d beats)\n",
		g.rec.ID, info.Name, g.a, len(g.la.Beats), g.b, len(g.lb.Beats))
	window := eval.Seconds(0.15, info.Fs)
	ag := annotate.Agree(g.la.Beats, g.lb.Beats, window)
	fmt.Fprintf(w, "\nAgreement (beats paired within 150 ms, whole record): %d pairs, observed %s%%, Cohen's kappa %s\n",
		ag.N, num(100*ag.Observed), num(ag.Kappa))
	fmt.Fprintf(w, "%-8s", "kappa")
	for _, k := range annotate.Classes {
		fmt.Fprintf(w, " %6s", k)
	}
	fmt.Fprintf(w, "\n%-8s", "")
	for _, k := range annotate.Classes {
		fmt.Fprintf(w, " %6s", num(ag.PerClass[k]))
	}
	fmt.Fprintf(w, "\n\n# EC57 statistics of reader B (test) against reader A (reference)\n")
	res, err := eval.Compare(info.Name, eval.FromBeats(g.la.Beats), eval.FromBeats(g.lb.Beats), options(info, whole))
	if err != nil {
		return err
	}
	printHeader(w, whole)
	if err := eval.WriteTable(w, []*eval.Result{res}); err != nil {
		return err
	}
	return g.writeList(w, annotate.Disagreements(g.la, g.lb, window), list)
}

// disagreementNames names annotate.DisagreementKind values.
var disagreementNames = []string{"class", "only A", "only B", "rhythm only A", "rhythm only B"}

// writeList prints the adjudication list, at most max items (-1: all).
func (g *agreement) writeList(w io.Writer, ds []annotate.Disagreement, max int) error {
	fmt.Fprintf(w, "\nAdjudication list: %d items\n%10s %12s %-14s %-8s %-8s\n", len(ds), "sample", "time", "kind", "A", "B")
	for i, d := range ds {
		if max >= 0 && i >= max {
			fmt.Fprintf(w, "... %d more (--list -1 prints all)\n", len(ds)-i)
			break
		}
		ca, cb := side(d.A, d.Rhythm, d.Kind == annotate.RhythmOnlyA), side(d.B, d.Rhythm, d.Kind == annotate.RhythmOnlyB)
		if _, err := fmt.Fprintf(w, "%10d %12s %-14s %-8s %-8s\n", d.Start, clock(d.Start, g.rec.Info.Fs),
			disagreementNames[d.Kind], ca, cb); err != nil {
			return err
		}
	}
	return nil
}

// side is what one reader says at a disagreement: the beat's MIT code and
// AAMI class, the rhythm, or "-".
func side(b *annotate.Beat, rhythm string, hasRhythm bool) string {
	switch {
	case b != nil:
		return fmt.Sprintf("%s (%s)", b.Code, b.Code.Class())
	case hasRhythm:
		return rhythm
	}
	return "-"
}

// clock formats a sample position as h:mm:ss.sss.
func clock(sample int64, fs float64) string {
	if fs <= 0 {
		return "-"
	}
	ms := int64(math.Round(float64(sample) / fs * 1000))
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// num formats a figure with two decimals, "-" when it is undefined (NaN).
func num(v float64) string { return fixed(v, 2) }
