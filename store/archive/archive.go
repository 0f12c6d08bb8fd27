// Package archive sums up the records of a label database for data
// scientists: per record and per device or site, the recording hours, the
// noise burden of each lead, the beats per class, the AF burden, how far the
// models agree with the readers where a reader reviewed, and the review
// status. It exports the figures as tidy CSV tables (one row per record, per
// record segment, or per segment and lead) and fits a linear mixed-effects
// model of one figure (a random intercept per patient) to them.
//
// Device, site and patient come from a CSV the user supplies, else from the
// record's header (the EDF+ equipment field), else from the record's folder.
package archive

import "github.com/ecgstation/ecgstation/annotate/figures"

// Where a row's device came from (figures.FromCSV...).
const (
	FromCSV    = figures.FromCSV    // the user's devices CSV
	FromHeader = figures.FromHeader // the record header (EDF+ recording field: equipment)
	FromFolder = figures.FromFolder // the name of the folder holding the record
)

// Row is one record of the archive with its figures, as the archive view
// lists it and the record-level CSV exports it (figures.Row: package ui
// lists rows without importing store).
type Row = figures.Row

// Segment is one stretch of a record (the tidy segment-level table):
// figures.Segment.
type Segment = figures.Segment
