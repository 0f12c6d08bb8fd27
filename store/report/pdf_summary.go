package report

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

// summaryPage writes the header, the summary figures and the heart-rate
// trend.
func (g *doc) summaryPage() error {
	p, info := g.pdf, g.d.Entry.Info
	p.AddPage()
	g.font("B", 16)
	p.CellFormat(textW, 9, "Holter report", "", 1, "L", false, 0, "")
	g.font("", 9)
	leads := make([]string, len(info.Leads))
	for i, l := range info.Leads {
		leads[i] = l.Name
	}
	p.MultiCell(textW, 4.5, g.tr(fmt.Sprintf("Record %s (id %s), %s recorded, %d lead(s) %s at %g Hz.%s",
		info.Name, g.d.Entry.ID[:12], stats.Elapsed(g.sum.Duration), len(info.Leads), strings.Join(leads, ", "), info.Fs, g.startText())), "", "L", false)
	g.readBox()
	g.heading("Summary")
	g.figures()
	g.heading("Heart rate and RR intervals")
	if pl, err := chart.HRTrend(g.in); err == nil {
		g.image(pl, textW, 66)
	} else {
		g.note("No heart rate to plot: " + err.Error())
	}
	g.pairOfPlots(chart.Tachogram, chart.Poincare, 58)
	g.definitions()
	return g.err()
}

// startText says when the recording started, as a time of day only.
func (g *doc) startText() string {
	if g.sum.Start.IsZero() {
		return " Start time unknown: times are from the start of the recording."
	}
	return " Recording started at " + g.sum.Start.Format("15:04:05") + " (times of day; the date is left out)."
}

// readBox says who read the record and when it was signed off.
func (g *doc) readBox() {
	p, st := g.pdf, g.d.Labels.Status
	p.Ln(2)
	p.SetFillColor(240, 244, 250)
	g.font("B", 10)
	read := fmt.Sprintf("Read by %s (label set revision %d).", g.d.Reader, g.d.Rev)
	sign := "Not signed off: " + st.State.String() + "."
	if st.State == annotate.StateSignedOff {
		sign = fmt.Sprintf("Signed off by %s on %s.", st.By, st.At.Format("2006-01-02 15:04 MST"))
	}
	p.MultiCell(textW, 5.5, g.tr(read+" "+sign), "1", "L", true)
	g.font("", 8)
	models := g.models()
	p.MultiCell(textW, 4.5, g.tr(fmt.Sprintf("Model suggestions: %s. Report made %s.", models, g.now.Format("2006-01-02 15:04 MST"))), "LRB", "L", true)
}

// models names the models whose suggestions are in the model layer.
func (g *doc) models() string {
	seen := map[string]bool{}
	var out []string
	for _, b := range g.d.Model.Beats {
		if w := b.Prov.Who; b.Prov.Source == annotate.SourceModel && w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// figures writes the summary table.
func (g *doc) figures() {
	s := g.sum
	g.row("Total beats", fmt.Sprintf("%d   (N %d, S %d, V %d, F %d, Q %d)", s.Beats,
		s.ByClass[annotate.ClassN], s.ByClass[annotate.ClassS], s.ByClass[annotate.ClassV], s.ByClass[annotate.ClassF], s.ByClass[annotate.ClassQ]))
	g.row("Heart rate", g.hrText())
	g.row("Heart rate variability", hrvText(s.HRV))
	g.row("Ventricular ectopy", g.ectopyText(s.V))
	g.row("Supraventricular ectopy", g.ectopyText(s.S))
	g.row("AF burden", fmt.Sprintf("%.1f %% of the recording (%s in AFIB)", 100*s.AF.Fraction, stats.Elapsed(s.AF.Duration)))
	g.row("Longest pause", g.pauseText())
	g.row("Episodes", fmt.Sprintf("%d (normal sinus rhythm not counted); see the list", len(s.Episodes)))
	g.row("Consistency checks", g.checksText())
}

// pauseText gives the longest RR interval and the pauses, marked or not,
// saying which are in noise or artefact for the reader to check: a noise
// rule never hides a pause.
func (g *doc) pauseText() string {
	s := g.sum
	p := s.LongestPause
	if p.Sec <= 0 {
		return "no RR interval"
	}
	t := fmt.Sprintf("%.2f s at %s", p.Sec, g.clock(p.Prev))
	t += markedNote(p) + fmt.Sprintf("; %d pauses of %.1f s or more", s.Pauses, s.Options.PauseThreshold.Seconds())
	if s.PausesMarked > 0 {
		t += fmt.Sprintf(" (%d in noise or artefact: check)", s.PausesMarked)
	}
	if n := len(s.LongRRToCheck); n > 0 {
		t += fmt.Sprintf("; %d long RR interval(s) in noise or artefact listed after the episodes to check", n)
	}
	return t
}

func (g *doc) hrText() string {
	h := g.sum.HR
	if math.IsNaN(h.Mean) {
		return "no valid RR interval"
	}
	t := fmt.Sprintf("mean %.0f bpm", h.Mean)
	if !math.IsNaN(h.Min.BPM) {
		t = fmt.Sprintf("minimum %.0f bpm at %s,  %s,  maximum %.0f bpm at %s", h.Min.BPM, g.clock(h.Min.Sample), t, h.Max.BPM, g.clock(h.Max.Sample))
	}
	return t
}

// hrvText gives the time-domain HRV, "n/a" for a figure there is too
// little to compute.
func hrvText(h stats.HRV) string {
	if h.NN == 0 {
		return "no NN interval"
	}
	ms := func(v float64) string {
		if math.IsNaN(v) {
			return "n/a"
		}
		return fmt.Sprintf("%.0f ms", v)
	}
	pnn := "n/a"
	if !math.IsNaN(h.PNN50) {
		pnn = fmt.Sprintf("%.1f %% (%d of %d successive differences)", h.PNN50, h.Over50, h.Diffs)
	}
	return fmt.Sprintf("SDNN %s, SDANN %s, SDNN index %s, RMSSD %s, pNN50 %s; %d NN intervals, %d 5-minute segments",
		ms(h.SDNN), ms(h.SDANN), ms(h.SDNNIndex), ms(h.RMSSD), pnn, h.NN, h.Segments)
}

func (g *doc) ectopyText(e stats.Ectopy) string {
	t := fmt.Sprintf("%d beats: %d isolated, %d couplets, %d runs", e.Total, e.Isolated, e.Couplets, e.Runs)
	if e.Runs > 0 {
		t += fmt.Sprintf(" (longest %d beats at %s)", e.LongestRun, g.clock(e.LongestRunAt))
	}
	return t + fmt.Sprintf(", %d bigeminy episodes", e.Bigeminy)
}

func (g *doc) checksText() string {
	if len(g.find) == 0 {
		return "no findings"
	}
	return fmt.Sprintf("%d findings; the first are listed on the next page", len(g.find))
}

// definitions states how the figures are defined.
func (g *doc) definitions() {
	o := g.sum.Options
	g.pdf.Ln(2)
	g.font("I", 7)
	g.pdf.MultiCell(textW, 3.5, g.tr(fmt.Sprintf("Definitions. %s Mean heart rate: over every valid RR interval; trend: per minute. An RR interval is valid when no noise, artefact or unreadable stretch of any lead touches it or its beats. Pauses: RR intervals of %.1f s or more, and the longest pause the longest RR interval, whether noise or artefact touches them or not: noise never hides a pause. An RR interval in noise or artefact may hold beats lost there, so it is no heart rate, and a pause in noise or artefact is marked \"check\": those of %.1f s or more, and the longest one when it is longer than every clean interval, are listed with a strip for the reader to check. %s Runs: 3 or more consecutive ectopic beats; bigeminy: %d or more isolated ectopic beats one beat apart. AF burden: time in AFIB episodes over the recording. Beat classes (AAMI): %s.",
		hrDefinition(o.HRBeats), o.PauseThreshold.Seconds(), o.PauseThreshold.Seconds(), hrvDefinition, o.BigeminyBeats, annotate.AAMIMapping)), "", "L", false)
}

// hrDefinition states the one definition of minimum and maximum heart rate
// (stats.RateExtremes), for the summary and the episode list.
func hrDefinition(k int) string {
	return fmt.Sprintf("Minimum and maximum heart rate, in the summary and the episode list alike: the slowest and fastest mean over at least %d consecutive valid RR intervals, at the last beat of the window (over the longest run of valid intervals when there are never %d in a row). In the episode list a run of fewer than %d valid intervals is a window of its own when it is the whole episode or, between noise marks, holds at least %d (1 or 2 there may be a double detection, no heart rate); the mean HR is over the intervals of those windows, so an episode's min HR <= mean HR <= max HR, and \"-\" says there is none.", k, k, k, stats.MinShortRun)
}

// hrvDefinition states the HRV measures (stats.ComputeHRV).
const hrvDefinition = "HRV (1996 ESC/NASPE Task Force), over NN intervals, valid RR intervals between two normal (N) beats: SDNN, SD of all NN intervals; SDANN, SD of the means of NN intervals in the 5-minute segments; SDNN index, mean of their SDs (segments with 2 or more NN intervals); RMSSD, root mean square of the differences of adjacent NN intervals; pNN50, percentage of those differences over 50 ms, of all of them. SDs divide by n."

// note writes a line of small text.
func (g *doc) note(s string) {
	g.font("I", 8)
	g.pdf.MultiCell(textW, 4, g.tr(s), "", "L", false)
}

// image draws a plot at w x h mm at the current position, as a PNG at
// 150 dpi.
func (g *doc) image(pl *plot.Plot, w, h float64) {
	png, err := chart.PNG(pl, vg.Length(w)*vg.Millimeter, vg.Length(h)*vg.Millimeter, 150)
	if err != nil {
		g.note("Plot failed: " + err.Error())
		return
	}
	g.nimg++
	name := fmt.Sprintf("plot%d", g.nimg)
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	g.pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	g.pdf.ImageOptions(name, g.pdf.GetX(), g.pdf.GetY(), w, h, true, opt, 0, "")
}
