package research

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// EffortOptions say what bench-effort simulates.
type EffortOptions struct {
	Data       string   // folder of the WFDB records and their reference .atr files
	Records    []string // records to simulate the reader on
	Calib      []string // held-out reviewed records to calibrate auto-accept on; none: no auto-accept
	MaxErr     float64  // auto-accept: the largest held-out error rate per class
	Strategies []sim.Strategy
	Costs      sim.Costs
	Cluster    cluster.Options
	// BeatName and RhythmName are what the header calls the models (their
	// files, or the built-in ones' names).
	BeatName, RhythmName string
	Verbose              bool // print each strategy's phases
	// Adapt are the per-record adapter's options (strategy d).
	Adapt adapt.Options
}

// Models are the models bench-effort runs: the beat model (with an
// embedding output, for the templates) and, for the reader's checks, the
// rhythm model (nil when the checks are off).
type Models struct {
	Beat, Rhythm *model.Model
}

// Effort simulates a reader correcting each record to full agreement with
// its reference by each strategy, and writes the actions per 1000 beats
// to w: a header, a row per record and the totals.
func Effort(o EffortOptions, ms Models, w io.Writer) error {
	var accept *review.Thresholds
	if len(o.Calib) > 0 {
		var err error
		if accept, err = calibrate(o, ms, w); err != nil {
			return err
		}
	}
	printEffortHeader(w, o, ms)
	var rows []effortRow
	for _, name := range o.Records {
		row, err := effortRecord(o, ms, accept, name)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		printEffortRow(w, row, o.Verbose)
	}
	return printEffortTotals(w, rows, o.Strategies)
}

// effortRow is one record's results, one per strategy.
type effortRow struct {
	name     string
	results  []sim.Result
	clusters int
}

// prepared is a record run through the pipeline and the clustering, its
// signal open (for the clustering's shapes and the adapter's features).
type prepared struct {
	rec  sim.Record
	info annotate.RecordInfo
	sig  *wfdb.Record
	res  *pipeline.Result
	cl   *cluster.Clusterer
	opt  cluster.Options
	beat *model.Model
	feat *adapt.Features // the adapter's cache, made by withAdapter
}

// prepare runs the pipeline (detector, beat model, embeddings, rhythm) on a
// record and clusters its beats; close it when done.
func prepare(o EffortOptions, ms Models, name string) (*prepared, error) {
	path := filepath.Join(o.Data, name)
	sig, err := wfdb.Open(path)
	if err != nil {
		return nil, err
	}
	p, err := prepareOpen(o, ms, name, path, sig)
	if err != nil {
		sig.Close()
		return nil, err
	}
	return p, nil
}

func prepareOpen(o EffortOptions, ms Models, name, path string, sig *wfdb.Record) (*prepared, error) {
	m := ms.Beat
	pl, err := pipeline.New(pipeline.Config{Signal: sig, Beat: m, Rhythm: ms.Rhythm})
	if err != nil {
		return nil, err
	}
	res, err := pl.Run(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	info := sig.Info()
	ref, refEps, err := ReadLabelled(path, "atr", info)
	if err != nil {
		return nil, err
	}
	pr := &prepared{info: info, sig: sig, res: res, opt: o.Cluster, beat: m, rec: sim.Record{Name: name, Fs: info.Fs,
		NSamples: info.NSamples, Reference: ref, RefEpisodes: refEps, Model: res.Output.Beats, Classes: modelsvc.Classes(m),
		Episodes: res.Output.Episodes}}
	return pr, pr.cluster()
}

// close closes the record's signal.
func (p *prepared) close() { p.sig.Close() }

// cluster clusters the pipeline's beats into the record's templates, anew
// (a strategy that splits cards changes the clustering).
func (p *prepared) cluster() error {
	if p.res.EmbDim == 0 {
		return errors.New("bench-effort: the beat model has no embedding output: templates need one")
	}
	samples := make([]int64, len(p.res.Output.Beats))
	for i, b := range p.res.Output.Beats {
		samples[i] = b.Sample
	}
	p.cl = cluster.New(p.opt)
	if err := p.cl.AddShaped(p.sig, samples, p.res.Emb, p.res.EmbDim); err != nil {
		return err
	}
	p.cl.Finish()
	p.rec.Templates = nil
	for _, c := range p.cl.Clusters() {
		p.rec.Templates = append(p.rec.Templates, review.Template{ID: c.ID, Beats: c.Beats, Distance: c.Distance})
	}
	p.rec.LookAlikes, p.rec.Splitter, p.rec.Group = p.cl, p.cl, p.cl.Of
	return nil
}

// withAdapter gives the record the per-record adapter the window runs
// (adapt.Features over the beat model) with options opt, computing its
// features once.
func (p *prepared) withAdapter(opt adapt.Options) error {
	if p.feat == nil {
		f, err := adapt.NewFeatures(p.beat, p.sig)
		if err != nil {
			return err
		}
		if _, err := f.Add(context.Background(), p.res.Output.Beats, nil); err != nil {
			return fmt.Errorf("%s: adapter features: %w", p.rec.Name, err)
		}
		p.feat = f
	}
	if opt.Group != nil {
		opt.Group = p.rec.Group // the record's clustering, as the templates show it
	}
	p.rec.Adapter = &sessionAdapter{f: p.feat, opt: opt}
	return nil
}

func effortRecord(o EffortOptions, ms Models, accept *review.Thresholds, name string) (effortRow, error) {
	p, err := prepare(o, ms, name)
	if err != nil {
		return effortRow{}, err
	}
	defer p.close()
	p.rec.Accept = accept
	row := effortRow{name: name, clusters: len(p.rec.Templates)}
	for i, st := range o.Strategies {
		if err := p.forStrategy(st, i > 0, o.Adapt); err != nil {
			return row, err
		}
		r, err := sim.Run(p.rec, st, o.Costs)
		if err != nil {
			return row, err
		}
		row.results = append(row.results, r)
	}
	return row, nil
}

// forStrategy readies the record for strategy st: the clustering anew
// after an earlier strategy (its splits changed it), the adapter for d.
func (p *prepared) forStrategy(st sim.Strategy, again bool, opt adapt.Options) error {
	if again {
		if err := p.cluster(); err != nil {
			return err
		}
	}
	if st == sim.Adaptive {
		return p.withAdapter(opt)
	}
	return nil
}

func printEffortHeader(w io.Writer, o EffortOptions, ms Models) {
	fmt.Fprintf(w, "# reader effort (annotate/sim cost model); beat model %s (%s)\n", ms.Beat.Meta().ID(), o.BeatName)
	fmt.Fprintf(w, "# agreement: EC57 beat-by-beat matching (150 ms) over the whole record, reference VF excluded; AAMI classes: %s\n", annotate.AAMIMapping)
	fmt.Fprintf(w, "# full-disclosure page %s, %d cards a gallery page, queue patience %d, propagation %v, multi-select %v, range-select %v, splits %d deep of cards leaving %d wrong, check fixes %v\n",
		o.Costs.Page, o.Costs.Cards, o.Costs.Patience, o.Costs.Propagate, o.Costs.MultiSelect, o.Costs.RangeSelect, o.Costs.SplitDepth, max(2, o.Costs.SplitMin), o.Costs.Checks)
	if slices.Contains(o.Strategies, sim.Adaptive) {
		fmt.Fprintf(w, "# d: adapter %s, at most %d questions, adapter run every %d answers, leave after %d unchanged in a row (0: never), confirm right cards %v (of %d beats or more), confirm right pages %v, adapter in the scan every %d picks (-1: each page, 0: never), adapter min confidence %g, neighbours %d, crowd %d\n",
			adapt.Name, o.Costs.Questions, o.Costs.AskBatch, o.Costs.AskPatience, o.Costs.ConfirmCards, o.Costs.ConfirmMin, o.Costs.ConfirmPages, o.Costs.AdaptEvery, o.Adapt.MinConfidence, o.Adapt.Neighbours, o.Adapt.Crowd)
	}
	if ms.Rhythm != nil {
		fmt.Fprintf(w, "# rhythm model %s (%s), for the checks\n", ms.Rhythm.Meta().ID(), o.RhythmName)
	}
	fmt.Fprintf(w, "%-8s %6s %6s %5s", "record", "beats", "errors", "tmpl")
	for _, st := range o.Strategies {
		fmt.Fprintf(w, " | %s: %6s %8s %7s %7s", st, "acts", "per1000", "looked", "agree%")
	}
	fmt.Fprintln(w)
}

func printEffortRow(w io.Writer, r effortRow, verbose bool) {
	first := r.results[0]
	fmt.Fprintf(w, "%-8s %6d %6d %5d", r.name, first.RefBeats, modelErrors(r), r.clusters)
	for _, res := range r.results {
		fmt.Fprintf(w, " | %s: %6d %8.1f %7d %7.2f", res.Strategy, res.Total.Actions(), res.PerThousand(),
			res.Total.LookedAt, 100*res.Agreement)
	}
	fmt.Fprintln(w)
	if verbose {
		for _, res := range r.results {
			for _, ph := range res.Phases {
				fmt.Fprintf(w, "#   %s %-9s keys %4d clicks %4d looked %5d relabel %4d insert %3d delete %3d confirm %4d cluster %3d split %3d propagated %4d%s; errors left %d %s\n",
					res.Strategy, ph.Name, ph.Keys, ph.Clicks, ph.LookedAt, ph.Relabels, ph.Inserts, ph.Deletes,
					ph.Confirms, ph.ClusterRelabels, ph.Splits, ph.Propagated, adaptedText(ph.Tally), ph.Errors, leftByClass(ph))
				if ph.Errors > 0 {
					fmt.Fprintf(w, "#     left: %s\n", kindsText(ph.Kinds, 6))
				}
			}
		}
	}
}

// adaptedText says what the adapter's runs did in a phase of strategy d:
// " adapter +12 -3" (put right, made wrong), or nothing.
func adaptedText(t sim.Tally) string {
	if t.AdaptFixed == 0 && t.AdaptBroke == 0 {
		return ""
	}
	return fmt.Sprintf(" adapter +%d -%d", t.AdaptFixed, t.AdaptBroke)
}

// leftByClass says what the errors left should be, and how many of them
// are labelled S: "(N 3 S 10 false 2 labelled S 4)".
func leftByClass(ph sim.Phase) string {
	var parts []string
	left := ph.Left()
	for _, k := range annotate.Classes {
		if left[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k, left[k]))
		}
	}
	if n := left[annotate.ClassNone]; n > 0 {
		parts = append(parts, fmt.Sprintf("false %d", n))
	}
	if n := ph.FalseS(); n > 0 {
		parts = append(parts, fmt.Sprintf("labelled S %d", n))
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// kindsText says the n commonest kinds of error: "N as S in AFIB 12,
// missed V 3, false beat (N) in N 2".
func kindsText(ks []sim.Kind, n int) string {
	var parts []string
	for _, k := range ks[:min(n, len(ks))] {
		var what string
		switch {
		case k.Now == annotate.ClassNone:
			what = "missed " + k.Want.String()
		case k.Want == annotate.ClassNone:
			what = "false beat (" + k.Now.String() + ")"
		default:
			what = k.Want.String() + " as " + k.Now.String()
		}
		if k.Rhythm != "" {
			what += " in " + k.Rhythm
		}
		parts = append(parts, fmt.Sprintf("%s %d", what, k.N))
	}
	if len(ks) > n {
		parts = append(parts, "...")
	}
	return strings.Join(parts, ", ")
}

// modelErrors is the model's discrepancies (strategy b or c start from the
// model's labels; a from the detector's).
func modelErrors(r effortRow) int {
	for _, res := range r.results {
		if res.Strategy != sim.Scratch {
			return res.Errors
		}
	}
	return -1
}

func printEffortTotals(w io.Writer, rows []effortRow, sts []sim.Strategy) error {
	if len(rows) == 0 {
		return nil
	}
	beats, errs := 0, 0
	for _, r := range rows {
		beats += r.results[0].RefBeats
		errs += max(0, modelErrors(r))
	}
	fmt.Fprintf(w, "%-8s %6d %6d %5s", "total", beats, errs, "")
	means := make([]float64, len(sts))
	for i, st := range sts {
		acts, looked, minAgree := 0, 0, 1.0
		for _, r := range rows {
			res := r.results[i]
			acts += res.Total.Actions()
			looked += res.Total.LookedAt
			minAgree = min(minAgree, res.Agreement)
			means[i] += res.PerThousand() / float64(len(rows))
		}
		fmt.Fprintf(w, " | %s: %6d %8.1f %7d %7.2f", st, acts, 1000*float64(acts)/float64(beats), looked, 100*minAgree)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-26s", "mean of records")
	for i, st := range sts {
		fmt.Fprintf(w, " | %s: %6s %8.1f %7s %7s", st, "", means[i], "", "")
	}
	fmt.Fprintln(w)
	printRatio(w, sts, means)
	return nil
}

// printRatio prints strategy c's effort over b's when both ran.
func printRatio(w io.Writer, sts []sim.Strategy, means []float64) {
	ib, ic := -1, -1
	for i, st := range sts {
		switch st {
		case sim.Scan:
			ib = i
		case sim.Templates:
			ic = i
		}
	}
	if ib >= 0 && ic >= 0 && means[ib] > 0 {
		fmt.Fprintf(w, "# c / b (mean of records per 1000 beats): %.3f\n", means[ic]/means[ib])
	}
}

// calibrate runs the model on held-out reviewed records and returns the
// auto-accept thresholds at o.MaxErr, printing the calibration.
func calibrate(o EffortOptions, ms Models, w io.Writer) (*review.Thresholds, error) {
	var outs []review.Outcome
	for _, name := range o.Calib {
		p, err := prepare(o, ms, name)
		if err != nil {
			return nil, err
		}
		p.close()
		os, err := outcomes(p.rec)
		if err != nil {
			return nil, err
		}
		outs = append(outs, os...)
	}
	cal := review.Calibrate(outs)
	th := cal.Thresholds(o.MaxErr, 20)
	fmt.Fprintf(w, "# auto-accept calibrated on %s (%d beats), max error %.2f%% per class:", strings.Join(o.Calib, ","), len(outs), 100*o.MaxErr)
	for _, k := range annotate.Classes {
		n, wrong := cal.At(k, th[k])
		fmt.Fprintf(w, " %s>=%.3f (%d accepted, %d wrong)", k, th[k], n, wrong)
	}
	fmt.Fprintln(w)
	return &th, nil
}

// outcomes pairs each model beat with its reference class (EC57 matching
// over the whole record); unmatched model beats have truth ClassNone.
func outcomes(rec sim.Record) ([]review.Outcome, error) {
	o := eval.DefaultOptions(rec.Fs, rec.NSamples).WholeRecord()
	res, err := eval.Compare(rec.Name, rec.Reference, eval.FromBeats(rec.Model), o)
	if err != nil {
		return nil, err
	}
	truth := map[int64]annotate.Class{}
	for _, p := range res.Discrepancies() {
		if p.TestLabel <= eval.LabelQ {
			truth[p.Test] = annotate.ClassNone
			if p.RefLabel <= eval.LabelQ {
				truth[p.Test] = annotate.Class(p.RefLabel) + annotate.ClassN
			}
		}
	}
	out := make([]review.Outcome, len(rec.Model))
	for i, b := range rec.Model {
		k, ok := truth[b.Sample]
		if !ok {
			k = b.Code.Class()
		}
		out[i] = review.Outcome{Pred: b.Code.Class(), Conf: b.Prov.Confidence, Truth: k}
	}
	return out, nil
}
