package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// ErrPDF wraps errors of the PDF writer.
var ErrPDF = errors.New("report: cannot write the PDF")

// Options set the PDF report.
type Options struct {
	Stats stats.Options
	Check check.Options
	// MaxStrips caps the ECG strips of key events (12).
	MaxStrips int
	// StripSeconds is the length of a strip (7 s: 175 mm at 25 mm/s).
	StripSeconds float64
	// Now stamps the report; time.Now when nil.
	Now func() time.Time
	// NoCompress writes the PDF's streams uncompressed (for tests that
	// read its text).
	NoCompress bool
}

// DefaultOptions returns the report's defaults.
func DefaultOptions() Options {
	return Options{Stats: stats.DefaultOptions(), Check: check.DefaultOptions(), MaxStrips: 12, StripSeconds: 7}
}

// Page geometry, mm (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 12.0
	textW        = pageW - 2*margin
)

// doc is a report being written.
type doc struct {
	pdf  *fpdf.Fpdf
	tr   func(string) string // UTF-8 to the core fonts' cp1252
	d    *Data
	sig  annotate.Signal
	in   stats.Input
	sum  *stats.Summary
	find []check.Finding
	opt  Options
	now  time.Time
	nimg int
}

// WritePDF writes the Holter report of d (signal sig, for the strips) to w.
// It prints no patient data: not the record's header comments, not the
// date of the recording (times of day only).
func WritePDF(w io.Writer, d *Data, sig annotate.Signal, opt Options) error {
	in := d.Input()
	sum, err := stats.Compute(in, opt.Stats)
	if err != nil {
		return fmt.Errorf("report %s: %w", d.Entry.Info.Name, err)
	}
	find, err := check.Run(check.Input{Input: in, Status: d.Labels.Status}, opt.Check)
	if err != nil {
		return fmt.Errorf("report %s: %w", d.Entry.Info.Name, err)
	}
	g := &doc{d: d, sig: sig, in: in, sum: sum, find: find, opt: opt, now: time.Now()}
	if opt.Now != nil {
		g.now = opt.Now()
	}
	g.setup()
	for _, page := range []func() error{g.summaryPage, g.episodePage, g.stripPages} {
		if err := page(); err != nil {
			return err
		}
	}
	if err := g.pdf.Output(w); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPDF, d.Entry.Info.Name, err)
	}
	return nil
}

// setup makes the document with fixed metadata (no dates of the record).
func (g *doc) setup() {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin+4)
	p.SetCompression(!g.opt.NoCompress)
	p.SetCreator("ECG Station", false)
	p.SetTitle("Holter report "+g.d.Entry.Info.Name, false)
	p.SetCreationDate(g.now.UTC())
	p.SetModificationDate(g.now.UTC())
	p.SetCatalogSort(true)
	p.AliasNbPages("{nb}")
	g.tr = p.UnicodeTranslatorFromDescriptor("")
	p.SetFooterFunc(func() {
		p.SetY(-margin)
		g.font("", 7)
		p.SetTextColor(110, 110, 110)
		p.CellFormat(textW/2, 4, g.tr("ECG Station Holter report, record "+g.d.Entry.Info.Name), "", 0, "L", false, 0, "")
		p.CellFormat(textW/2, 4, fmt.Sprintf("page %d of {nb}", p.PageNo()), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	g.pdf = p
}

func (g *doc) font(style string, size float64) { g.pdf.SetFont("Helvetica", style, size) }

// heading writes a section heading.
func (g *doc) heading(s string) {
	g.pdf.Ln(2)
	g.font("B", 11)
	g.pdf.CellFormat(textW, 6, g.tr(s), "B", 1, "L", false, 0, "")
	g.pdf.Ln(1.5)
}

// row writes a key and value line of a summary table.
func (g *doc) row(key, value string) {
	g.font("B", 9)
	g.pdf.CellFormat(48, 5, g.tr(key), "", 0, "L", false, 0, "")
	g.font("", 9)
	g.pdf.MultiCell(textW-48, 5, g.tr(value), "", "L", false)
}

// clock formats sample t as a time of day (or elapsed time).
func (g *doc) clock(t int64) string { return stats.Clock(g.sum.Start, g.sum.Fs, t) }

// err returns the document's error, if any, wrapped.
func (g *doc) err() error {
	if err := g.pdf.Error(); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrPDF, g.d.Entry.Info.Name, err)
	}
	return nil
}
