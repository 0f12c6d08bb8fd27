package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/app/research"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
)

// benchAdaptOpts are the flags of bench-adapt.
type benchAdaptOpts struct {
	research.CurveOptions
	records, labels, without string // comma-separated lists
	beat                     string // model file; "" means the built-in model
	sharedFlags
}

// runBenchAdapt is "ecgstation bench-adapt": the labels-to-accuracy curve
// of the per-record adapter (research.AdaptCurve).
func runBenchAdapt(args []string, stdout, stderr io.Writer) error {
	o, err := parseBenchAdaptFlags(args, stderr)
	if err != nil {
		return err
	}
	o.BeatName = modelPath(o.beat, assets.BeatModelName)
	ms, svc, err := benchModels("bench-adapt", o.ortLib, o.beat, "", false)
	defer svc.Close()
	if err != nil {
		return err
	}
	return research.AdaptCurve(o.CurveOptions, ms, stdout)
}

func parseBenchAdaptFlags(args []string, stderr io.Writer) (benchAdaptOpts, error) {
	fs := newFlags("bench-adapt", stderr)
	o := benchAdaptOpts{CurveOptions: research.CurveOptions{Costs: sim.DefaultCosts(), Cluster: cluster.DefaultOptions()}}
	addBenchFlags(fs, &o.Data, &o.records)
	fs.StringVar(&o.labels, "labels", "0,10,25,50,100", "numbers of answered questions per record, e.g. 0,10,25,50,100")
	fs.StringVar(&o.without, "gross-without", "232", "records left out of the second gross line (none: \"\")")
	fs.BoolVar(&o.Whole, "whole", false, "score the whole record (default: EC57, from minute 5)")
	fs.IntVar(&o.Costs.AskBatch, "ask-batch", 5, "answers between two runs of the adapter")
	fs.Float64Var(&o.Adapt.MinConfidence, "adapt-min-conf", adapt.ProductMinConfidence, "the adapter overrules the population class only where its probability reaches this")
	fs.IntVar(&o.Adapt.Neighbours, "adapt-neighbours", adapt.ProductNeighbours, "the adapter overrules the population class only where at least half of this many nearest reader labels hold its class (0: no such gate)")
	fs.StringVar(&o.beat, "model", "", "beat model (ONNX with the model contract); default: the built-in "+assets.BeatModelName)
	o.add(fs, withORTLib)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) > 0 || o.Data == "" || o.records == "" {
		return o, fmt.Errorf("%w: ecgstation bench-adapt --data DIR --records LIST [--labels 0,10,25,50,100] [--model F]", errUsage)
	}
	if o.Costs.AskBatch <= 0 {
		return o, fmt.Errorf("%w: --ask-batch %d: give at least 1 answer between two runs of the adapter", errUsage, o.Costs.AskBatch)
	}
	o.Records, o.Without = commaList(o.records), commaList(o.without)
	o.Labels, err = parseLabelSteps(o.labels)
	return o, err
}

// parseLabelSteps reads --labels: non-negative whole numbers, ascending.
func parseLabelSteps(s string) ([]int, error) {
	var out []int
	for _, x := range commaList(s) {
		k, err := strconv.Atoi(x)
		if err != nil || k < 0 {
			return nil, fmt.Errorf("%w: --labels: %q is not a number of answers (a whole number, 0 or more)", errUsage, x)
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: --labels: no number of answers, e.g. --labels 0,10,25", errUsage)
	}
	if !slices.IsSorted(out) || len(slices.Compact(slices.Clone(out))) != len(out) {
		return nil, fmt.Errorf("%w: --labels %s: give the numbers of answers in increasing order, each once", errUsage, s)
	}
	return out, nil
}
