package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// command is one subcommand of the ecgstation binary.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands are the subcommands of the ecgstation binary, sorted by name.
// A new command is a row here.
var commands = []command{
	{name: "adapt", summary: "the per-record adapter of a record: show it, switch it off or on (a data scientist's choice), run it", run: runAdapt},
	{name: "agree", summary: "reader-versus-reader agreement: per-class kappa, EC57 Se/+P and the adjudication list", run: runAgree},
	{name: "annotate", summary: "pre-annotate records with the models: WFDB annotation files, label database, summary and throughput", run: runAnnotate},
	{name: "archive", summary: "sum up a label database per record, device or site (hours, noise per lead, beats per class, AF, model-vs-reader agreement); tidy CSV; archive fit: a linear mixed-effects model of a figure (a random intercept per patient)", run: runArchive},
	{name: "batch", summary: "pre-annotate an archive shard by shard (a Slurm job array: app/batch/slurm), resumable; merge the shards' bundles into one database", run: runBatch},
	{name: "bench-adapt", summary: "labels-to-accuracy curve: EC57 Se/+P per class after the simulated reader answers k questions of the adaptive queue", run: runBenchAdapt},
	{name: "bench-effort", summary: "simulate a reader correcting records to full agreement: actions per 1000 beats by strategy", run: runBenchEffort},
	{name: "bench-qrs", summary: "detect and evaluate a whole database (EC57 tables, DS1/DS2, non-paced)", run: runBenchQRS},
	{name: "bundle-export", summary: "write reader label sets to a label bundle for another laptop", run: runBundleExport},
	{name: "bundle-import", summary: "merge a label bundle into a label database, listing conflicts", run: runBundleImport},
	{name: "check", summary: "consistency checks of a record's labels (VT, pauses, S in AF, noise, sign-off...)", run: runCheck},
	{name: "cinc-beats", summary: "detect the beats of the CinC 2017 recordings and write them with each record's label (CSV) for training", run: runCinCBeats},
	{name: "compare-models", summary: "model A/B against a reference label set (the beats readers own): both EC57 tables, per record, and every beat whose label flips", run: runCompareModels},
	{name: "db", summary: "check a label database for damage (db check FILE), or copy what is readable into a new one (db salvage FILE --out NEW)", run: runDB},
	{name: "detect", summary: "detect QRS complexes and write them as WFDB annotations", run: runDetect},
	{name: "dump", summary: "samples as tab-separated text, like WFDB's rdsamp", run: runDump},
	{name: "eval", summary: "compare annotation files beat by beat (EC57, like bxb + sumstats)", run: runEval},
	{name: "export", summary: "training set (beats.npz, rhythm.npz, manifest.json) split by patient, CSV, WFDB annotations or EDF+ from a label database", run: runExport},
	{name: "import-ann", summary: "bring WFDB annotation files in as a named reader's labels", run: runImportAnn},
	{name: "info", summary: "what a record is: format, fs, leads, duration, annotation files", run: runInfo},
	{name: "nst", summary: "noise stress test of the QRS detector (MIT-BIH NST protocol)", run: runNST},
	{name: "open", summary: "the window on a record (the demo record when none is given)", run: runOpen},
	{name: "plot", summary: "plot a record's HR trend, tachogram, Poincaré, AF/ectopy per hour or Bland-Altman as PNG, SVG or PDF", run: runPlot},
	{name: "report", summary: "Holter-style PDF report of a record from a label database", run: runReport},
	{name: "synth", summary: "write a synthetic WFDB record with reference annotations", run: runSynth},
	{name: "version", summary: "the build's version and the built-in models' versions (also --version)", run: runVersion},
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	i, ok := slices.BinarySearchFunc(commands, name, func(c command, n string) int { return strings.Compare(c.name, n) })
	if !ok {
		return command{}, false
	}
	return commands[i], true
}

// printHelp lists the commands, their summaries aligned in one column.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, "usage: ecgstation [command] [arguments]\n\ncommands:")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"ecgstation help COMMAND\" (or \"ecgstation COMMAND -h\") for a command's options.")
	fmt.Fprintln(w, "\nexit status: 0 done, 1 failed, 2 wrong arguments (usage), "+
		"3 done without models (annotate without ONNX Runtime: beats unclassified, from the QRS detector only)")
}

// commandHelp prints the options of the command called name, as its -h
// does, to w.
func commandHelp(name string, w io.Writer) int {
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(w, "ecgstation help: unknown command %q\n", name)
		printHelp(w)
		return 2
	}
	fmt.Fprintf(w, "ecgstation %s: %s\n\n", c.name, c.summary)
	if err := c.run([]string{"-h"}, w, w); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(w, "ecgstation %s: %v\n", name, err)
	}
	return 0
}
