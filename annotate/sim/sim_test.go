package sim

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// synthRecord makes a 20-minute record with PVCs and PACs whose reference
// labels are exact, and returns it with a model that copies the reference
// (one-hot probabilities) and templates that group the beats by class.
func synthRecord(t testing.TB) (Record, synth.Annotations) {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration = 20 * time.Minute
	cfg.Seed = 7
	cfg.PVC = synth.Ectopy{PerHour: 90}
	cfg.PAC = synth.Ectopy{PerHour: 60}
	info, _, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := Record{Name: "synth7", Fs: info.Fs, NSamples: info.NSamples,
		Reference: eval.FromBeats(ann.Beats)}
	for _, b := range ann.Beats {
		rec.Model = append(rec.Model, modelBeat(b.Sample, b.Code.Class(), b.Code.Class()))
	}
	rec.Templates = byClass(rec.Model, func(b annotate.Beat) annotate.Class { return truthOf(ann, b.Sample) })
	return rec, ann
}

// modelBeat is a model beat of class k, sure of it, whose probabilities
// give prob 1 to class p.
func modelBeat(s int64, k, p annotate.Class) annotate.Beat {
	probs := make([]float32, 5)
	probs[p-annotate.ClassN] = 1
	return annotate.Beat{Sample: s, Code: k.Code(), Prov: annotate.Provenance{
		Source: annotate.SourceModel, Who: "test@1", Confidence: 1, Probs: probs}}
}

func truthOf(ann synth.Annotations, s int64) annotate.Class {
	for _, b := range ann.Beats {
		if b.Sample == s {
			return b.Code.Class()
		}
	}
	return annotate.ClassNone
}

// byClass makes one template per class of key, largest first.
func byClass(beats []annotate.Beat, key func(annotate.Beat) annotate.Class) []review.Template {
	var ts []review.Template
	for _, k := range annotate.Classes {
		t := review.Template{ID: int(k)}
		for _, b := range beats {
			if key(b) == k {
				t.Beats = append(t.Beats, b.Sample)
			}
		}
		if len(t.Beats) > 0 {
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b review.Template) int { return len(b.Beats) - len(a.Beats) })
	return ts
}

func count(ann synth.Annotations, k annotate.Class) int {
	n := 0
	for _, b := range ann.Beats {
		if b.Code.Class() == k {
			n++
		}
	}
	return n
}

func run(t *testing.T, rec Record, st Strategy, c Costs) Result {
	t.Helper()
	res, err := Run(rec, st, c)
	if err != nil {
		t.Fatalf("strategy %s: %v", st, err)
	}
	if res.Agreement != 1 {
		t.Fatalf("strategy %s: agreement %v, want 1", st, res.Agreement)
	}
	return res
}

// pages of full disclosure for the 20-minute record at 15 minutes a page.
const pages = 2

func TestModelRightEverywhere(t *testing.T) {
	rec, ann := synthRecord(t)
	if count(ann, annotate.ClassV) < 10 || count(ann, annotate.ClassS) < 5 {
		t.Fatalf("fixture has %d V and %d S beats; want some of each", count(ann, annotate.ClassV), count(ann, annotate.ClassS))
	}
	c := DefaultCosts()
	b := run(t, rec, Scan, c)
	if b.Errors != 0 || b.Total.Actions() != pages || b.Total.Clicks != 0 {
		t.Errorf("b: %d errors, %d actions (%d clicks); want 0, %d (only Page Down), 0", b.Errors, b.Total.Actions(), b.Total.Clicks, pages)
	}
	if b.Total.LookedAt != len(ann.Beats) {
		t.Errorf("b looked at %d beats, want all %d", b.Total.LookedAt, len(ann.Beats))
	}
	cr := run(t, rec, Templates, c)
	// Gallery: open (3 cards fit one page); no card relabelled; the queue
	// holds nothing suspicious; then the full-disclosure pages.
	if cr.Total.ClusterRelabels != 0 || cr.Total.Actions() != 1+pages {
		t.Errorf("c: %d cluster relabels, %d actions (%+v); want 0 and %d", cr.Total.ClusterRelabels, cr.Total.Actions(), cr.Phases, 1+pages)
	}
}

func TestOneWrongCluster(t *testing.T) {
	rec, ann := synthRecord(t)
	nv := count(ann, annotate.ClassV)
	for i, b := range rec.Model {
		if truthOf(ann, b.Sample) == annotate.ClassV {
			rec.Model[i] = modelBeat(b.Sample, annotate.ClassN, annotate.ClassN) // sure, and wrong
		}
	}
	c := DefaultCosts()
	cr := run(t, rec, Templates, c)
	if cr.Errors != nv || cr.Total.ClusterRelabels != 1 {
		t.Fatalf("c: %d errors, %d cluster relabels; want %d and 1", cr.Errors, cr.Total.ClusterRelabels, nv)
	}
	// One relabel (click the card, press V) and navigation: open the
	// gallery, the full-disclosure pages. Nothing is left for the queue.
	if want := 1 + 2 + pages; cr.Total.Actions() != want {
		t.Errorf("c: %d actions %+v, want %d", cr.Total.Actions(), cr.Phases, want)
	}
	b := run(t, rec, Scan, c)
	if want := pages + 2*nv; b.Total.Actions() != want || b.Total.Relabels != nv {
		t.Errorf("b: %d actions, %d relabels; want %d and %d", b.Total.Actions(), b.Total.Relabels, want, nv)
	}
}

func TestMissedAndFalseBeats(t *testing.T) {
	rec, ann := synthRecord(t)
	drop := map[int64]bool{}
	for i := 10; i < len(rec.Model); i += 200 {
		drop[rec.Model[i].Sample] = true
	}
	var model []annotate.Beat
	for _, b := range rec.Model {
		if !drop[b.Sample] {
			model = append(model, b)
		}
	}
	fp := []int64{rec.Model[50].Sample + 100, rec.Model[700].Sample + 90} // 0.4 s after a beat
	for _, s := range fp {
		model = append(model, modelBeat(s, annotate.ClassN, annotate.ClassN))
	}
	slices.SortFunc(model, func(a, b annotate.Beat) int { return int(a.Sample - b.Sample) })
	rec.Model = model
	nMissedV := 0
	for s := range drop {
		if truthOf(ann, s) != annotate.ClassN {
			nMissedV++
		}
	}
	c := DefaultCosts()
	b := run(t, rec, Scan, c)
	if b.Total.Inserts != len(drop) || b.Total.Deletes != len(fp) {
		t.Errorf("b: %d inserts, %d deletes; want %d, %d", b.Total.Inserts, b.Total.Deletes, len(drop), len(fp))
	}
	if want := pages + 2*len(drop) + nMissedV + 2*len(fp); b.Total.Actions() != want {
		t.Errorf("b: %d actions, want %d", b.Total.Actions(), want)
	}
	a := run(t, rec, Scratch, c)
	if want := len(model) + 2*len(drop) + nMissedV; a.Total.Actions() != want {
		t.Errorf("a: %d actions, want %d (one key a beat, two or three an insert)", a.Total.Actions(), want)
	}
	run(t, rec, Templates, c)
}

func TestQueueFindsPremature(t *testing.T) {
	rec, ann := synthRecord(t)
	ns := count(ann, annotate.ClassS)
	// The model calls every PAC N but is unsure (p_N 0.6); the templates
	// put the PACs among the normal beats, as a morphology clustering would.
	for i, b := range rec.Model {
		if truthOf(ann, b.Sample) == annotate.ClassS {
			m := modelBeat(b.Sample, annotate.ClassN, annotate.ClassN)
			m.Prov.Probs = []float32{0.6, 0.4, 0, 0, 0}
			m.Prov.Confidence = 0.6
			rec.Model[i] = m
		}
	}
	rec.Templates = byClass(rec.Model, func(b annotate.Beat) annotate.Class { return b.Code.Class() })
	c := DefaultCosts()
	cr := run(t, rec, Templates, c)
	q := phaseNamed(t, cr, "queue")
	if q.Name != "queue" || q.Relabels != ns {
		t.Fatalf("queue phase %+v: want %d relabels", q, ns)
	}
	if left := phaseNamed(t, cr, "left"); left.Relabels != 0 {
		t.Errorf("left for the last scan: %d relabels, want 0", left.Relabels)
	}
	if b := run(t, rec, Scan, c); cr.Total.Actions() >= b.Total.Actions() {
		t.Errorf("c costs %d actions, b %d: the queue should be cheaper", cr.Total.Actions(), b.Total.Actions())
	}
}

func TestErrors(t *testing.T) {
	rec, _ := synthRecord(t)
	tests := []struct {
		name string
		rec  Record
		st   Strategy
		want error
	}{
		{"unknown strategy", rec, 'z', ErrStrategy},
		{"no fs", Record{Name: "x", NSamples: 10}, Scan, ErrRecord},
		{"no samples", Record{Name: "x", Fs: 360}, Scan, ErrRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Run(tt.rec, tt.st, DefaultCosts()); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
	for _, s := range []string{"", "ab", "e", "A"} {
		if _, err := ParseStrategy(s); !errors.Is(err, ErrStrategy) {
			t.Errorf("ParseStrategy(%q): %v, want ErrStrategy", s, err)
		}
	}
	if st, err := ParseStrategy("c"); err != nil || st != Templates {
		t.Errorf("ParseStrategy(c) = %v, %v", st, err)
	}
}

func TestMultiSelectAndQueueWindow(t *testing.T) {
	rec, ann := synthRecord(t)
	nv := count(ann, annotate.ClassV)
	// The model calls every PVC N, sure of it, and the templates put the
	// PVCs among the normal beats: only full disclosure finds them.
	for i, b := range rec.Model {
		if truthOf(ann, b.Sample) == annotate.ClassV {
			rec.Model[i] = modelBeat(b.Sample, annotate.ClassN, annotate.ClassN)
		}
	}
	rec.Templates = byClass(rec.Model, func(b annotate.Beat) annotate.Class { return b.Code.Class() })
	c := DefaultCosts()
	single := run(t, rec, Scan, c)
	c.MultiSelect = true
	multi := run(t, rec, Scan, c)
	// One click a PVC either way; one key a PVC, or one key a page.
	if single.Total.Actions() != pages+2*nv || multi.Total.Actions() != pages+nv+pages {
		t.Errorf("single select %d actions, multi-select %d; want %d and %d", single.Total.Actions(),
			multi.Total.Actions(), pages+2*nv, pages+nv+pages)
	}
	c = DefaultCosts()
	c.Patience = 0 // no queue at all
	cr := run(t, rec, Templates, c)
	if phaseNamed(t, cr, "queue").Actions() != 0 || phaseNamed(t, cr, "left").Relabels != nv {
		t.Errorf("without a queue: phases %+v; want all %d PVCs fixed in the last scan", cr.Phases, nv)
	}
}

func TestGalleryPages(t *testing.T) {
	rec, _ := synthRecord(t)
	// 30 one-beat templates after the class ones: 33 cards, 3 pages of 12.
	for i := range 30 {
		rec.Templates = append(rec.Templates, review.Template{ID: 100 + i})
	}
	cr := run(t, rec, Templates, DefaultCosts())
	if got := cr.Phases[0].Keys; got != 3 {
		t.Errorf("gallery keys %d, want 3 (open, two Page Down)", got)
	}
}

func FuzzParseStrategy(f *testing.F) {
	for _, s := range []string{"a", "b", "c", "", "ab", "z", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStrategy(s)
		if err == nil && st.String() != s {
			t.Errorf("ParseStrategy(%q) = %q", s, st)
		}
		if err != nil && !errors.Is(err, ErrStrategy) {
			t.Errorf("error %v is not ErrStrategy", err)
		}
	})
}

// BenchmarkRun times each strategy on the 20-minute synthetic record with
// its PVCs mislabelled (strategy b is the baseline).
func BenchmarkRun(b *testing.B) {
	rec, ann := synthRecord(b)
	for i, bt := range rec.Model {
		if truthOf(ann, bt.Sample) == annotate.ClassV {
			rec.Model[i] = modelBeat(bt.Sample, annotate.ClassN, annotate.ClassN)
		}
	}
	for _, st := range []Strategy{Scan, Templates, Scratch} {
		b.Run(st.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Run(rec, st, DefaultCosts()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRangeSelect checks Shift+click runs in full disclosure: the model
// calls stretches of true N beats V, and a run of wrong beats that should
// all be one class costs two clicks however long it is, but a run broken
// by a beat that is right and of another class costs two runs.
func TestRangeSelect(t *testing.T) {
	cases := []struct {
		name      string
		wrongLeft int // true N beats called V just before a true S beat
		wrongRite int // and just after it
		want      int // clicks saved by range selection
	}{
		{"one run of 12", 12, 0, 10},
		{"two runs of 10 around a right S beat", 10, 10, 16},
		{"single wrong beats cost the same", 1, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, ann := synthRecord(t)
			j := normalAround(t, rec, ann, max(c.wrongLeft, c.wrongRite)+1)
			for i := j - c.wrongLeft; i <= j+c.wrongRite; i++ {
				if i != j {
					rec.Model[i] = modelBeat(rec.Model[i].Sample, annotate.ClassV, annotate.ClassV)
				}
			}
			costs := DefaultCosts()
			costs.MultiSelect = true
			one := run(t, rec, Scan, costs)
			costs.RangeSelect = true
			ranges := run(t, rec, Scan, costs)
			if got := one.Total.Clicks - ranges.Total.Clicks; got != c.want || one.Total.Keys != ranges.Total.Keys {
				t.Errorf("range selection saved %d clicks (keys %d -> %d), want %d and the same keys",
					got, one.Total.Keys, ranges.Total.Keys, c.want)
			}
		})
	}
}

// normalAround returns the index of a true S beat of the model's first
// page with n true N beats on each side.
func normalAround(t *testing.T, rec Record, ann synth.Annotations, n int) int {
	t.Helper()
	page := int64(DefaultCosts().Page.Seconds() * rec.Fs)
	for j := n; j+n < len(rec.Model) && rec.Model[j+n].Sample < page; j++ {
		if truthOf(ann, rec.Model[j].Sample) != annotate.ClassS {
			continue
		}
		ok := true
		for i := j - n; i <= j+n && ok; i++ {
			ok = i == j || truthOf(ann, rec.Model[i].Sample) == annotate.ClassN
		}
		if ok {
			return j
		}
	}
	t.Fatalf("no S beat with %d N beats on each side on the first page", n)
	return 0
}

// TestKinds checks the errors left after the gallery, by kind: the model
// calls every PVC N (the N card keeps them), misses one N beat and adds a
// false beat between two others; the reference calls it all AFIB.
func TestKinds(t *testing.T) {
	rec, ann := synthRecord(t)
	rec.RefEpisodes = []annotate.Episode{{Start: 0, End: rec.NSamples, Rhythm: "AFIB"}}
	nv := count(ann, annotate.ClassV)
	for i, b := range rec.Model {
		if truthOf(ann, b.Sample) == annotate.ClassV {
			rec.Model[i] = modelBeat(b.Sample, annotate.ClassN, annotate.ClassN)
		}
	}
	i := slices.IndexFunc(rec.Model[10:], func(b annotate.Beat) bool { return truthOf(ann, b.Sample) == annotate.ClassN }) + 10
	between := (rec.Model[i].Sample + rec.Model[i+1].Sample) / 2
	rec.Model = slices.Delete(rec.Model, i, i+1)
	rec.Model = append(rec.Model, modelBeat(between, annotate.ClassN, annotate.ClassN))
	rec.Templates = byClass(rec.Model, func(b annotate.Beat) annotate.Class { return b.Code.Class() })
	cr := run(t, rec, Templates, DefaultCosts())
	want := []Kind{{annotate.ClassN, annotate.ClassV, "AFIB", nv},
		{annotate.ClassNone, annotate.ClassN, "AFIB", 1}, {annotate.ClassN, annotate.ClassNone, "AFIB", 1}}
	if got := cr.Phases[0].Kinds; !slices.Equal(got, want) {
		t.Errorf("after the gallery: kinds %+v, want %+v", got, want)
	}
	wantLeft := [annotate.ClassQ + 1]int{annotate.ClassNone: 1, annotate.ClassN: 1, annotate.ClassV: nv}
	if got := cr.Phases[0].Left(); got != wantLeft {
		t.Errorf("after the gallery: left by class %v, want %v", got, wantLeft)
	}
	if got := cr.Phases[len(cr.Phases)-1].Kinds; len(got) != 0 {
		t.Errorf("at the end: kinds %+v, want none", got)
	}
}

// lookAlikes is an in-memory review.LookAlikes for the simulator's tests:
// each listed beat looks like the others of its group.
type lookAlikes map[int64][]int64

func (l lookAlikes) LookAlikes(s int64) []int64 { return l[s] }

// TestPropagateWithRanges reads a record whose model calls every PVC N and
// a run of normal beats V, with corrections propagating: the first PVC
// fixed in full disclosure relabels the others (their look-alikes), and
// the run is still picked with Shift+click rather than beat by beat.
func TestPropagateWithRanges(t *testing.T) {
	const runLen = 5
	rec, ann := synthRecord(t)
	j := normalAround(t, rec, ann, runLen)
	la := lookAlikes{}
	var pvcs []int64
	for i, b := range rec.Model {
		switch {
		case truthOf(ann, b.Sample) == annotate.ClassV:
			rec.Model[i] = modelBeat(b.Sample, annotate.ClassN, annotate.ClassN)
			pvcs = append(pvcs, b.Sample)
		case i > j && i <= j+runLen:
			rec.Model[i] = modelBeat(b.Sample, annotate.ClassV, annotate.ClassV)
		}
	}
	for _, s := range pvcs {
		la[s] = slices.DeleteFunc(slices.Clone(pvcs), func(x int64) bool { return x == s })
	}
	if len(pvcs) < 3 {
		t.Fatalf("%d PVCs, want 3 or more", len(pvcs))
	}
	rec.LookAlikes, rec.Templates = la, nil // no cards: the full-disclosure scan fixes it all
	costs := DefaultCosts()
	costs.Patience, costs.MultiSelect, costs.Propagate = 0, true, true
	plain := run(t, rec, Templates, costs)
	costs.RangeSelect = true
	ranges := run(t, rec, Templates, costs)
	for name, r := range map[string]Result{"one beat a click": plain, "ranges": ranges} {
		if r.Total.Propagated == 0 || r.Total.Relabels >= len(pvcs)+runLen {
			t.Errorf("%s: %d propagated, %d relabelled; want propagation to fix PVCs the reader did not click", name, r.Total.Propagated, r.Total.Relabels)
		}
	}
	if saved := plain.Total.Clicks - ranges.Total.Clicks; saved != runLen-2 {
		t.Errorf("ranges saved %d clicks with propagation on, want %d (a run of %d in two)", saved, runLen-2, runLen)
	}
}
