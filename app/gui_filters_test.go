package main

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// TestDisplayFiltersNeverReachModels runs the models on a synthetic record
// with PVCs and noise, then shows it in the record screen with every
// display filter on (from the preferences, as at start-up), draws it at
// several zooms and in full disclosure, switches the filters with the
// keys, and runs the models again on the same open record: the samples the
// record gives (what the models and every export read) and the models'
// beats (positions, labels, probabilities) and episodes are identical.
func TestDisplayFiltersNeverReachModels(t *testing.T) {
	dir := t.TempDir()
	cfg := synth.Default()
	cfg.Duration, cfg.ADCBits, cfg.PVC.PerHour = 2*time.Minute, 12, 300
	if _, _, err := writeSynthRecord(dir, "rec", cfg, 212); err != nil {
		t.Fatal(err)
	}
	rec, err := store.Open(filepath.Join(dir, "rec.hea"))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	samples0 := readSamples(t, rec.Signal)
	out0 := runModels(t, rec.Signal)

	a := newTestApp(t)
	g := &gui{app: a, screen: ui.NewRecordScreen()}
	g.screen.Inline = true
	t.Cleanup(g.screen.Close)
	w := test.NewTempWindow(t, g.screen.Content())
	w.Resize(fyne.NewSize(1000, 640))
	g.screen.SetWindow(w)
	g.applyPrefs(ui.Prefs{Speed: 25, Gain: 10, Filters: ui.Filters{Baseline: true, Mains: true, Muscle: true, MainsHz: 60}})
	g.screen.SetRecord(rec.Signal, nil)
	if ready := g.screen.Ready(); ready != nil {
		<-ready
	}
	if f := g.screen.Strip.Filters(); !f.Baseline || !f.Mains || !f.Muscle {
		t.Fatalf("the record opened with filters %+v, want all on", f)
	}
	for _, sp := range []float64{50, 25, 6.25, 1, 0} {
		g.screen.Strip.SetSpeed(sp, 0)
		w.Canvas().Capture()
	}
	g.screen.ToggleDisclosure()
	w.Canvas().Capture()
	g.screen.ToggleDisclosure()
	w.Canvas().Focus(g.screen.Strip)
	for _, k := range []fyne.KeyName{fyne.KeyF5, fyne.KeyF6, fyne.KeyF8} {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
		w.Canvas().Capture()
	}

	if !reflect.DeepEqual(readSamples(t, rec.Signal), samples0) {
		t.Fatal("the record's samples changed after drawing it filtered")
	}
	out1 := runModels(t, rec.Signal)
	if len(out1.Beats) == 0 || !reflect.DeepEqual(out1, out0) {
		t.Errorf("the models' output changed after drawing filtered: %d beats and %d episodes, before %d and %d",
			len(out1.Beats), len(out1.Episodes), len(out0.Beats), len(out0.Episodes))
	}
}

// readSamples reads every sample of sig.
func readSamples(t *testing.T, sig annotate.Signal) [][]int32 {
	info := sig.Info()
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, info.NSamples)
	}
	for got := int64(0); got < info.NSamples; {
		view := make([][]int32, len(buf))
		for i := range buf {
			view[i] = buf[i][got:]
		}
		n, err := sig.Read(view, got)
		if err != nil || n == 0 {
			t.Fatalf("reading at %d: %d samples, %v", got, n, err)
		}
		got += int64(n)
	}
	return buf
}

// runModels runs the pipeline (the shipped beat and rhythm models when
// ONNX Runtime is there, else detection and rules) on sig.
func runModels(t *testing.T, sig annotate.Signal) annotate.ModelOutput {
	svc := modelsvc.New(modelsvc.Config{Threads: 1})
	t.Cleanup(func() { _ = svc.Close() })
	beat, rhythm, err := svc.Suggesters()
	if err != nil {
		t.Logf("models unavailable (%v): detection and rules only", err)
	}
	p, err := pipeline.New(pipeline.Config{Signal: sig, Beat: beat, Rhythm: rhythm, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res.Output
}

// TestFilterKeysSurviveRestart switches display filters with the keys and
// checks the next start (a new window on the same preferences) opens with
// them on, the mains frequency kept.
func TestFilterKeysSurviveRestart(t *testing.T) {
	a := newTestApp(t)
	a.Preferences().SetFloat(ui.PrefMainsHz, 60)
	start := func() *gui {
		g := &gui{app: a, screen: ui.NewRecordScreen()}
		g.screen.Inline = true
		t.Cleanup(g.screen.Close)
		g.win = test.NewTempWindow(t, g.screen.Content())
		g.screen.SetWindow(g.win)
		g.settingsMenu()
		return g
	}
	g := start()
	g.screen.SetRecord(&annotate.MemSignal{Meta: annotate.RecordInfo{Fs: 250, NSamples: 2500,
		Leads: []annotate.Lead{{Name: "II", Gain: 200, Units: "mV"}}}, Samples: [][]int32{make([]int32, 2500)}}, nil)
	if ready := g.screen.Ready(); ready != nil { // the overview's build repaints from its goroutine (-race)
		<-ready
	}
	g.win.Canvas().Focus(g.screen.Strip)
	for _, k := range []fyne.KeyName{fyne.KeyF5, fyne.KeyF6, fyne.KeyF7, fyne.KeyF6} {
		g.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	want := ui.Filters{Baseline: true, Muscle: true, MainsHz: 60}
	if got := g.screen.Strip.Filters(); got != want {
		t.Fatalf("after F5 F6 F7 F6: %+v, want %+v", got, want)
	}
	if got := start().screen.Strip.Filters(); got != want {
		t.Errorf("after a restart: %+v, want %+v", got, want)
	}
}
