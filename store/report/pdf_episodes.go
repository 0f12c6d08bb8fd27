package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

// Table limits: longer lists end with "and N more".
const (
	maxEpisodeRows = 40
	maxFindingRows = 12
	maxCheckRows   = 20
)

// episodePage writes the episode list, the consistency findings and the
// RR and hourly plots.
func (g *doc) episodePage() error {
	p := g.pdf
	p.AddPage()
	g.heading("Episodes")
	g.episodeTable()
	if len(g.sum.LongRRToCheck) > 0 {
		g.heading("Long RR intervals in noise or artefact: check each")
		g.checkTable()
	}
	g.heading("Consistency checks")
	g.findingTable()
	if p.GetY() > pageH-margin-75 {
		p.AddPage()
	}
	g.heading("Hourly figures")
	g.pairOfPlots(chart.Ectopy, chart.AFBurden, 55)
	return g.err()
}

// pairOfPlots draws two plots side by side, h mm high, and moves below them.
func (g *doc) pairOfPlots(a, b func(stats.Input) (*plot.Plot, error), h float64) {
	y := g.pdf.GetY()
	g.plotAt(a, margin, y, textW/2-1, h)
	g.plotAt(b, margin+textW/2+1, y, textW/2-1, h)
	g.pdf.SetXY(margin, y+h+1)
}

// plotAt draws plot kind f at (x, y), w x h mm.
func (g *doc) plotAt(f func(stats.Input) (*plot.Plot, error), x, y, w, h float64) {
	pl, err := f(g.in)
	g.pdf.SetXY(x, y)
	if err != nil {
		g.note("No plot: " + err.Error())
		return
	}
	g.image(pl, w, h)
}

var episodeCols = []struct {
	title string
	w     float64
	align string
}{{"rhythm", 32, "L"}, {"start", 22, "L"}, {"end", 22, "L"}, {"duration", 24, "R"}, {"beats", 18, "R"}, {"min HR", 22, "R"}, {"mean HR", 22, "R"}, {"max HR", 22, "R"}}

// episodeTable lists the episodes other than normal sinus rhythm.
func (g *doc) episodeTable() {
	eps := g.sum.Episodes
	if len(eps) == 0 {
		g.note("No episodes.")
		return
	}
	p := g.pdf
	g.font("B", 8)
	p.SetFillColor(230, 230, 230)
	for _, c := range episodeCols {
		p.CellFormat(c.w, 5, c.title, "B", 0, c.align, true, 0, "")
	}
	p.Ln(-1)
	g.font("", 8)
	for i, e := range eps {
		if i == maxEpisodeRows {
			g.note(fmt.Sprintf("... and %d more episodes.", len(eps)-i))
			break
		}
		cells := []string{chart.RhythmName(e.Rhythm), g.clock(e.Start), g.clock(e.End),
			stats.Elapsed(e.Duration(g.sum.Fs)), fmt.Sprint(e.Beats), bpm(e.MinHR), bpm(e.MeanHR), bpm(e.MaxHR)}
		if d := e.Duration(g.sum.Fs).Seconds(); d < 60 {
			cells[3] = fmt.Sprintf("%.1f s", d)
		}
		for k, c := range episodeCols {
			p.CellFormat(c.w, 4.5, g.tr(cells[k]), "", 0, c.align, i%2 == 1, 0, "")
		}
		p.Ln(-1)
	}
	g.rateNotes(eps[:min(len(eps), maxEpisodeRows)])
}

// rateNotes says, under the episode table, why episodes show no heart rate
// ("-"), once per reason, with how many episodes it holds for.
func (g *doc) rateNotes(eps []stats.EpisodeSummary) {
	var notes []string
	count := map[string]int{}
	for _, e := range eps {
		if e.RateNote != "" && count[e.RateNote] == 0 {
			notes = append(notes, e.RateNote)
		}
		count[e.RateNote]++
	}
	for _, n := range notes {
		g.note(fmt.Sprintf("HR \"-\" (%d episodes): %s.", count[n], n))
	}
}

func bpm(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.0f", v)
}

// findingTable lists the first consistency findings.
func (g *doc) findingTable() {
	if len(g.find) == 0 {
		g.note("No findings: the labels are consistent by every rule of package check.")
		return
	}
	p := g.pdf
	for i, f := range g.find {
		if i == maxFindingRows {
			g.note(fmt.Sprintf("... and %d more findings (ecgstation check lists them all).", len(g.find)-i))
			break
		}
		g.font("", 8)
		p.CellFormat(20, 4.5, g.clock(f.Sample), "", 0, "L", false, 0, "")
		g.font("B", 8)
		p.CellFormat(30, 4.5, string(f.Rule), "", 0, "L", false, 0, "")
		g.font("", 8)
		p.MultiCell(textW-50, 4.5, g.tr(f.Message), "", "L", false)
	}
}

// checkTable lists the long RR intervals a mark touches (longest first),
// with the marks: a pause there is possible, or beats lost in the artefact.
func (g *doc) checkTable() {
	rrs := slices.Clone(g.sum.LongRRToCheck)
	slices.SortStableFunc(rrs, func(a, b stats.RR) int { return cmp.Compare(b.Sec, a.Sec) })
	g.font("", 8)
	for i, r := range rrs {
		if i == maxCheckRows {
			g.note(fmt.Sprintf("... and %d more (the overview's noise track shows them all).", len(rrs)-i))
			break
		}
		g.pdf.CellFormat(20, 4.5, g.clock(r.Prev), "", 0, "L", false, 0, "")
		g.pdf.CellFormat(20, 4.5, fmt.Sprintf("%.2f s", r.Sec), "", 0, "R", false, 0, "")
		g.pdf.MultiCell(textW-40, 4.5, g.tr("   "+marksOn(g.in.Noise, r.Prev, r.Sample, g.d.Entry.Info.Leads)), "", "L", false)
	}
}

// marksOn names the noise marks touching [a, b]: "artefact (MLII), noise
// (V1)"; "every lead" for a record-wide mark.
func marksOn(noise []annotate.Noise, a, b int64, leads []annotate.Lead) string {
	var out []string
	for _, n := range noise {
		if n.Start > b || n.End <= a {
			continue
		}
		where := "every lead"
		if n.Lead >= 0 && n.Lead < len(leads) {
			where = leads[n.Lead].Name
		}
		if m := n.Reason + " (" + where + ")"; !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}
