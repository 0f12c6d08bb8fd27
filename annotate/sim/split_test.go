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
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 10*time.Minute, 3
	cfg.PAC = synth.Ectopy{PerHour: 600}
	info, _, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
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
	if tp.Splits != 1 || tp.ClusterRelabels != 1 || tp.Actions() != 5 || split.Phases[2].Relabels != 0 {
		t.Errorf("with the split: templates %+v, last scan %+v; want one split and one relabel of the %d PACs (5 actions)", tp, split.Phases[2], ns)
	}
	if plain.Phases[2].Relabels != ns || split.Total.Actions() >= plain.Total.Actions() {
		t.Errorf("without the split %d actions (%d fixed in the last scan), with it %d", plain.Total.Actions(), plain.Phases[2].Relabels, split.Total.Actions())
	}
}
