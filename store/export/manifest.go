package export

import (
	"encoding/json"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// FormatVersion is the version of the export format (docs/export-format.md).
const FormatVersion = 2

// manifestFormat is the format field of manifest.json.
const manifestFormat = "ecgstation training set"

// Manifest is manifest.json: where a training set came from and what is
// in it, so it can be rebuilt. It never holds patient data: no names,
// birth dates, recording dates or header comments of the record files.
type Manifest struct {
	Format        string       `json:"format"`         // "ecgstation training set"
	FormatVersion int          `json:"format_version"` // FormatVersion
	Ecgstation    string       `json:"ecgstation_version"`
	Created       string       `json:"created"` // RFC 3339, UTC
	Options       ManifestOpts `json:"options"`
	Labels        LabelInfo    `json:"labels"`
	Rhythm        RhythmInfo   `json:"rhythm"`
	Window        WindowInfo   `json:"window"`
	Records       []RecordInfo `json:"records"`
	Skipped       []Skipped    `json:"skipped,omitempty"`
	Models        []ModelUse   `json:"models"`
	Counts        Counts       `json:"counts"`
	Files         []FileSum    `json:"files"` // every file written but the manifest itself
}

// ManifestOpts are every option of the export, in flag form.
type ManifestOpts struct {
	Records      []string  `json:"records"`
	Reader       string    `json:"reader"`
	Formats      []string  `json:"formats"`
	Fs           float64   `json:"fs"`
	Before       float64   `json:"before_s"`
	After        float64   `json:"after_s"`
	Labels       string    `json:"labels"`
	Split        []float64 `json:"split"`
	Seed         uint64    `json:"seed"`
	Balance      string    `json:"balance"`
	BalanceScope string    `json:"balance_scope"`
	ExcludeNoise bool      `json:"exclude_noise"`
	ReviewedOnly bool      `json:"reviewed_only"`
	Leads        []int     `json:"leads"`
	Segment      float64   `json:"segment_s"`
	MaxRR        int       `json:"max_rr"`
	Compress     bool      `json:"compress"`
	// PatientKeys says a patient map grouped records for the split.
	PatientKeys bool   `json:"patient_keys,omitempty"`
	AnnExt      string `json:"ann_ext,omitempty"`
}

// LabelInfo is the beat label schema.
type LabelInfo struct {
	Schema      string              `json:"schema"`  // "aami" or "mit"
	Classes     []string            `json:"classes"` // y indexes this
	Mapping     map[string][]string `json:"mapping"` // class -> WFDB symbols
	AAMIMapping string              `json:"aami_mapping"`
	Sources     []string            `json:"sources"` // source indexes this
	Reviews     []string            `json:"reviews"` // review indexes this
	Splits      []string            `json:"splits"`  // split indexes this
}

// RhythmInfo is the rhythm label schema of rhythm.npz.
type RhythmInfo struct {
	Classes     []string            `json:"classes"`
	Mapping     map[string][]string `json:"mapping"` // class -> episode rhythms
	BeatClasses []string            `json:"beat_classes"`
	SegmentS    float64             `json:"segment_s"`
	HopS        float64             `json:"hop_s"`
	MaxRR       int                 `json:"max_rr"`
}

// WindowInfo describes x.
type WindowInfo struct {
	Fs         float64 `json:"fs"`
	Before     int     `json:"before_samples"`
	After      int     `json:"after_samples"`
	Units      string  `json:"units"`
	Resampling string  `json:"resampling"`
}

// RecordInfo is one record of the export. Name is the record file's name
// (stem), never a header field.
type RecordInfo struct {
	Index    int    `json:"index"` // value of the record arrays
	Key      string `json:"key"`   // records[index]
	ID       string `json:"id"`    // SHA-256 of the record's files
	Name     string `json:"name"`
	Reader   string `json:"reader"`
	LabelRev uint64 `json:"label_rev"`
	Status   string `json:"status"`
	Split    string `json:"split"`
	// Patient is an opaque index ("p001", ...) shared by the records of
	// one patient key (Options.Patients) within this export, never derived
	// from the key; absent when the record has none.
	Patient  string           `json:"patient,omitempty"`
	Fs       float64          `json:"fs"`
	NSamples int64            `json:"nsamples"`
	Leads    []string         `json:"leads"`
	Beats    map[string]int64 `json:"candidates"` // per class, before balancing
	LeftOut  map[string]int64 `json:"left_out"`
	Segments int64            `json:"segments"`
}

// Skipped is a record left out as a whole, and why.
type Skipped struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Why  string `json:"why"`
}

// ModelUse is a model version whose suggestions are in the export.
type ModelUse struct {
	Who      string `json:"who"` // "name@version"
	Beats    int64  `json:"beats"`
	Episodes int64  `json:"episodes"`
}

// Counts are the kept beats and segments per split and class.
type Counts struct {
	Beats    map[string]map[string]int64 `json:"beats"`
	Segments map[string]map[string]int64 `json:"segments"`
	NBeats   int64                       `json:"n_beats"`
	NSegs    int64                       `json:"n_segments"`
}

var splitNames = []string{"train", "val", "test"}

const resamplingNote = "polyphase Kaiser-windowed sinc (beta 6, 10 zero crossings), cut-off 0.45*min(fs_in, fs_out), taps normalised to unit DC gain; identity when fs_in == fs_out"

func (e *exporter) manifest() *Manifest {
	o := e.opt
	m := &Manifest{Format: manifestFormat, FormatVersion: FormatVersion, Ecgstation: o.Version,
		Created: o.Now().UTC().Format("2006-01-02T15:04:05Z07:00"),
		Options: ManifestOpts{Records: o.Records, Reader: string(o.Reader), Formats: o.Formats, Fs: o.Fs,
			Before: o.Before, After: o.After, Labels: o.Labels, Split: o.Split[:], Seed: o.Seed,
			Balance: o.Balance.String(), BalanceScope: "train split only", ExcludeNoise: o.ExcludeNoise,
			ReviewedOnly: o.ReviewedOnly, Leads: o.Leads, Segment: o.Segment, MaxRR: o.MaxRR, Compress: o.Compress,
			PatientKeys: len(o.Patients) > 0},
		Labels: LabelInfo{Schema: e.sch.name, Classes: e.sch.classes, Mapping: e.sch.mapping(),
			AAMIMapping: annotate.AAMIMapping, Sources: []string{"reference", "detector", "model", "reader", "propagated", "adapted"},
			Reviews: []string{"unreviewed", "confirmed", "changed"}, Splits: splitNames},
		Rhythm:  e.rhythmInfo(),
		Window:  WindowInfo{Fs: o.Fs, Before: o.samplesBefore(), After: o.samplesAfter(), Units: "mV", Resampling: resamplingNote},
		Skipped: e.skipped, Counts: e.countsOut(), Files: e.written,
	}
	if o.has("wfdb") {
		m.Options.AnnExt = o.AnnExt
	}
	for _, p := range e.plans {
		m.Records = append(m.Records, e.recordOut(p))
	}
	m.Models = []ModelUse{}
	for _, u := range e.models {
		m.Models = append(m.Models, *u)
	}
	sort.Slice(m.Models, func(i, j int) bool { return m.Models[i].Who < m.Models[j].Who })
	return m
}

func (e *exporter) recordOut(p *recPlan) RecordInfo {
	r := RecordInfo{Index: p.idx, Key: p.key(), ID: string(p.entry.ID), Name: p.info.Name, Reader: string(p.reader),
		LabelRev: p.spans.Rev, Status: p.spans.Status.State.String(), Split: splitNames[p.split], Patient: p.patientIndex, Fs: p.info.Fs,
		NSamples: p.info.NSamples, Beats: map[string]int64{}, LeftOut: p.leftOut, Segments: p.segs}
	for _, l := range p.leads {
		r.Leads = append(r.Leads, p.info.Leads[l].Name)
	}
	for c, n := range p.cand {
		if n > 0 {
			r.Beats[e.sch.classes[c]] = n
		}
	}
	return r
}

func (e *exporter) countsOut() Counts {
	c := Counts{Beats: map[string]map[string]int64{}, Segments: map[string]map[string]int64{}}
	for s, name := range splitNames {
		c.Beats[name] = map[string]int64{}
		for k, n := range e.counts[s] {
			c.Beats[name][e.sch.classes[k]] = n
			c.NBeats += n
		}
		c.Segments[name] = map[string]int64{}
		for k, n := range e.rhythm[s] {
			c.Segments[name][k] = n
			c.NSegs += n
		}
	}
	return c
}

// writeManifest writes manifest.json, the last file of the export.
func (e *exporter) writeManifest(m *Manifest) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	f, err := e.create("manifest.json")
	if err != nil {
		return err
	}
	_, err = f.Write(append(raw, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
