package sim

import (
	"errors"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// groupAdapter is an in-memory adapter for the tests of the reader: each
// beat nobody reviewed gets the class most reader labels of its group
// carry, with the share of them as its probability.
type groupAdapter struct {
	group func(int64) (int, bool)
	sure  map[int64]float64
}

func (g *groupAdapter) Adapt(s *annotate.Session) error {
	beats := s.BeatsIn(0, 1<<62)
	votes := map[int]map[annotate.Class]int{}
	for _, b := range beats {
		if id, ok := g.group(b.Sample); ok && annotate.Teaches(b) {
			if votes[id] == nil {
				votes[id] = map[annotate.Class]int{}
			}
			votes[id][b.Code.Class()]++
		}
	}
	g.sure = map[int64]float64{}
	var labels []annotate.Beat
	for _, b := range beats {
		id, ok := g.group(b.Sample)
		if !ok || !annotate.Adaptable(b) || len(votes[id]) == 0 {
			continue
		}
		best, n, all := annotate.ClassN, -1, 0
		for _, k := range annotate.Classes {
			all += votes[id][k]
			if votes[id][k] > n {
				best, n = k, votes[id][k]
			}
		}
		g.sure[b.Sample] = float64(n) / float64(all)
		labels = append(labels, annotate.Beat{Sample: b.Sample, Code: best.Code(),
			Prov: annotate.Provenance{Who: annotate.AdaptedWho("group@1", all), Confidence: float32(g.sure[b.Sample])}})
	}
	_, err := s.Adapt(labels)
	return err
}

func (g *groupAdapter) Sure(s int64) (float64, bool) { p, ok := g.sure[s]; return p, ok }

// unsureAboutV makes the model call every PVC of rec N, unsure (N 0.6,
// V 0.4), gives every beat the look-alike group of its true class, and
// puts a groupAdapter on it; no templates.
func unsureAboutV(t *testing.T) (Record, int) {
	rec, ann := synthRecord(t)
	for i, b := range rec.Model {
		if truthOf(ann, b.Sample) == annotate.ClassV {
			m := modelBeat(b.Sample, annotate.ClassN, annotate.ClassN)
			m.Prov.Probs, m.Prov.Confidence = []float32{0.6, 0, 0.4, 0, 0}, 0.6
			rec.Model[i] = m
		}
	}
	group := groupOf(ann)
	rec.Templates, rec.Group = nil, group
	rec.Adapter = &groupAdapter{group: group}
	return rec, count(ann, annotate.ClassV)
}

// groupOf groups the beats by their true class.
func groupOf(ann synth.Annotations) func(int64) (int, bool) {
	k := map[int64]int{}
	for _, b := range ann.Beats {
		k[b.Sample] = int(b.Code.Class())
	}
	return func(s int64) (int, bool) { g, ok := k[s]; return g, ok }
}

// TestAdaptiveFixesAGroupFromOneAnswer: the queue asks first about an
// unsure PVC (its group is large and the model unsure), the reader answers
// V, and the adapter relabels the other PVCs: the last scan finds nothing,
// and strategy d costs far less than fixing each PVC in full disclosure.
func TestAdaptiveFixesAGroupFromOneAnswer(t *testing.T) {
	rec, nv := unsureAboutV(t)
	c := DefaultCosts()
	c.Questions, c.AskPatience, c.AskBatch = 10, 3, 1
	d := run(t, rec, Adaptive, c)
	ask := phaseNamed(t, d, "ask")
	if ask.Relabels < 1 || ask.Errors != 0 {
		t.Fatalf("ask phase %+v: want a V answer and no error left", ask)
	}
	if left := phaseNamed(t, d, "left"); left.Relabels+left.Inserts+left.Deletes != 0 {
		t.Errorf("the last scan fixed %+v, want nothing", left)
	}
	if ask.Keys > 1+c.Questions {
		t.Errorf("%d keys in the queue, want at most %d", ask.Keys, 1+c.Questions)
	}
	c.MultiSelect, c.RangeSelect = true, true
	if b := run(t, rec, Scan, c); d.Total.Actions() >= b.Total.Actions() || nv < 10 {
		t.Errorf("d %d actions, b %d (%d PVCs): the adapter should save the clicks", d.Total.Actions(), b.Total.Actions(), nv)
	}
}

// TestConfirmCards: with ConfirmCards the reader confirms each right card
// in one click and a key, and its members become reader labels.
func TestConfirmCards(t *testing.T) {
	rec, ann := synthRecord(t)
	rec.Group = groupOf(ann)
	rec.Adapter = &groupAdapter{group: rec.Group}
	c := DefaultCosts()
	c.ConfirmCards = true
	d := run(t, rec, Adaptive, c)
	tp := phaseNamed(t, d, "templates")
	if tp.Confirms != len(ann.Beats) || tp.Clicks != len(rec.Templates) {
		t.Errorf("templates phase %+v: want %d beats confirmed with %d clicks", tp, len(ann.Beats), len(rec.Templates))
	}
}

// TestCurve: the labels after 0 answers are the model's; after a few, the
// adapter has fixed every PVC.
func TestCurve(t *testing.T) {
	rec, nv := unsureAboutV(t)
	c := DefaultCosts()
	c.AskBatch = 1
	steps, err := Curve(rec, []int{0, 3}, c)
	if err != nil {
		t.Fatal(err)
	}
	vs := func(bs []annotate.Beat) int {
		n := 0
		for _, b := range bs {
			if b.Code.Class() == annotate.ClassV {
				n++
			}
		}
		return n
	}
	if len(steps) != 2 || vs(steps[0].Beats) != 0 || vs(steps[1].Beats) != nv || steps[1].Asked != 3 {
		t.Errorf("V labels after 0 and %d answers: %d, %d; want 0, %d after 3", steps[1].Asked, vs(steps[0].Beats), vs(steps[1].Beats), nv)
	}
	rec.Adapter = nil
	if _, err := Curve(rec, []int{0}, c); !errors.Is(err, ErrRecord) {
		t.Errorf("no adapter: %v, want ErrRecord", err)
	}
	if _, err := Run(rec, Adaptive, c); !errors.Is(err, ErrRecord) {
		t.Errorf("strategy d without an adapter: %v, want ErrRecord", err)
	}
}
