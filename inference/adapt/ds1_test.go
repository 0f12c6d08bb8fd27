package adapt

import (
	"cmp"
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
// beat model's. Questions: first, for each non-N class the model
// predicted, its most confident beat; then farthest-point seeds in the
// embedding up to 10 answers; then, 5 at a time, the beats the adapter is
// least sure of. k=0 is the population model alone (under MinLabels the
// adapter changes nothing). The figures are over every beat of the record (answered
// beats count with the reader's label). It needs ECGDATA and ONNX Runtime
// and runs only with ECGSTATION_ADAPT_DS1=1:
//
//	ECGDATA=../shared/data ECGSTATION_ADAPT_DS1=1 go test ./inference/adapt -run DS1 -v
//
// ADAPT_MINCONF sets Options.MinConfidence.
func TestDS1LabelsToAccuracy(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "100.hea")
	if os.Getenv("ECGSTATION_ADAPT_DS1") == "" {
		t.Skip("set ECGSTATION_ADAPT_DS1=1 to measure the adapter on MIT-BIH DS1 records")
	}
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
	total := make([]counts, len(steps))
	var sb strings.Builder
	for _, name := range ds1Records {
		r := ds1Record(t, m, filepath.Join(dir, name))
		for j, c := range r.curve(t, steps) {
			total[j].add(c)
			fmt.Fprintf(&sb, "%s k=%d: %s\n", name, steps[j], c)
		}
	}
	for j, c := range total {
		fmt.Fprintf(&sb, "gross k=%d: %s\n", steps[j], c)
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

// score counts S and V over labels against the truth.
func (r *record) score(labels []annotate.Beat) counts {
	var c counts
	for i, b := range labels {
		for j, k := range []annotate.Class{annotate.ClassS, annotate.ClassV} {
			truth, got := r.truth[i].Class() == k, b.Code.Class() == k
			switch {
			case truth && got:
				c.tp[j]++
			case truth:
				c.fn[j]++
			case got:
				c.fp[j]++
			}
		}
	}
	return c
}

// curve asks the simulated reader questions and scores the record after
// each number of answers in steps.
func (r *record) curve(t *testing.T, steps []int) []counts {
	asked := map[int]bool{}
	var conf []float32
	var out []counts
	for _, k := range steps {
		for len(asked) < k {
			for _, i := range r.next(asked, conf, k-len(asked)) {
				asked[i] = true
				b := &r.in.Beats[i]
				b.Code, b.Review, b.Prov = r.truth[i], annotate.Changed, annotate.Provenance{Source: annotate.SourceReader}
			}
		}
		mc, _ := strconv.ParseFloat(os.Getenv("ADAPT_MINCONF"), 64)
		res, err := Adapt(r.in, Options{MinConfidence: mc})
		if err != nil {
			t.Fatal(err)
		}
		conf = res.Confidence
		out = append(out, r.score(labelled(r.in.Beats, res.Labels)))
	}
	return out
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

// next returns up to n beats to ask about: before the adapter runs (conf
// nil), the most confident beat of each non-N class the model predicted,
// then farthest-point seeds in the embedding; after, the least confident.
func (r *record) next(asked map[int]bool, conf []float32, n int) []int {
	if conf == nil || len(asked) < 10 {
		return r.seeds(asked, n)
	}
	var cand []int
	for i, c := range conf {
		if !asked[i] && c > 0 {
			cand = append(cand, i)
		}
	}
	slices.SortStableFunc(cand, func(a, b int) int { return cmp.Compare(conf[a], conf[b]) })
	return cand[:min(n, len(cand))]
}

// seeds returns one new seed: the most confident beat of a non-N class
// the model predicted and nobody asked about yet, else the beat farthest
// (in the embedding) from every beat asked so far.
func (r *record) seeds(asked map[int]bool, n int) []int {
	have := map[annotate.Class]bool{}
	for i := range asked {
		have[popClass(&r.in, i)] = true
	}
	best := -1
	for i, b := range r.in.Beats {
		if k := popClass(&r.in, i); k != annotate.ClassN && !have[k] && !asked[i] &&
			(best < 0 || b.Prov.Confidence > r.in.Beats[best].Prov.Confidence) {
			best = i
		}
	}
	if best >= 0 {
		return []int{best}
	}
	return []int{r.farthest(asked)}
}

// farthest returns the unasked beat whose embedding is farthest from the
// nearest asked beat (from the first beat when none is asked).
func (r *record) farthest(asked map[int]bool) int {
	if len(asked) == 0 {
		return 0
	}
	d := r.in.EmbDim
	best, bestD := -1, -1.0
	for i := range r.in.Beats {
		if asked[i] {
			continue
		}
		near := math.Inf(1)
		for j := range asked {
			s := 0.0
			for x := range d {
				v := float64(r.in.Emb[i*d+x] - r.in.Emb[j*d+x])
				s += v * v
			}
			near = math.Min(near, s)
		}
		if near > bestD {
			best, bestD = i, near
		}
	}
	return best
}
