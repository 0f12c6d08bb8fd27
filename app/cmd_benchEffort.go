package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/app/research"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
)

// effortOpts are the flags of bench-effort.
type effortOpts struct {
	research.EffortOptions
	records, strategies, calib string // comma-separated lists
	beat, rhythm               string // model files; "" means the built-in models
	groups                     bool   // the adapter's group gate (Adapt.Group, the record's clustering)
	sharedFlags
}

// runBenchEffort is "ecgstation bench-effort": research.Effort on the
// models the flags name.
func runBenchEffort(args []string, stdout, stderr io.Writer) error {
	o, err := parseEffortFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.Strategies, err = parseStrategies(o.strategies); err != nil {
		return err
	}
	o.Records, o.Calib = commaList(o.records), commaList(o.calib)
	o.BeatName, o.RhythmName = modelPath(o.beat, assets.BeatModelName), modelPath(o.rhythm, assets.RhythmModelName)
	// the reader's checks read the rhythm model's AF and flutter
	ms, svc, err := benchModels("bench-effort", o.ortLib, o.beat, o.rhythm, o.Costs.Checks)
	defer svc.Close()
	if err != nil {
		return err
	}
	return research.Effort(o.EffortOptions, ms, stdout)
}

// benchModels loads the beat model a bench command's flags name (beat: a
// file, "" the built-in one) and, with withRhythm, the rhythm model; close
// the service when done, also after an error.
func benchModels(cmd, ortLib, beat, rhythm string, withRhythm bool) (research.Models, *modelsvc.Service, error) {
	svc := modelsvc.New(modelsvc.Config{Library: ortLib, Beat: beat, Rhythm: rhythm,
		BeatFrom: "--model", RhythmFrom: "--rhythm-model"})
	var ms research.Models
	var err error
	if ms.Beat, err = svc.Beat(); err != nil {
		return ms, svc, fmt.Errorf("%s needs the beat model: %w", cmd, err)
	}
	if withRhythm {
		ms.Rhythm, err = svc.Rhythm()
	}
	return ms, svc, err
}

func parseEffortFlags(args []string, stderr io.Writer) (effortOpts, error) {
	fs := newFlags("bench-effort", stderr)
	o := effortOpts{EffortOptions: research.EffortOptions{Costs: sim.DefaultCosts(), Cluster: cluster.DefaultOptions()}}
	addBenchFlags(fs, &o.Data, &o.records)
	fs.StringVar(&o.strategies, "strategy", "a,b,c", "strategies: a (from scratch), b (full disclosure), c (templates, queue, rest), d (templates, adaptive queue with the per-record adapter, rest)")
	fs.StringVar(&o.beat, "model", "", "beat model (ONNX with the model contract); default: the built-in "+assets.BeatModelName)
	o.add(fs, withORTLib)
	fs.StringVar(&o.calib, "calib", "", "held-out reviewed records (in --data) to calibrate auto-accept on, e.g. 106,118,220,223 (DS1 val); none: no auto-accept")
	fs.Float64Var(&o.MaxErr, "max-err", 0.005, "auto-accept: the largest held-out error rate per class")
	fs.DurationVar(&o.Costs.Page, "page", o.Costs.Page, "signal per full-disclosure page")
	fs.IntVar(&o.Costs.Patience, "patience", 1, "the reader leaves the queue when fewer than half of the last this many items needed a change (1: at the first that needed nothing; 0: no queue)")
	fs.BoolVar(&o.Costs.Propagate, "propagate", false, "propagate queue corrections to look-alike beats")
	fs.BoolVar(&o.Costs.MultiSelect, "multi-select", true, "full disclosure: Ctrl+click several beats, then one key fixes them all, as the app's picking does (false: a click and a key a beat)")
	fs.BoolVar(&o.Costs.RangeSelect, "range-select", true, "full disclosure: Shift+click picks every beat from the last picked one, as the app does (false: one beat a click)")
	fs.BoolVar(&o.Costs.MixRelabel, "mix-relabel", false, "templates: a click on a card's label-mix entry selects those beats, one key relabels them")
	fs.IntVar(&o.Costs.SplitDepth, "split-depth", 3, "templates: how many times in a row the reader may split a mixed card")
	fs.IntVar(&o.Costs.SplitMin, "split-min", 30, "templates: the reader splits a card only when it would leave at least this many beats wrong")
	fs.BoolVar(&o.Costs.Checks, "checks", false, "after the queue the reader applies the consistency checks' fixes that pay (S beats in the rhythm model's AF and flutter to N)")
	fs.StringVar(&o.rhythm, "rhythm-model", "", "rhythm model for --checks; default: the built-in "+assets.RhythmModelName)
	fs.BoolVar(&o.Costs.PrematuritySplit, "prem-split", false, "templates: the reader splits a card mixing N and S by prematurity (P) first")
	fs.Float64Var(&o.Cluster.Threshold, "cluster-threshold", o.Cluster.Threshold, "clustering: leader radius")
	fs.Float64Var(&o.Cluster.MergeBelow, "cluster-merge", o.Cluster.MergeBelow, "clustering: merge centres closer than this")
	fs.Float64Var(&o.Cluster.LookRadius, "look-radius", o.Cluster.LookRadius, "propagation: look-alikes are beats of the cluster this near (0: half the leader radius)")
	fs.Float64Var(&o.Cluster.Morph, "morph-weight", o.Cluster.Morph, "clustering: weight of the raw-waveform shape beside the model's embedding (0: embedding only)")
	fs.Float64Var(&o.Cluster.RRWeight, "cluster-rr", o.Cluster.RRWeight, "clustering: weight of ln(prematurity)")
	fs.Float64Var(&o.Costs.Queue.MinScore, "min-score", o.Costs.Queue.MinScore, "queue: leave out beats scoring less (without auto-accept)")
	fs.Float64Var(&o.Costs.Queue.Wo, "w-atypical", o.Costs.Queue.Wo, "queue: weight of a beat's atypicality in its cluster")
	fs.Float64Var(&o.Costs.Queue.Wd, "w-cluster", o.Costs.Queue.Wd, "queue: weight of disagreement with the cluster")
	fs.Float64Var(&o.Costs.Queue.Wr, "w-rr", o.Costs.Queue.Wr, "queue: weight of odd RR")
	fs.IntVar(&o.Costs.Questions, "questions", 0, "strategy d: the most questions of the adaptive queue the reader answers (0, the DS1 folds' choice: none)")
	fs.IntVar(&o.Costs.AskBatch, "ask-batch", 5, "strategy d: answers between two runs of the adapter")
	fs.IntVar(&o.Costs.AskPatience, "ask-patience", 3, "strategy d: the reader leaves the adaptive queue after this many answers in a row that needed no change (0: never early)")
	fs.BoolVar(&o.Costs.ConfirmCards, "confirm-cards", false, "strategy d: the reader confirms each template card that shows no wrong beat (a click and its class key)")
	fs.IntVar(&o.Costs.ConfirmMin, "confirm-min", 100, "strategy d: --confirm-cards confirms only cards of at least this many beats")
	fs.BoolVar(&o.Costs.ConfirmPages, "confirm-pages", false, "strategy d: the reader confirms each full-disclosure page once it is right (c), and the adapter learns from it before the next page")
	fs.IntVar(&o.Costs.AdaptEvery, "adapt-every", 0, "strategy d: in the last scan the reader fixes its picks once it has picked this many wrong beats and the adapter runs before it goes on (-1: at each page's end; 0: the adapter stays out of the scan)")
	fs.BoolVar(&o.Costs.SeenAgreed, "seen-agreed", false, "strategy d with --adapt-every: the beats the reader passed in the scan are taken as agreed (confirmed at no cost; the window does not do this)")
	fs.Float64Var(&o.Adapt.MinConfidence, "adapt-min-conf", adapt.ProductMinConfidence, "strategy d: the adapter overrules the population class only where its probability reaches this")
	fs.IntVar(&o.Adapt.Neighbours, "adapt-neighbours", adapt.ProductNeighbours, "strategy d: the adapter overrules the population class only where at least half of this many nearest reader labels hold its class (0: no such gate)")
	fs.IntVar(&o.Adapt.Crowd, "adapt-crowd", 0, "strategy d: the adapter overrules the population class only where a quarter of this many nearest beats of the look-alike group are reader labels of its class (0: no such gate)")
	fs.BoolVar(&o.groups, "adapt-groups", true, "strategy d: the adapter changes a beat's class only when its template cluster holds a reader label of the new class")
	fs.BoolVar(&o.Verbose, "v", false, "print each strategy's phases")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return o, err
	}
	if o.groups {
		o.Adapt.Group = func(int64) (int, bool) { return 0, false } // replaced by each record's clustering
	}
	if len(pos) > 0 || o.Data == "" || o.records == "" {
		return o, fmt.Errorf("%w: ecgstation bench-effort --data DIR --records LIST [--strategy a,b,c] [--model F] [--calib LIST]", errUsage)
	}
	return o, nil
}

// addBenchFlags adds the flags of a bench over a folder of records:
// --data and --records.
func addBenchFlags(fs *flag.FlagSet, data, records *string) {
	fs.StringVar(data, "data", "", "directory of the WFDB records and their reference .atr files")
	fs.StringVar(records, "records", "", "comma-separated record names, e.g. 100,103,105")
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

func modelPath(p, builtIn string) string {
	if p == "" {
		return "built-in " + builtIn
	}
	return p
}
