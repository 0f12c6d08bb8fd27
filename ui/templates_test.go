package ui

import (
	"image"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// beatWave is a made-up beat in mV at 360 Hz with the R peak at sample
// before: a P wave, a QRS of width w seconds and amplitude amp, a T wave.
func beatWave(n, before int, amp, w, jitter float64) []float32 {
	g := func(t, mu, sd, a float64) float64 { return a * math.Exp(-(t-mu)*(t-mu)/(2*sd*sd)) }
	out := make([]float32, n)
	for i := range out {
		t := float64(i-before) / 360
		v := g(t, -0.16, 0.025, 0.15) + g(t, 0, w, amp) + g(t, 0.03, w, -amp/4) + g(t, 0.28+jitter, 0.05, 0.3)
		out[i] = float32(v + 0.02*math.Sin(float64(i)*0.3+jitter*40))
	}
	return out
}

// testTemplate is a cluster of n beats of one shape, labelled mostly k.
func testTemplate(id, n int, k annotate.Class, amp, w float64) review.Template {
	t := review.Template{ID: id, Fs: 360, Before: 90, MeanRR: 0.8, Prematurity: 1}
	for i := range n {
		t.Beats = append(t.Beats, int64(1000+id*100000+i*300))
		t.Distance = append(t.Distance, float32(n-i)/float32(n))
	}
	for i := range 8 {
		t.Snippets = append(t.Snippets, [][]float32{beatWave(234, 90, amp*(1+0.05*float64(i-4)), w, 0.004*float64(i))})
	}
	t.Median = [][]float32{beatWave(234, 90, amp, w, 0)}
	t.Mix[k] = n - n/10
	t.Mix[annotate.ClassN] += n / 10
	t.Dominant = k
	if k == annotate.ClassV {
		t.MeanRR, t.Prematurity = 0.55, 0.68
	}
	return t
}

func TestTemplateImageGolden(t *testing.T) {
	for _, c := range themeVariants {
		t.Run(c.name, func(t *testing.T) {
			test.NewTempApp(t)
			img := image.NewRGBA(image.Rect(0, 0, 180, 120))
			tp := testTemplate(3, 40, annotate.ClassV, 1.6, 0.022)
			drawTemplateImage(img, &tp, newTilePalette(NewTheme(), c.v), &trace.Envelope{})
			test.AssertImageMatches(t, "templates_card_"+c.name+".png", img)
		})
	}
}

func TestSnippetImageGolden(t *testing.T) {
	test.NewTempApp(t)
	v := slices.Concat(beatWave(300, 150, 1.2, 0.01, 0), beatWave(280, 100, 1.8, 0.025, 0))
	s := &Snippet{At: 550, Start: 100, Fs: 360, Values: [][]float32{v},
		Beats: []annotate.Beat{{Sample: 250, Code: annotate.Normal}, {Sample: 550, Code: annotate.PVC}}}
	img := image.NewRGBA(image.Rect(0, 0, 220, 100))
	drawSnippetImage(img, s, newTilePalette(NewTheme(), theme.VariantLight), &trace.Envelope{})
	test.AssertImageMatches(t, "templates_snippet_light.png", img)
}

// templateCalls records what the template screen asked for.
type templateCalls struct {
	relabel []struct {
		id int
		c  annotate.Code
	}
	merges [][]int
	splits []int
	prem   []int // clusters split by prematurity
	moves  [][]int64
	jumps  []int64
}

func newTestTemplateScreen(t *testing.T) (*TemplateScreen, *templateCalls, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	serialUI(t)
	test.ApplyTheme(t, &fixedVariantTheme{NewTheme(), theme.VariantLight})
	calls := &templateCalls{}
	s := NewTemplateScreen(TemplateActions{
		Relabel: func(id int, c annotate.Code) error {
			calls.relabel = append(calls.relabel, struct {
				id int
				c  annotate.Code
			}{id, c})
			return nil
		},
		Merge: func(into int, from []int) error {
			calls.merges = append(calls.merges, append([]int{into}, from...))
			return nil
		},
		Split:          func(id int) error { calls.splits = append(calls.splits, id); return nil },
		SplitPremature: func(id int) error { calls.prem = append(calls.prem, id); return nil },
		Move: func(b []int64, to int) error {
			calls.moves = append(calls.moves, append([]int64{int64(to)}, b...))
			return nil
		},
		Jump: func(at int64) { calls.jumps = append(calls.jumps, at) },
		Snippet: func(at int64) (*Snippet, error) {
			return &Snippet{At: at, Start: at - 90, Fs: 360, Values: [][]float32{beatWave(234, 90, 1, 0.012, 0)}}, nil
		},
	})
	s.SetTemplates([]review.Template{
		testTemplate(1, 300, annotate.ClassN, 1.0, 0.012),
		testTemplate(2, 45, annotate.ClassV, 1.7, 0.024),
		testTemplate(5, 12, annotate.ClassS, 0.9, 0.011),
	})
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(900, 640))
	w.Canvas().Focus(s.Gallery())
	return s, calls, w
}

func TestTemplateScreenKeys(t *testing.T) {
	s, calls, w := newTestTemplateScreen(t)
	c := w.Canvas()
	// V relabels the selected (first) cluster; Right then v the second.
	test.Type(s.Gallery(), "V")
	s.gallery.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	test.Type(s.Gallery(), "v")
	if len(calls.relabel) != 2 || calls.relabel[0].id != 1 || calls.relabel[1].id != 2 || calls.relabel[1].c != annotate.PVC {
		t.Fatalf("relabels %+v, want cluster 1 then 2 to V", calls.relabel)
	}
	// Space marks #2; Right, M merges #2 into #5.
	test.Type(s.Gallery(), " ")
	s.gallery.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	test.Type(s.Gallery(), "m")
	if len(calls.merges) != 1 || !slices.Equal(calls.merges[0], []int{5, 2}) {
		t.Fatalf("merges %v, want [[5 2]]", calls.merges)
	}
	// K splits the selected cluster, P splits it by prematurity; J jumps
	// to its least typical beat.
	test.Type(s.Gallery(), "kpj")
	if !slices.Equal(calls.splits, []int{5}) || !slices.Equal(calls.prem, []int{5}) ||
		len(calls.jumps) != 1 || calls.jumps[0] != s.templates[2].Beats[0] {
		t.Fatalf("splits %v, by prematurity %v, jumps %v", calls.splits, calls.prem, calls.jumps)
	}
	// Enter moves to the members; Space marks the first, T moves it to a
	// new cluster.
	s.gallery.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.Focused() != s.members {
		t.Fatalf("focus %T after Enter, want the member grid", c.Focused())
	}
	test.Type(s.members, " t")
	if len(calls.moves) != 1 || calls.moves[0][0] != -1 || calls.moves[0][1] != s.templates[2].Beats[0] {
		t.Fatalf("moves %v, want the first member of #5 to a new cluster", calls.moves)
	}
}

func TestTemplateScreenCaption(t *testing.T) {
	tp := testTemplate(2, 50, annotate.ClassV, 1.7, 0.024)
	got := templateCaption(&tp)
	want := []string{"#2  V  50 beats", "N 10%  V 90%", "RR 0.55 s · prematurity 0.68"}
	if !slices.Equal(got, want) {
		t.Errorf("caption %q, want %q", got, want)
	}
}

func TestTemplateScreenGolden(t *testing.T) {
	s, _, w := newTestTemplateScreen(t)
	waitFor(t, func() bool { return s.members.tiles[0].paint != nil }) // snippets read in the background
	test.AssertImageMatches(t, "templates_screen_light.png", w.Canvas().Capture())
}

// uiQueue holds what background work hands to the UI while a test runs
// (see serialUI).
var uiQueue chan func()

// serialUI makes background work hand its results to the test's own
// goroutine (drained by waitFor), as fyne.Do does in the real app.
func serialUI(t *testing.T) {
	q := make(chan func(), 4096)
	old := toUI
	toUI, uiQueue = func(f func()) { q <- f }, q
	t.Cleanup(func() { // let the screens' goroutines finish before the next test
		for !Idle() || len(q) > 0 {
			drainUI()
			time.Sleep(time.Millisecond)
		}
		toUI, uiQueue = old, nil
	})
}

// waitFor runs what background work handed to the UI until cond holds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 400 {
		drainUI()
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !cond() {
		t.Fatal("timed out waiting")
	}
}

func drainUI() {
	for {
		select {
		case f := <-uiQueue:
			f()
		default:
			return
		}
	}
}

// TestTemplateCaptionCountsAdapted: a card says how many of its beats hold
// the adapter's labels, after a diamond, and says nothing when none do.
func TestTemplateCaptionCountsAdapted(t *testing.T) {
	tp := testTemplate(3, 40, annotate.ClassV, 1.6, 0.022)
	if c := strings.Join(templateCaption(&tp), "\n"); strings.Contains(c, "adapted") {
		t.Errorf("caption without adapted labels: %q", c)
	}
	tp.Adapted = 12
	if c := templateCaption(&tp)[1]; !strings.HasSuffix(c, "◆ 12 adapted") {
		t.Errorf("label mix line %q, want it to end in ◆ 12 adapted", c)
	}
}
