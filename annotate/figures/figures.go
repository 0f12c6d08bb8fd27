// Package figures holds the archive's figures of one record, as the archive
// view lists them: a Row per record (device, site, patient, hours, noise
// burden per lead, beats by class, AF burden, review state, model-reader
// agreement), a Segment per stretch of a record, and the names of the
// archive's plots. It is plain data: package store/archive computes the
// figures, draws the plots and exports the tables, and package ui shows
// them without importing store.
//
// It imports the standard library and annotate only.
package figures

import (
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Where a row's device came from.
const (
	FromCSV    = "csv"    // the user's devices CSV
	FromHeader = "header" // the record header (EDF+ recording field: equipment)
	FromFolder = "folder" // the name of the folder holding the record
)

// Row is one record of the archive with its figures, as the archive view
// lists it and the record-level CSV exports it.
type Row struct {
	ID     annotate.RecordID
	Name   string
	Path   string // last known path of the record file
	Format string
	// Device, Site and Patient group the records; DeviceFrom says where
	// Device came from (FromCSV, FromHeader, FromFolder). Patient is the
	// record name when nothing says otherwise (one patient per record).
	Device, Site, Patient string
	DeviceFrom            string
	Hours                 float64 // recording hours
	// Leads names the leads; NoisePct[i] is the share of the recording, in
	// percent, that lead i spends under noise stretches (its own or the
	// record-wide ones) of the label set the figures come from.
	Leads    []string
	NoisePct []float64
	// LabelSet is whose labels the figures come from: a reader, or the
	// model layer (store.ModelLayer) when no reader has labels.
	LabelSet annotate.ReaderID
	// Counts holds the beats by AAMI class ([annotate.ClassNone]: beats of
	// no class); Beats is their sum.
	Counts [annotate.ClassQ + 1]int
	Beats  int
	AFPct  float64 // AF burden: percent of the recording in AF episodes
	// State and Reader are the review status and reader of LabelSet, the
	// labels the figures come from (new and "" for the model layer; another
	// reader's sign-off does not sign these off); Reviewed is the beats a
	// reader looked at or set.
	State    annotate.State
	Reader   string
	Reviewed int
	// Agreement compares the model layer with the reader's label set where
	// a reader has one: AgreePairs beats matched (the union of both sets,
	// annotate.Agree), AgreePct the percent of them with the same class,
	// Kappa Cohen's kappa. AgreePairs is 0 and the others NaN when there is
	// no reader or no model layer.
	AgreePairs int
	AgreePct   float64
	Kappa      float64
	// Confusion counts the pairs by the reader's class (row) and the
	// model's (column), as annotate.Agreement does, so that groups of
	// records pool them (GroupBy's kappa); all zero without agreement.
	Confusion [annotate.ClassQ + 1][annotate.ClassQ + 1]int
}

// MeanNoisePct returns the record's noise burden averaged over its leads,
// percent (NaN without leads or of a record of unknown length).
func (r *Row) MeanNoisePct() float64 { return Mean(r.NoisePct) }

// Segment is one stretch of a record (the tidy segment-level table): its
// beats and AF burden, and the noise burden over its leads.
type Segment struct {
	Row   *Row // the record (its ID, name, device, site, patient, reader)
	Index int  // segment number from 0
	// Start and Dur are the segment's offset from the record start and
	// its length (the last one may be shorter).
	Start, Dur time.Duration
	Counts     [annotate.ClassQ + 1]int
	Beats      int
	AFPct      float64
	// NoisePct[i] is lead i's noise burden in the segment, percent;
	// AnyNoisePct the percent of the segment where any lead is noisy.
	NoisePct    []float64
	AnyNoisePct float64
}

// Mean returns the mean of xs, NaN when empty or when one is NaN.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// The plots of the archive, by name.
const (
	PlotNoiseByDevice     = "noise-device"
	PlotNoiseByLead       = "noise-lead-device"
	PlotAFByDevice        = "af-device"
	PlotAgreementByDevice = "agreement-device"
	PlotClassesByDevice   = "classes-device"
	PlotNoisePerRecord    = "noise-record"
)

// PlotKind names a plot of the archive and its title in a menu.
type PlotKind struct{ Name, Title string }

// PlotKinds are the plots of the archive, in menu order.
var PlotKinds = []PlotKind{
	{PlotNoiseByDevice, "Noise burden by device"},
	{PlotNoiseByLead, "Noise burden by device and lead"},
	{PlotAFByDevice, "AF burden by device"},
	{PlotAgreementByDevice, "Model–reader agreement by device"},
	{PlotClassesByDevice, "Beats per class by device"},
	{PlotNoisePerRecord, "Noise burden per record"},
}
