package archive

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ecgstation/ecgstation/annotate"
)

// The tidy CSV tables (one observation a row, one variable a column, in
// snake_case; an empty cell is a figure that cannot be computed, such as
// the agreement of a record no reader read). Percentages are 0..100 and
// durations in seconds or hours as the column says. Nothing that may
// identify a patient is written: no header comment, no recording date or
// time, no file path (the record id finds the record in the database).
// Device, site and patient are what the user's CSV says, else the EDF+
// equipment word, the folder name and the record (see Row).
//
// WriteRecordsCSV, one row per record:
//
//	record_id       the record's id (SHA-256 of its content)
//	record          record name
//	format          WFDB, EDF, EDF+, BDF, ISHNE...
//	device, site, patient   the grouping variables (see Row)
//	device_from     csv, header or folder: where device came from
//	hours           recording hours
//	leads           number of leads
//	noise_pct_mean  noise burden, mean over the leads (per lead: WriteLeadNoiseCSV)
//	noise_pct_max   noise burden of the noisiest lead
//	label_set       whose labels the figures come from (a reader, or "model")
//	state           review status: new, in progress, signed off
//	reader          who signed off, else the reader of label_set
//	beats           QRS complexes; beats_n, beats_s, beats_v, beats_f,
//	                beats_q by AAMI class, beats_other those of no class
//	reviewed_beats  beats a reader looked at or set
//	af_pct          AF burden: percent of the recording in AFIB episodes
//	agree_pairs     model-versus-reader beat pairs (150 ms), empty without both
//	agree_pct       percent of the pairs of the same class
//	kappa           Cohen's kappa of the model against the reader
//
// WriteSegmentsCSV, one row per record and segment: record_id, record,
// device, site, patient, label_set, segment (from 0), start_s and dur_s
// (offset from the record start, length), beats and beats by class as
// above, af_pct, noise_any_pct (percent of the segment where any lead is
// noisy) and noise_pct_mean.
//
// WriteLeadNoiseCSV, one row per record, segment and lead: record_id,
// record, device, site, patient, label_set, segment, start_s, dur_s, lead
// (index from 0), lead_name and noise_pct.

// modelName is how the CSV tables name the model layer as a label set.
const modelName = "model"

var recordCols = []string{"record_id", "record", "format", "device", "site", "patient", "device_from",
	"hours", "leads", "noise_pct_mean", "noise_pct_max", "label_set", "state", "reader"}

var figureCols = []string{"reviewed_beats", "af_pct", "agree_pairs", "agree_pct", "kappa"}

var beatCols = []string{"beats", "beats_n", "beats_s", "beats_v", "beats_f", "beats_q", "beats_other"}

var segCols = []string{"record_id", "record", "device", "site", "patient", "label_set", "segment", "start_s", "dur_s"}

// WriteRecordsCSV writes one row per record (see the table above).
func WriteRecordsCSV(w io.Writer, rows []Row) error {
	return writeTable(w, cat(recordCols, beatCols, figureCols), len(rows), func(i int) [][]string {
		r := &rows[i]
		rec := []string{string(r.ID), r.Name, r.Format, r.Device, r.Site, r.Patient, r.DeviceFrom,
			num(r.Hours), strconv.Itoa(len(r.Leads)), num(r.MeanNoisePct()), num(maxOf(r.NoisePct)),
			LabelSetName(r.LabelSet), r.State.String(), r.Reader}
		rec = append(rec, beatCells(r.Beats, r.Counts)...)
		agree := []string{"", "", ""}
		if r.AgreePairs > 0 {
			agree = []string{strconv.Itoa(r.AgreePairs), num(r.AgreePct), num(r.Kappa)}
		}
		return [][]string{append(append(rec, strconv.Itoa(r.Reviewed), num(r.AFPct)), agree...)}
	})
}

// WriteSegmentsCSV writes one row per record and segment.
func WriteSegmentsCSV(w io.Writer, segs []Segment) error {
	return writeTable(w, cat(segCols, beatCols, []string{"af_pct", "noise_any_pct", "noise_pct_mean"}), len(segs), func(i int) [][]string {
		s := &segs[i]
		rec := append(segKey(s), beatCells(s.Beats, s.Counts)...)
		return [][]string{append(rec, num(s.AFPct), num(s.AnyNoisePct), num(mean(s.NoisePct)))}
	})
}

// WriteLeadNoiseCSV writes one row per record, segment and lead: the lead
// is a variable, so the table is tidy whatever the leads of each record.
func WriteLeadNoiseCSV(w io.Writer, segs []Segment) error {
	return writeTable(w, cat(segCols, []string{"lead", "lead_name", "noise_pct"}), len(segs), func(i int) [][]string {
		s := &segs[i]
		out := make([][]string, len(s.NoisePct))
		for l, p := range s.NoisePct {
			name := ""
			if l < len(s.Row.Leads) {
				name = s.Row.Leads[l]
			}
			out[l] = append(segKey(s), strconv.Itoa(l), name, num(p))
		}
		return out
	})
}

// writeTable writes the header and the rows rowsOf(i) gives for i < n.
func writeTable(w io.Writer, head []string, n int, rowsOf func(i int) [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("archive: write CSV: %w", err)
	}
	for i := range n {
		for _, rec := range rowsOf(i) {
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("archive: write CSV: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("archive: write CSV: %w", err)
	}
	return nil
}

// segKey returns the cells that name a segment.
func segKey(s *Segment) []string {
	r := s.Row
	return []string{string(r.ID), r.Name, r.Device, r.Site, r.Patient, LabelSetName(r.LabelSet),
		strconv.Itoa(s.Index), num(s.Start.Seconds()), num(s.Dur.Seconds())}
}

// beatCells returns the beats column and the beats by class.
func beatCells(beats int, counts [annotate.ClassQ + 1]int) []string {
	out := []string{strconv.Itoa(beats)}
	for _, k := range annotate.Classes {
		out = append(out, strconv.Itoa(counts[k]))
	}
	return append(out, strconv.Itoa(counts[annotate.ClassNone]))
}

// LabelSetName names a label set as the tables do: the reader, or "model"
// for the model layer.
func LabelSetName(r annotate.ReaderID) string {
	if r == "" {
		return modelName
	}
	return string(r)
}

// num formats a figure with at most 4 decimals, NaN as an empty cell.
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(math.Round(x*1e4)/1e4, 'f', -1, 64)
}

// maxOf returns the largest of xs, NaN when empty.
func maxOf(xs []float64) float64 {
	m := nan
	for _, x := range xs {
		if !(x <= m) {
			m = x
		}
	}
	return m
}

// cat joins column lists.
func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
