package adapt

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// ds1Records are the DS1 records (de Chazal 2004's training half, which the
// default beat model trained on); DS2 stays untouched.
var ds1Records = strings.Fields("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230")

// TestDS1LabelsToAccuracy measures how S and V sensitivity and positive
// predictivity grow with the number of reader answers, the reader being
// simulated by the reference .atr. The beats are the reference beats
// (no detector, so no matching); the population labels are the default
// beat model's. The reader answers Questions (per non-N class the model
// predicted its most confident beat, farthest-point seeds in the
// embedding, then the beats the adapter is least sure of), 5 at a time;
// each line also gives the figures over the beats not answered. k=0 is the population model alone (under MinLabels the
// adapter changes nothing). The figures are over every beat of the record (answered
// beats count with the reader's label). It needs ECGDATA and ONNX Runtime
// and runs only with ECGSTATION_ADAPT_DS1=1:
//
//	ECGDATA=../shared/data ECGSTATION_ADAPT_DS1=1 go test ./inference/adapt -run DS1 -v
//
// ADAPT_MINCONF sets Options.MinConfidence.
func TestDS1LabelsToAccuracy(t *testing.T) {
	dir := ecgdata.Study(t, "ECGSTATION_ADAPT_DS1", "mitdb", "100.hea", "measure the adapter on MIT-BIH DS1 records")
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skip(err)
	}
	defer env.Close()
	m, err := model.Load(filepath.Join("..", "..", "assets", "models", "beat.onnx"), env)
	if err != nil {
		t.Fatal(err)
	}
	steps := []int{0, 10, 20, 40, 80}
	total := make([][2]counts, len(steps))
	var sb strings.Builder
	for _, name := range ds1Records {
		r := ds1Record(t, m, filepath.Join(dir, name))
		for j, c := range r.curve(t, steps) {
			total[j][0].add(c[0])
			total[j][1].add(c[1])
			fmt.Fprintf(&sb, "%s k=%d: %s | unreviewed: %s\n", name, steps[j], c[0], c[1])
		}
	}
	for j, c := range total {
		fmt.Fprintf(&sb, "gross k=%d: %s | unreviewed: %s\n", steps[j], c[0], c[1])
	}
	t.Log("\n" + sb.String())
}

// ds1Record reads a record's reference beats, classifies them with m and
// cuts its windows.
func ds1Record(t *testing.T, m *model.Model, path string) record {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	info := rec.Info()
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	var r record
	var peaks []int64
	for _, a := range anns {
		if a.Code.IsBeat() {
			r.truth, peaks = append(r.truth, a.Code), append(peaks, a.Sample)
		}
	}
	index := make([]int, len(peaks))
	for i := range index {
		index[i] = i
	}
	res, err := m.ClassifyBeats(rec, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	r.in = Input{Fs: info.Fs, Probs: res.Probs, Emb: res.Emb, EmbDim: res.EmbDim}
	for k := range res.Classes {
		r.in.Classes = append(r.in.Classes, m.Class(k))
	}
	for i, at := range peaks {
		k, prov := m.BeatLabel(res, i)
		r.in.Beats = append(r.in.Beats, annotate.Beat{Sample: at, Code: k.Code(), Prov: prov})
	}
	r.cutWindows(t, rec)
	return r
}

// counts are TP, FN and FP of S and V.
type counts struct{ tp, fn, fp [2]int }

func (c *counts) add(d counts) {
	for j := range 2 {
		c.tp[j], c.fn[j], c.fp[j] = c.tp[j]+d.tp[j], c.fn[j]+d.fn[j], c.fp[j]+d.fp[j]
	}
}

func (c counts) String() string {
	pct := func(a, b int) float64 { return 100 * float64(a) / math.Max(float64(a+b), 1) }
	return fmt.Sprintf("S Se %.1f +P %.1f (TP %d)  V Se %.1f +P %.1f (TP %d)",
		pct(c.tp[0], c.fn[0]), pct(c.tp[0], c.fp[0]), c.tp[0], pct(c.tp[1], c.fn[1]), pct(c.tp[1], c.fp[1]), c.tp[1])
}

// score counts S and V over labels against the truth: [0] over every
// beat, [1] over the beats the reader did not answer.
func (r *record) score(labels []annotate.Beat) [2]counts {
	var c [2]counts
	for i, b := range labels {
		c[0].count(r.truth[i], b.Code)
		if b.Review == annotate.Unreviewed {
			c[1].count(r.truth[i], b.Code)
		}
	}
	return c
}

// count adds one beat of class truth labelled got.
func (c *counts) count(truth, got annotate.Code) {
	for j, k := range []annotate.Class{annotate.ClassS, annotate.ClassV} {
		isK, gotK := truth.Class() == k, got.Class() == k
		switch {
		case isK && gotK:
			c.tp[j]++
		case isK:
			c.fn[j]++
		case gotK:
			c.fp[j]++
		}
	}
}

// curve asks the simulated reader Questions, 5 at a time with the
// adapter re-run after each 5 answers, and scores the record after each
// number of answers in steps.
func (r *record) curve(t *testing.T, steps []int) [][2]counts {
	var res Result
	var out [][2]counts
	answered := 0
	for _, k := range steps {
		for answered < k {
			qs := Questions(r.in, res, min(5, k-answered))
			if len(qs) == 0 {
				break
			}
			for _, i := range qs {
				b := &r.in.Beats[i]
				b.Code, b.Review, b.Prov = r.truth[i], annotate.Changed, annotate.Provenance{Source: annotate.SourceReader}
			}
			answered += len(qs)
			res = r.adapt(t)
		}
		res = r.adapt(t)
		out = append(out, r.score(labelled(r.in.Beats, res.Labels)))
	}
	return out
}

// adapt runs the adapter, with Options.MinConfidence from ADAPT_MINCONF.
func (r *record) adapt(t *testing.T) Result {
	mc, _ := strconv.ParseFloat(os.Getenv("ADAPT_MINCONF"), 64)
	res, err := Adapt(r.in, Options{MinConfidence: mc})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// labelled returns beats with the adapter's labels put in.
func labelled(beats, labels []annotate.Beat) []annotate.Beat {
	out := slices.Clone(beats)
	j := 0
	for i := range out {
		for j < len(labels) && labels[j].Sample < out[i].Sample {
			j++
		}
		if j < len(labels) && labels[j].Sample == out[i].Sample {
			out[i] = labels[j]
		}
	}
	return out
}
