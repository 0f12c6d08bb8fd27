package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
)

// adaptUsage is the synopsis of "ecgstation adapt".
const adaptUsage = "ecgstation adapt RECORD --db F [--reader NAME] [--off | --on | --run] [--model F] [--ort-lib PATH]"

// adaptOpts are the flags of the adapt command.
type adaptOpts struct {
	off, on, run bool
	beat         string
	sharedFlags
}

// runAdapt shows or sets the per-record adapter switch of a record, and
// runs the adapter: a data scientist's way to switch it off for one record.
// Without --off, --on or --run it prints the switch and the adapted labels
// of each reader.
func runAdapt(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("adapt", stderr)
	var o adaptOpts
	fs.BoolVar(&o.off, "off", false, "switch the adapter off for the record: every reader's adapted labels go back to the population model's")
	fs.BoolVar(&o.on, "on", false, "switch the adapter on for the record and run it for the reader(s)")
	fs.BoolVar(&o.run, "run", false, "run the adapter once for the reader(s) (the record's switch must be on)")
	fs.StringVar(&o.beat, "model", "", "beat model the adapter builds on; default: the built-in "+assets.BeatModelName)
	o.add(fs, withDB|withReader|withORTLib)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if why := o.check(pos); why != "" {
		return fmt.Errorf("%s\n%w: %s", why, errUsage, adaptUsage)
	}
	db, err := store.OpenDB(o.db, store.DBOptions{ReadOnly: !o.off && !o.on && !o.run})
	if err != nil {
		return err
	}
	defer db.Close()
	e, err := report.Find(db, pos[0])
	if err != nil {
		return err
	}
	switch {
	case o.off:
		return adaptSwitch(db, e, o, false, stdout)
	case o.on:
		return adaptSwitch(db, e, o, true, stdout)
	case o.run:
		return adaptRun(db, e, o, stdout)
	}
	return adaptStatus(db, e, o, stdout)
}

// check says what is wrong with the arguments, or "".
func (o adaptOpts) check(pos []string) string {
	n := 0
	for _, b := range []bool{o.off, o.on, o.run} {
		if b {
			n++
		}
	}
	switch {
	case len(pos) != 1:
		return "give one record"
	case o.db == "":
		return "--db is missing: the adapter's switch and labels live in the label database"
	case n > 1:
		return "give one of --off, --on and --run"
	}
	return ""
}

// adaptReaders returns the readers the command works on: the one given, or
// every reader of the record.
func adaptReaders(e store.RecordEntry, o adaptOpts) ([]annotate.ReaderID, error) {
	if o.reader != "" {
		r, err := report.PickReader(e, annotate.ReaderID(o.reader))
		return []annotate.ReaderID{r}, err
	}
	var out []annotate.ReaderID
	for _, r := range e.Readers {
		out = append(out, r.Reader)
	}
	return out, nil
}

// adaptWho is who the audit log says switched the adapter: --reader, else
// the login name.
func adaptWho(o adaptOpts) string { return firstNonEmpty(o.reader, loginName()) }

// adaptSwitch stores the record's switch; off gives every reader's adapted
// labels back to the population model, on runs the adapter.
func adaptSwitch(db *store.DB, e store.RecordEntry, o adaptOpts, on bool, stdout io.Writer) error {
	if err := db.UpdateRecordSettings(e.ID, adaptWho(o), func(s *store.RecordSettings) { s.AdapterOff = !on }); err != nil {
		return err
	}
	e.Settings.AdapterOff = !on
	fmt.Fprintf(stdout, "%s: adapter %s\n", e.Info.Name, onOff(on))
	if on {
		return adaptRun(db, e, o, stdout)
	}
	readers, err := adaptReaders(e, o)
	if err != nil {
		return err
	}
	var kept []string
	for _, r := range readers {
		n, err := adaptOff(db, e, r)
		if err != nil { // a signed-off label set keeps its labels: say so and go on
			fmt.Fprintf(stdout, "  %s: adapted labels kept: %v\n", r, err)
			kept = append(kept, string(r))
			continue
		}
		fmt.Fprintf(stdout, "  %s: %d adapted beats given back the population model's labels\n", r, n)
	}
	if len(kept) > 0 {
		return fmt.Errorf("adapt: the switch is off, but the adapted labels of %s stay (see above)", strings.Join(kept, ", "))
	}
	return nil
}

// adaptOff gives reader r's adapted labels back to the population model
// and returns how many.
func adaptOff(db *store.DB, e store.RecordEntry, r annotate.ReaderID) (int, error) {
	sess, err := annotate.Open(db, e.ID, annotate.Options{Reader: r, MergeWindow: mergeWindow(e.Info.Fs)})
	if err != nil {
		return 0, err
	}
	st, err := sess.SetAdapted(nil, "the adapter is switched off for this record")
	return st.Restored, err
}

// adaptRun runs the adapter once for each reader, with the beat model over
// the record file at its last known path.
func adaptRun(db *store.DB, e store.RecordEntry, o adaptOpts, stdout io.Writer) error {
	if e.Settings.AdapterOff {
		return fmt.Errorf("adapt: the adapter is off for %s: switch it on with --on", e.Info.Name)
	}
	readers, err := adaptReaders(e, o)
	if err != nil {
		return err
	}
	rec, err := (&report.Data{Entry: e}).Open()
	if err != nil {
		return err
	}
	defer rec.Close()
	svc := modelsvc.New(modelsvc.Config{Library: o.ortLib, Threads: 1, Beat: o.beat, BeatFrom: "--model"})
	defer svc.Close()
	m, err := svc.Beat()
	if err != nil {
		return fmt.Errorf("adapt: the adapter needs the beat model: %w", err)
	}
	f, err := adapt.NewFeatures(m, modelSignal(rec.Signal, e.Settings))
	if err != nil {
		return err
	}
	for _, r := range readers {
		if err := adaptReader(db, e, r, f, stdout); err != nil {
			return err
		}
	}
	return nil
}

// adaptReader runs the adapter on one reader's label set.
func adaptReader(db *store.DB, e store.RecordEntry, r annotate.ReaderID, f *adapt.Features, stdout io.Writer) error {
	sess, err := annotate.Open(db, e.ID, annotate.Options{Reader: r, MergeWindow: mergeWindow(e.Info.Fs)})
	if err != nil {
		return err
	}
	t := time.Now()
	n, err := f.Add(context.Background(), sess.Labels().Beats, nil)
	if err != nil {
		return err
	}
	tFeat := time.Since(t)
	sum, err := f.Run(context.Background(), sess, adapt.Product())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  %s: %s (%d beats adapted, %d given back; features of %d beats %v, adapting %v)\n",
		r, sum, sum.Changed, sum.Restored, n, tFeat.Round(time.Millisecond), sum.Elapsed.Round(time.Millisecond))
	return nil
}

// adaptStatus prints the record's switch and each reader's adapted labels.
func adaptStatus(db *store.DB, e store.RecordEntry, o adaptOpts, stdout io.Writer) error {
	fmt.Fprintf(stdout, "%s: adapter %s\n", e.Info.Name, onOff(!e.Settings.AdapterOff))
	readers, err := adaptReaders(e, o)
	if err != nil {
		return err
	}
	for _, r := range readers {
		ls, _, err := db.Labels(e.ID, r)
		if err != nil {
			return err
		}
		n, who := 0, ""
		for _, b := range ls.Beats {
			if b.Prov.Source == annotate.SourceAdapted && b.Review == annotate.Unreviewed {
				n, who = n+1, b.Prov.Who
			}
		}
		fmt.Fprintf(stdout, "  %s: %d adapted beats%s\n", r, n, whoSuffix(who))
	}
	return nil
}

func whoSuffix(who string) string {
	if who == "" {
		return ""
	}
	return " (" + who + ")"
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
