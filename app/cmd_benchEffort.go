package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/cluster"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

func init() {
	register(command{name: "bench-effort", summary: "simulate a reader correcting records to full agreement: actions per 1000 beats by strategy", run: runBenchEffort})
}

// effortOpts are the flags of bench-effort.
type effortOpts struct {
	data, records, strategies string
	beat, rhythm, ortLib      string
	calib                     string
	maxErr                    float64
	costs                     sim.Costs
	cluster                   cluster.Options
	verbose                   bool
}

func runBenchEffort(args []string, stdout, stderr io.Writer) error {
	o, err := parseEffortFlags(args, stderr)
	if err != nil {
		return err
	}
	sts, err := parseStrategies(o.strategies)
	if err != nil {
		return err
	}
	env, err := model.NewEnv(model.Options{Library: o.ortLib})
	if err != nil {
		return fmt.Errorf("bench-effort needs the beat model: %w", err)
	}
	defer env.Close()
	ms, err := effortModels(env, o)
	if err != nil {
		return err
	}
	var accept *review.Thresholds
	if o.calib != "" {
		if accept, err = calibrate(o, ms, stdout); err != nil {
			return err
		}
	}
	printEffortHeader(stdout, o, ms, sts)
	var rows []effortRow
	for _, name := range commaList(o.records) {
		row, err := effortRecord(o, ms, accept, name, sts)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		printEffortRow(stdout, row, o.verbose)
	}
	return printEffortTotals(stdout, rows, sts)
}

func parseEffortFlags(args []string, stderr io.Writer) (effortOpts, error) {
	fs := newFlags("bench-effort", stderr)
	o := effortOpts{costs: sim.DefaultCosts(), cluster: cluster.DefaultOptions()}
	fs.StringVar(&o.data, "data", "", "directory of the WFDB records and their reference .atr files")
	fs.StringVar(&o.records, "records", "", "comma-separated record names, e.g. 100,103,105")
	fs.StringVar(&o.strategies, "strategy", "a,b,c", "strategies: a (from scratch), b (full disclosure), c (templates, queue, rest)")
	fs.StringVar(&o.beat, "model", "", "beat model (ONNX with the model contract); default: the built-in "+assets.BeatModelName)
	fs.StringVar(&o.ortLib, "ort-lib", "", "ONNX Runtime shared library (default: $"+model.LibraryEnv+", then lib/)")
	fs.StringVar(&o.calib, "calib", "", "held-out reviewed records (in --data) to calibrate auto-accept on, e.g. 106,118,220,223 (DS1 val); none: no auto-accept")
	fs.Float64Var(&o.maxErr, "max-err", 0.005, "auto-accept: the largest held-out error rate per class")
	fs.DurationVar(&o.costs.Page, "page", o.costs.Page, "signal per full-disclosure page")
	fs.IntVar(&o.costs.Patience, "patience", 1, "the reader leaves the queue when fewer than half of the last this many items needed a change (1: at the first that needed nothing; 0: no queue)")
	fs.BoolVar(&o.costs.Propagate, "propagate", false, "propagate queue corrections to look-alike beats")
	fs.BoolVar(&o.costs.MultiSelect, "multi-select", true, "full disclosure: Ctrl+click several beats, then one key fixes them all, as the app's picking does (false: a click and a key a beat)")
	fs.BoolVar(&o.costs.RangeSelect, "range-select", true, "full disclosure: Shift+click picks every beat from the last picked one, as the app does (false: one beat a click)")
	fs.BoolVar(&o.costs.MixRelabel, "mix-relabel", false, "templates: a click on a card's label-mix entry selects those beats, one key relabels them")
	fs.IntVar(&o.costs.SplitDepth, "split-depth", 3, "templates: how many times in a row the reader may split a mixed card")
	fs.IntVar(&o.costs.SplitMin, "split-min", 30, "templates: the reader splits a card only when it would leave at least this many beats wrong")
	fs.BoolVar(&o.costs.Checks, "checks", false, "after the queue the reader applies the consistency checks' fixes that pay (S beats in the rhythm model's AF and flutter to N)")
	fs.StringVar(&o.rhythm, "rhythm-model", "", "rhythm model for --checks; default: the built-in "+assets.RhythmModelName)
	fs.BoolVar(&o.costs.PrematuritySplit, "prem-split", false, "templates: the reader splits a card mixing N and S by prematurity (P) first")
	fs.Float64Var(&o.cluster.Threshold, "cluster-threshold", o.cluster.Threshold, "clustering: leader radius")
	fs.Float64Var(&o.cluster.MergeBelow, "cluster-merge", o.cluster.MergeBelow, "clustering: merge centres closer than this")
	fs.Float64Var(&o.cluster.LookRadius, "look-radius", o.cluster.LookRadius, "propagation: look-alikes are beats of the cluster this near (0: half the leader radius)")
	fs.Float64Var(&o.cluster.Morph, "morph-weight", o.cluster.Morph, "clustering: weight of the raw-waveform shape beside the model's embedding (0: embedding only)")
	fs.Float64Var(&o.cluster.RRWeight, "cluster-rr", o.cluster.RRWeight, "clustering: weight of ln(prematurity)")
	fs.Float64Var(&o.costs.Queue.MinScore, "min-score", o.costs.Queue.MinScore, "queue: leave out beats scoring less (without auto-accept)")
	fs.Float64Var(&o.costs.Queue.Wo, "w-atypical", o.costs.Queue.Wo, "queue: weight of a beat's atypicality in its cluster")
	fs.Float64Var(&o.costs.Queue.Wd, "w-cluster", o.costs.Queue.Wd, "queue: weight of disagreement with the cluster")
	fs.Float64Var(&o.costs.Queue.Wr, "w-rr", o.costs.Queue.Wr, "queue: weight of odd RR")
	fs.BoolVar(&o.verbose, "v", false, "print each strategy's phases")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) > 0 || o.data == "" || o.records == "" {
		return o, fmt.Errorf("%w: ecgstation bench-effort --data DIR --records LIST [--strategy a,b,c] [--model F] [--calib LIST]", errUsage)
	}
	return o, nil
}

func parseStrategies(s string) ([]sim.Strategy, error) {
	var out []sim.Strategy
	for _, x := range commaList(s) {
		st, err := sim.ParseStrategy(x)
		if err != nil {
			return nil, fmt.Errorf("%w: --strategy: %v", errUsage, err)
		}
		out = append(out, st)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: --strategy: no strategy", errUsage)
	}
	return out, nil
}

func commaList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// effortRow is one record's results, one per strategy.
type effortRow struct {
	name     string
	results  []sim.Result
	clusters int
}

// prepared is a record run through the pipeline and the clustering.
type prepared struct {
	rec  sim.Record
	info annotate.RecordInfo
	cl   *cluster.Clusterer
}

// effortModels loads the beat model and, for the reader's checks, the
// rhythm model whose AF and flutter episodes they read.
func effortModels(env *model.Env, o effortOpts) (*models, error) {
	beat, err := loadOne(env, o.beat, assets.BeatModel, assets.BeatModelName, "--model")
	if err != nil || !o.costs.Checks {
		return &models{beat: beat}, err
	}
	rhythm, err := loadOne(env, o.rhythm, assets.RhythmModel, assets.RhythmModelName, "--rhythm-model")
	return &models{beat: beat, rhythm: rhythm}, err
}

// prepare runs the pipeline (detector, beat model, embeddings, rhythm) on a
// record and clusters its beats.
func prepare(o effortOpts, ms *models, name string) (*prepared, error) {
	path := filepath.Join(o.data, name)
	sig, err := wfdb.Open(path)
	if err != nil {
		return nil, err
	}
	defer sig.Close()
	m := ms.beat
	p, err := pipeline.New(pipeline.Config{Signal: sig, Beat: m, Rhythm: ms.rhythm})
	if err != nil {
		return nil, err
	}
	res, err := p.Run(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	info := sig.Info()
	ref, refEps, err := readLabelled(path, "atr", info)
	if err != nil {
		return nil, err
	}
	pr := &prepared{info: info, cl: cluster.New(o.cluster), rec: sim.Record{Name: name, Fs: info.Fs,
		NSamples: info.NSamples, Reference: ref, RefEpisodes: refEps, Model: res.Output.Beats, Classes: classes(m),
		Episodes: res.Output.Episodes}}
	return pr, pr.cluster(res, sig)
}

// cluster clusters the pipeline's beats into the record's templates.
func (p *prepared) cluster(res *pipeline.Result, sig annotate.Signal) error {
	if res.EmbDim == 0 {
		return errors.New("bench-effort: the beat model has no embedding output: templates need one")
	}
	samples := make([]int64, len(res.Output.Beats))
	for i, b := range res.Output.Beats {
		samples[i] = b.Sample
	}
	if err := p.cl.AddShaped(sig, samples, res.Emb, res.EmbDim); err != nil {
		return err
	}
	p.cl.Finish()
	for _, c := range p.cl.Clusters() {
		p.rec.Templates = append(p.rec.Templates, review.Template{ID: c.ID, Beats: c.Beats, Distance: c.Distance})
	}
	p.rec.LookAlikes = p.cl
	p.rec.Splitter = p.cl
	return nil
}

func classes(m *model.Model) []annotate.Class {
	out := make([]annotate.Class, len(m.Meta().Classes))
	for k := range out {
		out[k] = m.Class(k)
	}
	return out
}

func effortRecord(o effortOpts, ms *models, accept *review.Thresholds, name string, sts []sim.Strategy) (effortRow, error) {
	p, err := prepare(o, ms, name)
	if err != nil {
		return effortRow{}, err
	}
	p.rec.Accept = accept
	row := effortRow{name: name, clusters: len(p.rec.Templates)}
	for _, st := range sts {
		r, err := sim.Run(p.rec, st, o.costs)
		if err != nil {
			return row, err
		}
		row.results = append(row.results, r)
	}
	return row, nil
}

func printEffortHeader(w io.Writer, o effortOpts, ms *models, sts []sim.Strategy) {
	fmt.Fprintf(w, "# reader effort (annotate/sim cost model); beat model %s (%s)\n", ms.beat.Meta().ID(), modelPath(o.beat, assets.BeatModelName))
	fmt.Fprintf(w, "# agreement: EC57 beat-by-beat matching (150 ms) over the whole record, reference VF excluded; AAMI classes: %s\n", annotate.AAMIMapping)
	fmt.Fprintf(w, "# full-disclosure page %s, %d cards a gallery page, queue patience %d, propagation %v, multi-select %v, range-select %v, splits %d deep of cards leaving %d wrong, check fixes %v\n",
		o.costs.Page, o.costs.Cards, o.costs.Patience, o.costs.Propagate, o.costs.MultiSelect, o.costs.RangeSelect, o.costs.SplitDepth, max(2, o.costs.SplitMin), o.costs.Checks)
	if ms.rhythm != nil {
		fmt.Fprintf(w, "# rhythm model %s (%s), for the checks\n", ms.rhythm.Meta().ID(), modelPath(o.rhythm, assets.RhythmModelName))
	}
	fmt.Fprintf(w, "%-8s %6s %6s %5s", "record", "beats", "errors", "tmpl")
	for _, st := range sts {
		fmt.Fprintf(w, " | %s: %6s %8s %7s %7s", st, "acts", "per1000", "looked", "agree%")
	}
	fmt.Fprintln(w)
}

func modelPath(p, builtIn string) string {
	if p == "" {
		return "built-in " + builtIn
	}
	return p
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
				fmt.Fprintf(w, "#   %s %-9s keys %4d clicks %4d looked %5d relabel %4d insert %3d delete %3d confirm %4d cluster %3d split %3d propagated %4d; errors left %d %s\n",
					res.Strategy, ph.Name, ph.Keys, ph.Clicks, ph.LookedAt, ph.Relabels, ph.Inserts, ph.Deletes,
					ph.Confirms, ph.ClusterRelabels, ph.Splits, ph.Propagated, ph.Errors, leftByClass(ph))
				if ph.Errors > 0 {
					fmt.Fprintf(w, "#     left: %s\n", kindsText(ph.Kinds, 6))
				}
			}
		}
	}
}

// leftByClass says what the errors left should be: "(N 3 S 10 false 2)".
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
// auto-accept thresholds at o.maxErr, printing the calibration.
func calibrate(o effortOpts, ms *models, w io.Writer) (*review.Thresholds, error) {
	var outs []review.Outcome
	for _, name := range commaList(o.calib) {
		p, err := prepare(o, ms, name)
		if err != nil {
			return nil, err
		}
		os, err := outcomes(p.rec)
		if err != nil {
			return nil, err
		}
		outs = append(outs, os...)
	}
	cal := review.Calibrate(outs)
	th := cal.Thresholds(o.maxErr, 20)
	fmt.Fprintf(w, "# auto-accept calibrated on %s (%d beats), max error %.2f%% per class:", o.calib, len(outs), 100*o.maxErr)
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
