package research

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/inference/adapt"
	"github.com/ecgstation/ecgstation/inference/cluster"
)

// CurveOptions say what bench-adapt measures.
type CurveOptions struct {
	Data    string   // folder of the WFDB records and their reference .atr files
	Records []string // records to read
	Labels  []int    // numbers of answers per record, ascending
	Without []string // records left out of the second gross line (e.g. 232)
	Whole   bool     // score the whole record (no 5-minute learning period)
	Costs   sim.Costs
	Adapt   adapt.Options // the per-record adapter's options
	Cluster cluster.Options
	// BeatName is what the header calls the beat model (its file, or the
	// built-in one's name).
	BeatName string
}

// curveClasses are the classes bench-adapt reports.
var curveClasses = []eval.Label{eval.LabelN, eval.LabelS, eval.LabelV, eval.LabelF}

// AdaptCurve runs each record through the pipeline (detector beats, the
// beat model), lets the simulated reader answer the adaptive queue's first
// k questions for each k of o.Labels with the per-record adapter learning
// from them, and writes EC57 Se and +P per class after each k: a row per
// record and k, then the gross figures, and the gross without o.Without.
func AdaptCurve(o CurveOptions, ms Models, w io.Writer) error {
	printCurveHeader(w, o, ms)
	gross := make([]eval.Matrix, len(o.Labels))
	without := make([]eval.Matrix, len(o.Labels))
	asked := make([]int, len(o.Labels))
	for _, name := range o.Records {
		mats, n, err := curveRecord(o, ms, name)
		if err != nil {
			return err
		}
		for j := range mats {
			printCurveRow(w, name, o.Labels[j], n[j], &mats[j])
			gross[j].Add(&mats[j])
			asked[j] += n[j]
			if !slices.Contains(o.Without, name) {
				without[j].Add(&mats[j])
			}
		}
	}
	for j, k := range o.Labels {
		printCurveRow(w, "gross", k, asked[j]/max(1, len(o.Records)), &gross[j])
	}
	if countIn(o.Records, o.Without) > 0 {
		for j, k := range o.Labels {
			printCurveRow(w, "gross-"+strings.Join(o.Without, "-"), k, -1, &without[j])
		}
	}
	return nil
}

// curveRecord returns a record's confusion matrix after each number of
// answers, and the answers given.
func curveRecord(o CurveOptions, ms Models, name string) ([]eval.Matrix, []int, error) {
	p, err := prepare(EffortOptions{Data: o.Data, Cluster: o.Cluster}, ms, name)
	if err != nil {
		return nil, nil, err
	}
	defer p.close()
	if err := p.withAdapter(o.Adapt); err != nil {
		return nil, nil, err
	}
	pts, err := sim.Curve(p.rec, o.Labels, o.Costs)
	if err != nil {
		return nil, nil, err
	}
	opt := eval.DefaultOptions(p.info.Fs, p.info.NSamples)
	if o.Whole {
		opt = opt.WholeRecord()
	}
	if opt.Start >= opt.End {
		return nil, nil, fmt.Errorf("%s: %.0f s long, not longer than EC57's 5-minute learning period: score the whole record (--whole)",
			name, float64(p.info.NSamples)/p.info.Fs)
	}
	out, n := make([]eval.Matrix, len(pts)), make([]int, len(pts))
	for j, pt := range pts {
		res, err := eval.Compare(name, p.rec.Reference, eval.FromBeats(pt.Beats), opt)
		if err != nil {
			return nil, nil, err
		}
		out[j], n[j] = res.Matrix, pt.Asked
	}
	return out, n, nil
}

func countIn(xs, set []string) int {
	n := 0
	for _, x := range xs {
		if slices.Contains(set, x) {
			n++
		}
	}
	return n
}

func printCurveHeader(w io.Writer, o CurveOptions, ms Models) {
	period := "from minute 5 (EC57)"
	if o.Whole {
		period = "whole record"
	}
	fmt.Fprintf(w, "# labels to accuracy: the simulated reader answers the adaptive queue's first k questions of each record (no templates, no scan)\n")
	fmt.Fprintf(w, "# beat model %s (%s) on the detector's beats; adapter %s, run every %d answers; EC57 beat-by-beat (150 ms), %s, gross over the records\n",
		ms.Beat.Meta().ID(), o.BeatName, adapt.Name, max(1, o.Costs.AskBatch), period)
	fmt.Fprintf(w, "# asked: answers given (gross: mean a record)\n")
	fmt.Fprintf(w, "%-10s %4s %5s", "record", "k", "asked")
	for _, k := range curveClasses {
		fmt.Fprintf(w, " | %s %6s %6s", k, "Se", "+P")
	}
	fmt.Fprintln(w)
}

func printCurveRow(w io.Writer, name string, k, asked int, m *eval.Matrix) {
	a := "-"
	if asked >= 0 {
		a = fmt.Sprint(asked)
	}
	fmt.Fprintf(w, "%-10s %4d %5s", name, k, a)
	for _, l := range curveClasses {
		c := m.Class(l)
		fmt.Fprintf(w, " | %s %6s %6s", l, pctText(c.Se()), pctText(c.PP()))
	}
	fmt.Fprintln(w)
}

// pctText writes a percentage with one decimal, "-" when undefined.
func pctText(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f", v)
}
