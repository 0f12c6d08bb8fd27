package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/ui"
)

var updateChannels = flag.Bool("update-channels", false, "rewrite testdata/channels/pulse_first.edf")

// leadNamesOf returns the names of sig's leads.
func leadNamesOf(sig annotate.Signal) []string {
	var out []string
	for _, l := range sig.Info().Leads {
		out = append(out, l.Name)
	}
	return out
}

// detectorBeats runs the pipeline without models (the QRS detector and
// the signal quality) on sig and returns its beats' samples and noise.
func detectorBeats(t *testing.T, sig annotate.Signal) ([]int64, []annotate.Noise) {
	t.Helper()
	p, err := pipeline.New(pipeline.Config{Signal: sig, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int64, len(res.Marks))
	for i, b := range res.Marks {
		out[i] = b.Sample
	}
	return out, res.Output.Noise
}

// matched counts the beats of a that have one of b within w samples.
func matched(a, b []int64, w int64) int {
	n := 0
	for _, x := range a {
		i, _ := slices.BinarySearch(b, x-w)
		if i < len(b) && b[i] <= x+w {
			n++
		}
	}
	return n
}

// inner drops the beats within w samples of either end of a record of n
// samples, as EC57 scoring leaves the edges out (a beat cut by the end).
func inner(beats []int64, w, n int64) []int64 {
	return slices.DeleteFunc(beats, func(s int64) bool { return s < w || s >= n-w })
}

// TestPulseFirstFixture: the committed fixture is what the synthetic
// generator and the EDF+ writer make today; by default the detector (and
// so the models) read its leads II and V1, not the pulse channel that
// comes first, and find the generator's beats; fed every channel as
// before, the pulses come out as beats.
func TestPulseFirstFixture(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse_first.edf")
	if *updateChannels {
		path = pulseFirstPath
	}
	ref, err := writePulseFirst(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err1 := os.ReadFile(path)
	want, err2 := os.ReadFile(pulseFirstPath)
	if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the generator makes today (%v, %v): run go test ./app -run TestPulseFirstFixture -update-channels", pulseFirstPath, err1, err2)
	}
	if len(want) > 100_000 {
		t.Errorf("fixture is %d bytes, fixtures stay under 100 KB", len(want))
	}
	rec, err := store.Open(pulseFirstPath)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	sig := modelSignal(rec.Signal, store.RecordSettings{})
	if names := leadNamesOf(sig); !slices.Equal(names, []string{"II", "V1"}) {
		t.Fatalf("the models read %v, want [II V1] (record channels %v)", names, leadNamesOf(rec.Signal))
	}
	if names := leadNamesOf(shownSignal(rec.Signal, store.RecordSettings{ShownLeads: []int{3, 0}})); !slices.Equal(names, []string{"V1", "Pulse"}) {
		t.Errorf("the report prints %v, want the reader's [V1 Pulse]", names)
	}
	var refs []int64
	for _, b := range ref {
		if b.Code.IsBeat() {
			refs = append(refs, b.Sample)
		}
	}
	w := int64(0.15 * rec.Signal.Info().Fs)
	beats, _ := detectorBeats(t, sig)
	beats = inner(beats, w, rec.Signal.Info().NSamples)
	se, pp := float64(matched(refs, beats, w))/float64(len(refs)), float64(matched(beats, refs, w))/float64(len(beats))
	t.Logf("ECG leads: %d reference beats, %d detected, Se %.3f, +P %.3f", len(refs), len(beats), se, pp)
	if se < 0.99 || pp < 0.99 {
		t.Errorf("ECG leads: Se %.3f, +P %.3f, want both >= 0.99", se, pp)
	}
	all, _ := detectorBeats(t, rec.Signal)
	all = inner(all, w, rec.Signal.Info().NSamples)
	ppAll := float64(matched(all, refs, w)) / float64(len(all))
	t.Logf("every channel: %d detected, +P %.3f", len(all), ppAll)
	if ppAll >= pp {
		t.Errorf("fed every channel the detector did as well (+P %.3f): the fixture no longer shows what it is for", ppAll)
	}
}

// TestGeneratorModelsFedECG: wfdb-samples' test_generator_2.edf has 11
// channels, every one in µV; the models are fed its ECG channel alone (the
// fourth), the strip shows it alone, and the detector finds its beats
// there; noise stretches name the record's lead.
func TestGeneratorModelsFedECG(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "test_generator_2.edf")
	rec, err := store.Open(filepath.Join(dir, "test_generator_2.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	info := rec.Signal.Info()
	if len(info.Leads) != 11 {
		t.Fatalf("%d leads, want the 11 channels", len(info.Leads))
	}
	sig := modelSignal(rec.Signal, store.RecordSettings{})
	if names := leadNamesOf(sig); !slices.Equal(names, []string{"ECG"}) {
		t.Fatalf("the models read %v, want [ECG] (channels %v)", names, leadNamesOf(rec.Signal))
	}
	if sel, ok := sig.(*annotate.LeadSelection); !ok || !slices.Equal(sel.Leads(), []int{3}) {
		t.Fatalf("model signal %T, want the record's lead 3", sig)
	}
	if shown := annotate.DefaultShownLeads(info.Leads); !slices.Equal(shown, []int{3}) {
		t.Errorf("shown by default %v, want [3]", shown)
	}
	beats, noise := detectorBeats(t, sig)
	rate := float64(len(beats)) / info.Duration().Minutes()
	t.Logf("%d beats in %s: %.1f a minute; %d noise stretches", len(beats), info.Duration(), rate, len(noise))
	if rate < 30 || rate > 200 {
		t.Errorf("%.1f beats a minute on the ECG channel: not a heart rate", rate)
	}
	for _, n := range noise {
		if n.Lead != -1 && n.Lead != 3 {
			t.Errorf("noise stretch on lead %d: the models read lead 3 only", n.Lead)
		}
	}
}

// TestGUILeadsKept: the Leads dialog's choice is kept with the record in
// the label database, so reopening the record shows it again and the
// models read the chosen leads.
func TestGUILeadsKept(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "labels.db")
	g, rec, _ := openTestScreen(t, pulseFirstPath, dbPath)
	g.opts.noPreannotate = true
	g.showStoredLeads(rec, g.recID)
	if l := g.screen.Strip.Leads(); !slices.Equal(l, []int{2, 3}) {
		t.Fatalf("strip shows %v by default, want [2 3] (II, V1)", l)
	}
	g.keepLeads(rec, g.recID, ui.LeadChoice{Shown: []int{3, 2, 0}, Model: []int{3}}, g.leads.choose())
	if names := leadNamesOf(g.modelSignal(rec)); !slices.Equal(names, []string{"V1"}) {
		t.Errorf("after the choice the models read %v, want [V1]", names)
	}
	st, err := g.db.RecordSettings(g.recID)
	if err != nil || !slices.Equal(st.ShownLeads, []int{3, 2, 0}) || !slices.Equal(st.ModelLeads, []int{3}) {
		t.Fatalf("stored %+v, %v", st, err)
	}
	g.screen.SetLeads(ui.LeadChoice{Shown: []int{0}}) // as another record would leave it
	g.leads.set(nil, nil)
	g.showStoredLeads(rec, g.recID) // what opening the record again does
	if l := g.screen.Strip.Leads(); !slices.Equal(l, []int{3, 2, 0}) {
		t.Errorf("reopened: strip shows %v, want [3 2 0]", l)
	}
	if names := leadNamesOf(g.modelSignal(rec)); !slices.Equal(names, []string{"V1"}) {
		t.Errorf("reopened: the models read %v, want [V1]", names)
	}
}

// TestTwelveLeadDefaults: a 12-lead record shows the standard twelve in
// their order with their standard names, and the models read II and V1:
// PTB's s0010_re (15 channels, lower-case names, the Frank leads vx, vy,
// vz after the twelve) when $ECGDATA has it, and the synthetic generator's
// 12 leads always.
func TestTwelveLeadDefaults(t *testing.T) {
	want := []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}
	check := func(name string, leads []annotate.Lead) {
		t.Helper()
		shown := annotate.DefaultShownLeads(leads)
		var names []string
		for _, i := range shown {
			names = append(names, annotate.DisplayName(leads[i]))
		}
		if !slices.Equal(names, want) {
			t.Errorf("%s: shown %v, want the standard twelve in order", name, names)
		}
		model := annotate.ModelLeads(leads)
		if len(model) != 2 || annotate.DisplayName(leads[model[0]]) != "II" || annotate.DisplayName(leads[model[1]]) != "V1" {
			t.Errorf("%s: the models read %v, want II and V1", name, model)
		}
	}
	cfg := synth.Default()
	cfg.Duration, cfg.Leads = 10*time.Second, 12
	info, _, _, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	check("synthetic", info.Leads)
	dir := ecgdata.Dir(t, "wfdb-samples", "s0010_re.dat")
	rec, err := store.Open(filepath.Join(dir, "s0010_re.hea"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if n := len(rec.Signal.Info().Leads); n != 15 {
		t.Fatalf("s0010_re: %d leads, want 15", n)
	}
	check("s0010_re", rec.Signal.Info().Leads)
}

// settingsEntries returns the notes of the settings audit entries of id.
func settingsEntries(t *testing.T, db *store.DB, id annotate.RecordID) []string {
	t.Helper()
	var notes []string
	for e, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind == "settings" {
			notes = append(notes, e.Note)
		}
	}
	return notes
}

// TestLeadsApplyWritesOnlyChanges: an Apply that changes nothing the
// reader sees or the models read writes no audit entry (the defaults
// written out are the defaults); a change of the model leads writes one
// that marks the complete model run before it stale, so modelSaved asks
// for a run again (a rerun stopped on the way resumes at the next
// opening); a choice overtaken by a newer one writes nothing.
func TestLeadsApplyWritesOnlyChanges(t *testing.T) {
	g, rec, _ := openTestScreen(t, pulseFirstPath, filepath.Join(t.TempDir(), "labels.db"))
	g.opts.noPreannotate = true
	if err := g.db.ModelDone(g.recID, "beatnet@test", 1, 0, 0); err != nil {
		t.Fatal(err)
	}
	defaults := ui.LeadChoice{Shown: []int{2, 3}, Model: []int{2, 3}}
	steps := []struct {
		name  string
		c     ui.LeadChoice
		n     func() uint64
		notes int  // settings entries after the step
		saved bool // modelSaved after the step
	}{
		{"the defaults written out", defaults, g.leads.choose, 0, true},
		{"shown leads only", ui.LeadChoice{Shown: []int{3}, Model: []int{2, 3}}, g.leads.choose, 1, true},
		{"the same again", ui.LeadChoice{Shown: []int{3}, Model: []int{2, 3}}, g.leads.choose, 1, true},
		{"model leads", ui.LeadChoice{Shown: []int{3}, Model: []int{3}}, g.leads.choose, 2, false},
		{"overtaken", defaults, func() uint64 { n := g.leads.choose(); g.leads.choose(); return n }, 2, false},
	}
	for _, st := range steps {
		g.keepLeads(rec, g.recID, st.c, st.n())
		if notes := settingsEntries(t, g.db, g.recID); len(notes) != st.notes {
			t.Errorf("%s: settings entries %q, want %d", st.name, notes, st.notes)
		}
		if done, err := modelSaved(g.db, g.recID, ""); err != nil || done != st.saved {
			t.Errorf("%s: modelSaved = %v, %v; want %v", st.name, done, err, st.saved)
		}
	}
	if err := g.db.ModelDone(g.recID, "beatnet@test", 1, 0, 0); err != nil {
		t.Fatal(err)
	}
	if done, err := modelSaved(g.db, g.recID, ""); err != nil || !done {
		t.Errorf("a complete run on the new leads: modelSaved = %v, %v; want true", done, err)
	}
}
