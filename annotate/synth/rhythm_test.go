package synth

import (
	"math"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

func countCodes(ann Annotations) map[annotate.Code]int {
	m := map[annotate.Code]int{}
	for _, b := range ann.Beats {
		m[b.Code]++
	}
	return m
}

// TestEctopicCounts checks the counts against the requested rates (within
// 3.5 standard deviations of a Poisson count) and the coupling intervals
// and pauses that make each kind look like itself.
func TestEctopicCounts(t *testing.T) {
	tests := []struct {
		name          string
		pvc, pac, fus float64
		hr            float64
	}{
		{"PVC only", 400, 0, 0, 70},
		{"PAC only", 0, 400, 0, 70},
		{"mixed at 90 bpm", 300, 200, 60, 90},
		{"frequent at 50 bpm", 600, 300, 0, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := clean(2 * time.Hour)
			c.Leads, c.HR, c.Circadian = 1, tt.hr, 0
			c.PVC.PerHour, c.PAC.PerHour, c.Fusion.PerHour = tt.pvc, tt.pac, tt.fus
			info, _, ann := mustRecord(t, c)
			got := countCodes(ann)
			hours := c.Duration.Hours()
			sinusHours := hours // no episodes: the whole record is sinus rhythm
			for code, rate := range map[annotate.Code]float64{annotate.PVC: tt.pvc, annotate.APC: tt.pac, annotate.Fusion: tt.fus} {
				want := rate * sinusHours
				if d := math.Abs(float64(got[code]) - want); d > 3.5*math.Sqrt(want)+1 {
					t.Errorf("%s: %d beats in %g h, want %.0f (rate %g/h)", code, got[code], hours, want, rate)
				}
			}
			checkCoupling(t, ann, info.Fs, c.withDefaults())
		})
	}
}

// checkCoupling checks, around every isolated ectopic beat between two
// normal beats, the coupling interval (relative to the RR before it) and
// the pause after it: compensatory (sum of the two RRs ≈ 2 RR) for V, less
// than compensatory for A.
func checkCoupling(t *testing.T, ann Annotations, fs float64, c Config) {
	t.Helper()
	b := ann.Beats
	for i := 2; i+1 < len(b); i++ {
		if b[i-2].Code != annotate.Normal || b[i-1].Code != annotate.Normal || b[i+1].Code != annotate.Normal {
			continue
		}
		rr := float64(b[i-1].Sample-b[i-2].Sample) / fs
		before := float64(b[i].Sample-b[i-1].Sample) / fs / rr
		after := float64(b[i+1].Sample-b[i].Sample) / fs / rr
		switch b[i].Code {
		case annotate.PVC:
			if math.Abs(before-c.PVC.Coupling) > 0.15 || math.Abs(before+after-2) > 0.25 {
				t.Fatalf("V at %d: coupling %.2f RR, pause sum %.2f RR; want %.2f and 2", b[i].Sample, before, before+after, c.PVC.Coupling)
			}
		case annotate.APC:
			if math.Abs(before-c.PAC.Coupling) > 0.15 || before+after > 1.9 {
				t.Fatalf("A at %d: coupling %.2f RR, pause sum %.2f RR; want %.2f and < 2", b[i].Sample, before, before+after, c.PAC.Coupling)
			}
		}
	}
}

func episodesOf(ann Annotations, rhythm string) []annotate.Episode {
	var out []annotate.Episode
	for _, e := range ann.Episodes {
		if e.Rhythm == rhythm {
			out = append(out, e)
		}
	}
	return out
}

// beatsIn returns the beats whose sample lies in [e.Start, e.End).
func beatsIn(ann Annotations, e annotate.Episode) []annotate.Beat {
	var out []annotate.Beat
	for _, b := range ann.Beats {
		if b.Sample >= e.Start && b.Sample < e.End {
			out = append(out, b)
		}
	}
	return out
}

func cv(beats []annotate.Beat) float64 {
	var rr []float64
	for i := 1; i < len(beats); i++ {
		rr = append(rr, float64(beats[i].Sample-beats[i-1].Sample))
	}
	m, sd := meanSD(rr)
	return sd / m
}

// TestAF checks that AF episodes have irregular RR intervals and no P
// waves, while the sinus rhythm around them is regular and has P waves.
func TestAF(t *testing.T) {
	c := clean(10 * time.Minute)
	c.AF.Rate, c.AF.FAmp, c.HRV = 65, 1e-9, 0.03 // f-waves off, so the P-wave check sees only P waves
	c.Events = []Event{{"AFIB", 2 * time.Minute, 3 * time.Minute}, {"AFIB", 6 * time.Minute, 2 * time.Minute}}
	info, s, ann := mustRecord(t, c)
	af := episodesOf(ann, "AFIB")
	if len(af) != 2 {
		t.Fatalf("%d AFIB episodes, want 2: %v", len(af), ann.Episodes)
	}
	var inAF []annotate.Beat
	for _, e := range af {
		b := beatsIn(ann, e)
		if v := cv(b); v < 0.15 {
			t.Errorf("AF episode %d-%d: RR coefficient of variation %.3f, want > 0.15", e.Start, e.End, v)
		}
		inAF = append(inAF, b...)
	}
	sinus := beatsIn(ann, annotate.Episode{Start: 0, End: af[0].Start})
	if v := cv(sinus); v > 0.08 {
		t.Errorf("sinus rhythm: RR coefficient of variation %.3f, want < 0.08", v)
	}
	pAF, pSinus := pWave(s[0], info, inAF), pWave(s[0], info, sinus)
	if pSinus < 0.08 || math.Abs(pAF) > 0.03 {
		t.Errorf("mean P-wave height: sinus %.3f mV (want > 0.08), AF %.3f mV (want about 0)", pSinus, pAF)
	}
}

// pWave returns the mean height of lead 0 at the sinus P-wave peak (145 ms
// before R) above the level 260 ms before R, in mV.
func pWave(x []int32, info annotate.RecordInfo, beats []annotate.Beat) float64 {
	p, ref := int64(0.145*info.Fs), int64(0.26*info.Fs)
	var sum float64
	n := 0
	for _, b := range beats[1:] {
		if b.Sample-ref >= 0 {
			sum += info.Leads[0].Physical(x[b.Sample-p]) - info.Leads[0].Physical(x[b.Sample-ref])
			n++
		}
	}
	return sum / float64(n)
}

// TestPausesAndVT checks sinus pauses (fixed and random) and VT runs.
func TestPausesAndVT(t *testing.T) {
	c := clean(20 * time.Minute)
	c.Pause.PerHour = 12
	c.VT.PerHour = 9
	c.Events = []Event{{"PAUSE", 30 * time.Second, 3 * time.Second}, {"VT", time.Minute, 5 * time.Second}}
	info, _, ann := mustRecord(t, c)
	pauses, vts := episodesOf(ann, "PAUSE"), episodesOf(ann, "VT")
	if len(pauses) < 2 || len(vts) < 2 {
		t.Fatalf("%d pauses and %d VT runs, want at least 2 of each", len(pauses), len(vts))
	}
	for _, p := range pauses {
		if d := float64(p.End-p.Start) / info.Fs; d < 2 {
			t.Errorf("pause %d-%d lasts %.2f s, want >= 2 s", p.Start, p.End, d)
		}
		if n := len(beatsIn(ann, annotate.Episode{Start: p.Start + 1, End: p.End})); n != 0 {
			t.Errorf("pause %d-%d has %d beats inside", p.Start, p.End, n)
		}
	}
	for _, v := range vts {
		b := beatsIn(ann, v)
		rate := 60 * info.Fs * float64(len(b)-1) / float64(b[len(b)-1].Sample-b[0].Sample)
		if len(b) < 3 || rate <= 100 || countCodes(Annotations{Beats: b})[annotate.PVC] != len(b) {
			t.Errorf("VT %d-%d: %d beats at %.0f bpm, codes %v; want >= 3 V beats above 100 bpm", v.Start, v.End, len(b), rate, countCodes(Annotations{Beats: b}))
		}
	}
}

// TestBigeminyAndFlutter checks the beat pattern of bigeminy (N V N V ...)
// and the regular, P-less conduction in atrial flutter.
func TestBigeminyAndFlutter(t *testing.T) {
	c := clean(3 * time.Minute)
	c.AFL.Conduction = 2
	c.Events = []Event{{"B", 20 * time.Second, 30 * time.Second}, {"AFL", 90 * time.Second, 60 * time.Second}}
	info, _, ann := mustRecord(t, c)
	c = c.withDefaults()
	bs := episodesOf(ann, "B")
	if len(bs) != 1 {
		t.Fatalf("%d bigeminy episodes, want 1", len(bs))
	}
	b := beatsIn(ann, bs[0])
	for i, x := range b {
		if want := []annotate.Code{annotate.Normal, annotate.PVC}[i%2]; x.Code != want {
			t.Fatalf("bigeminy beat %d is %s, want %s", i, x.Code, want)
		}
	}
	fl := episodesOf(ann, "AFL")
	if len(fl) != 1 {
		t.Fatalf("%d flutter episodes, want 1", len(fl))
	}
	fb := beatsIn(ann, fl[0])
	rate := 60 * info.Fs * float64(len(fb)-1) / float64(fb[len(fb)-1].Sample-fb[0].Sample)
	if math.Abs(rate-c.AFL.Rate/2) > 5 || cv(fb) > 0.05 {
		t.Errorf("2:1 flutter: %.1f bpm, RR CV %.3f; want %g bpm and regular", rate, cv(fb), c.AFL.Rate/2)
	}
}

// TestSVTA checks a paroxysmal SVT event: one SVTA episode of S beats at
// SVTRate that starts and ends abruptly.
func TestSVTA(t *testing.T) {
	c := clean(3 * time.Minute)
	c.Events = []Event{{"SVTA", time.Minute, 20 * time.Second}}
	c.SVTRate = 170
	info, _, ann := mustRecord(t, c)
	eps := episodesOf(ann, "SVTA")
	if len(eps) != 1 {
		t.Fatalf("%d SVTA episodes, want 1", len(eps))
	}
	b := beatsIn(ann, eps[0])
	rate := 60 * info.Fs * float64(len(b)-1) / float64(b[len(b)-1].Sample-b[0].Sample)
	if n := countCodes(Annotations{Beats: b})[annotate.SVPB]; n != len(b) || n < 50 || rate < 0.95*c.SVTRate || rate > 1.05*c.SVTRate {
		t.Errorf("SVTA %d-%d: %d beats (%d S) at %.0f bpm, want about 56 S beats at %.0f bpm", eps[0].Start, eps[0].End, len(b), n, rate, c.SVTRate)
	}
	if d := float64(eps[0].End-eps[0].Start) / info.Fs; d < 19 || d > 21 {
		t.Errorf("SVTA lasts %.1f s, want 20 s", d)
	}
}
