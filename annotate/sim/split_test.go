package sim

import (
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/cluster"
)

// TestPrematuritySplit plays a record whose PACs look exactly like its
// normal beats: the model calls them all N and the clustering (shape only)
// puts them in one card with the normal beats. With PrematuritySplit the
// reader splits that card by prematurity (P) and relabels the premature
// part S: every PAC is fixed in the template phase, for five actions (the
// gallery's key, two clicks, P and S).
// Without it each PAC is found and fixed in the last scan.
func TestPrematuritySplit(t *testing.T) {
	info, ann := tenMinutes(t, 3, func(c *synth.Config) { c.PAC = synth.Ectopy{PerHour: 600} })
	ns := count(ann, annotate.ClassS)
	record := func() Record {
		rec := Record{Name: "pacs", Fs: info.Fs, NSamples: info.NSamples, Reference: eval.FromBeats(ann.Beats)}
		o := cluster.DefaultOptions()
		o.RRWeight = 0 // shape only: one card
		cl := cluster.New(o)
		var samples []int64
		var emb []float32
		for _, b := range ann.Beats {
			rec.Model = append(rec.Model, modelBeat(b.Sample, annotate.ClassN, annotate.ClassN))
			samples, emb = append(samples, b.Sample), append(emb, 1, 0)
		}
		if err := cl.Add(samples, emb, 2); err != nil {
			t.Fatal(err)
		}
		cl.Finish()
		for _, c := range cl.Clusters() {
			rec.Templates = append(rec.Templates, review.Template{ID: c.ID, Beats: c.Beats})
		}
		rec.Splitter = cl
		return rec
	}
	if rec := record(); len(rec.Templates) != 1 || ns < len(rec.Model)/10 {
		t.Fatalf("%d cards, %d PACs of %d beats: want one card, a tenth PACs or more", len(rec.Templates), ns, len(rec.Model))
	}
	c := DefaultCosts()
	c.Patience = 0 // no queue: templates, then the last scan
	plain := run(t, record(), Templates, c)
	c.PrematuritySplit = true
	split := run(t, record(), Templates, c)
	tp := split.Phases[0]
	if tp.Splits != 1 || tp.ClusterRelabels != 1 || tp.Actions() != 5 || phaseNamed(t, split, "left").Relabels != 0 {
		t.Errorf("with the split: templates %+v, last scan %+v; want one split and one relabel of the %d PACs (5 actions)", tp, phaseNamed(t, split, "left"), ns)
	}
	if phaseNamed(t, plain, "left").Relabels != ns || split.Total.Actions() >= plain.Total.Actions() {
		t.Errorf("without the split %d actions (%d fixed in the last scan), with it %d", plain.Total.Actions(), phaseNamed(t, plain, "left").Relabels, split.Total.Actions())
	}
}

// TestSplitMin plays a record whose PVCs share one card with the normal
// beats and are all called N: the card would leave every PVC wrong. A
// reader splits it only when that is at least Costs.SplitMin beats; the
// split part is then relabelled V in the template phase, else each PVC
// is fixed in the last scan.
func TestSplitMin(t *testing.T) {
	info, ann := tenMinutes(t, 5, func(c *synth.Config) { c.PVC = synth.Ectopy{PerHour: 120} })
	nv := count(ann, annotate.ClassV)
	if nv < 5 {
		t.Fatalf("%d PVCs: want 5 or more", nv)
	}
	for _, tc := range []struct {
		name                string
		depth, min          int
		splits, lastRelabel int
	}{
		{"no splits", 0, 0, 0, nv},
		{"enough wrong beats", 1, nv, 1, 0},
		{"too few wrong beats", 1, nv + 1, 0, nv},
		{"no minimum, as before SplitMin", 1, 0, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultCosts()
			c.Patience, c.SplitDepth, c.SplitMin = 0, tc.depth, tc.min
			res := run(t, oneCard(t, info.Fs, info.NSamples, ann), Templates, c)
			if tp := res.Phases[0]; tp.Splits != tc.splits || phaseNamed(t, res, "left").Relabels != tc.lastRelabel {
				t.Errorf("%d PVCs: %d splits, %d fixed in the last scan; want %d, %d",
					nv, tp.Splits, phaseNamed(t, res, "left").Relabels, tc.splits, tc.lastRelabel)
			}
		})
	}
}

// oneCard is the record of ann with every beat called N, clustered into
// one card whose PVCs have an embedding of their own (a split separates
// them).
func oneCard(t *testing.T, fs float64, n int64, ann synth.Annotations) Record {
	t.Helper()
	rec := Record{Name: "pvcs", Fs: fs, NSamples: n, Reference: eval.FromBeats(ann.Beats)}
	o := cluster.DefaultOptions()
	o.RRWeight, o.Threshold, o.MergeBelow = 0, 10, 5
	cl := cluster.New(o)
	var samples []int64
	var emb []float32
	for _, b := range ann.Beats {
		rec.Model = append(rec.Model, modelBeat(b.Sample, annotate.ClassN, annotate.ClassN))
		v := float32(0)
		if b.Code.Class() == annotate.ClassV {
			v = 1
		}
		samples, emb = append(samples, b.Sample), append(emb, 1-v, v)
	}
	if err := cl.Add(samples, emb, 2); err != nil {
		t.Fatal(err)
	}
	cl.Finish()
	for _, c := range cl.Clusters() {
		rec.Templates = append(rec.Templates, review.Template{ID: c.ID, Beats: c.Beats})
	}
	if len(rec.Templates) != 1 {
		t.Fatalf("%d cards, want 1", len(rec.Templates))
	}
	rec.Splitter = cl
	return rec
}

// tenMinutes makes a 10-minute synthetic record of the given seed, its
// configuration changed by set.
func tenMinutes(t *testing.T, seed uint64, set func(*synth.Config)) (annotate.RecordInfo, synth.Annotations) {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 10*time.Minute, seed
	set(&cfg)
	info, _, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return info, ann
}
