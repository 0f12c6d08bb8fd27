package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/ecgstation/ecgstation/store"
)

// infoLead is one lead in info's output.
type infoLead struct {
	Name     string  `json:"name"`
	Units    string  `json:"units"`
	Gain     float64 `json:"gain"`
	Baseline int32   `json:"baseline"`
	ADCRes   int     `json:"adc_resolution,omitempty"`
}

// infoOut is what "ecgstation info" prints.
type infoOut struct {
	Record          string     `json:"record"`
	ID              string     `json:"id,omitempty"` // with --hash: store.HashRecord
	Format          string     `json:"format"`
	Fs              float64    `json:"fs"`
	Samples         int64      `json:"samples"`
	DurationSeconds float64    `json:"duration_s"`
	Duration        string     `json:"duration"`
	Start           string     `json:"start,omitempty"`
	Leads           []infoLead `json:"leads"`
	AnnotationFiles []string   `json:"annotation_files"`
	Reference       string     `json:"reference,omitempty"`
	Beats           int        `json:"reference_beats"`
	Episodes        int        `json:"reference_episodes"`
}

func runInfo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("info", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	hash := fs.Bool("hash", false, "also print the record's content hash, its id in label databases and exports (reads every sample file)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: ecgstation info RECORD [--json] [--hash]", errUsage)
	}
	r, err := store.Open(pos[0])
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.LoadReference(); err != nil {
		return fmt.Errorf("reading the annotations of %s: %w", pos[0], err)
	}
	out := describe(r)
	if *hash {
		id, err := store.HashRecord(r.Path)
		if err != nil {
			return err
		}
		out.ID = string(id)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printInfo(stdout, out)
	return nil
}

func describe(r *store.Recording) infoOut {
	in := r.Signal.Info()
	out := infoOut{
		Record: in.Name, Format: in.Format, Fs: in.Fs, Samples: in.NSamples,
		DurationSeconds: in.Duration().Seconds(), Duration: formatClock(in.Duration()),
		AnnotationFiles: r.AnnotationFiles, Reference: r.RefExt,
		Beats: countBeats(r), Episodes: len(r.Episodes),
	}
	if out.AnnotationFiles == nil {
		out.AnnotationFiles = []string{}
	}
	if !in.Start.IsZero() {
		out.Start = in.Start.Format("2006-01-02 15:04:05.000")
	}
	for _, l := range in.Leads {
		out.Leads = append(out.Leads, infoLead{Name: l.Name, Units: l.Units, Gain: l.Gain, Baseline: l.Baseline, ADCRes: l.ADCRes})
	}
	return out
}

func countBeats(r *store.Recording) int {
	n := 0
	for _, b := range r.Beats {
		if b.Code.IsBeat() {
			n++
		}
	}
	return n
}

func printInfo(w io.Writer, o infoOut) {
	fmt.Fprintf(w, "record     %s\nformat     %s\nfs         %g Hz\nsamples    %d per lead\nduration   %s\n",
		o.Record, o.Format, o.Fs, o.Samples, o.Duration)
	if o.Start != "" {
		fmt.Fprintf(w, "start      %s\n", o.Start)
	}
	if o.ID != "" {
		fmt.Fprintf(w, "id         %s\n", o.ID)
	}
	fmt.Fprintf(w, "leads      %d\n", len(o.Leads))
	for i, l := range o.Leads {
		fmt.Fprintf(w, "  %d  %-10s gain %g adu/%s, baseline %d\n", i, l.Name, l.Gain, l.Units, l.Baseline)
	}
	fmt.Fprintf(w, "annotation files: %v\n", o.AnnotationFiles)
	if o.Reference != "" {
		fmt.Fprintf(w, "reference  %s: %d beats, %d rhythm episodes\n", o.Reference, o.Beats, o.Episodes)
	}
}

// formatClock prints a duration as h:mm:ss.mmm (days as d+h:mm:ss).
func formatClock(d time.Duration) string {
	ms := d.Milliseconds()
	h, m, s := ms/3600000, ms/60000%60, float64(ms%60000)/1000
	if h >= 24 {
		return fmt.Sprintf("%dd+%d:%02d:%06.3f", h/24, h%24, m, s)
	}
	return fmt.Sprintf("%d:%02d:%06.3f", h, m, s)
}
