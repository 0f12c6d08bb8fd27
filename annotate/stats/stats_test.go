package stats

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

const fs = 100.0

// beats returns one beat per symbol of codes, every step samples from start.
func beats(codes string, start, step int64) []annotate.Beat {
	var out []annotate.Beat
	for i, c := range codes {
		code, ok := annotate.ParseSymbol(string(c))
		if !ok {
			panic("bad symbol " + string(c))
		}
		out = append(out, annotate.Beat{Sample: start + int64(i)*step, Code: code})
	}
	return out
}

func info(n int64) annotate.RecordInfo {
	return annotate.RecordInfo{Name: "t", Fs: fs, NSamples: n}
}

func TestCountEctopy(t *testing.T) {
	tests := []struct {
		name                                  string
		codes                                 string
		k                                     annotate.Class
		iso, coup, runs, longest, big, bigBts int
	}{
		// The package comment's example.
		{"doc example", "NVNNVVNVVVVNVNVNVN", annotate.ClassV, 4, 1, 1, 4, 1, 3},
		{"none", "NNNNN", annotate.ClassV, 0, 0, 0, 0, 0, 0},
		{"S couplet and run", "NAANAAAN", annotate.ClassS, 0, 1, 1, 3, 0, 0},
		{"S counts a J S", "NaNJNSN", annotate.ClassS, 3, 0, 0, 0, 1, 3},
		{"two bigeminies", "NVNVNVNNNVNVNVNVN", annotate.ClassV, 7, 0, 0, 0, 2, 7},
		{"bigeminy too short", "NVNVN", annotate.ClassV, 2, 0, 0, 0, 0, 0},
		{"bigeminy broken by couplet", "NVNVNVVNVNVN", annotate.ClassV, 4, 1, 0, 0, 0, 0},
		{"E counts as V", "NENEVEN", annotate.ClassV, 1, 0, 1, 3, 0, 0},
		{"run at end", "NNVVVV", annotate.ClassV, 0, 0, 1, 4, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := CountEctopy(beats(tt.codes, 0, 80), tt.k, 3)
			got := [6]int{e.Isolated, e.Couplets, e.Runs, e.LongestRun, e.Bigeminy, e.BigeminyBeats}
			want := [6]int{tt.iso, tt.coup, tt.runs, tt.longest, tt.big, tt.bigBts}
			if got != want {
				t.Errorf("isolated, couplets, runs, longest, bigeminy, bigeminal beats = %v, want %v", got, want)
			}
		})
	}
}

func TestHeartRate(t *testing.T) {
	// 20 beats 1 s apart, then 10 beats 0.5 s apart, then 20 beats 1.5 s apart.
	var b []annotate.Beat
	b = append(b, beats("NNNNNNNNNNNNNNNNNNNN", 0, 100)...)
	b = append(b, beats("NNNNNNNNNN", 1950, 50)...)
	b = append(b, beats("NNNNNNNNNNNNNNNNNNNN", 2550, 150)...)
	in := Input{Info: info(6000), Beats: b}
	h := HeartRate(Intervals(in), 8)
	// The 0.5-s intervals end at 1950, 2000, ... 2400; the first window of
	// eight of them ends at 1950+7*50 (120 bpm).
	if math.Abs(h.Max.BPM-120) > 1e-9 || h.Max.Sample != 1950+7*50 {
		t.Errorf("max = %+v, want 120 bpm at 2300", h.Max)
	}
	if math.Abs(h.Min.BPM-40) > 1e-9 || h.Min.Sample != 2550+7*150 {
		t.Errorf("min = %+v, want 40 bpm at %d (first all-1.5-s window)", h.Min, 2550+7*150)
	}
	// 49 intervals over (2550+19*150 - 0)/100 = 54 s.
	if want := 60 * 49 / 54.0; math.Abs(h.Mean-want) > 1e-9 || h.Intervals != 49 {
		t.Errorf("mean = %v over %d, want %v over 49", h.Mean, h.Intervals, want)
	}
}

func TestHeartRateNoise(t *testing.T) {
	b := beats("NNNNNNNNNNNNNNNNNNNN", 0, 100)
	b[10].Sample -= 50 // one short pair of intervals: 0.5 s then 1.5 s
	// A whole-record stretch over the short pair and a lead-0 stretch that
	// starts on the beat at 1500: noise of any lead touching an interval,
	// its beats included, leaves it out.
	noise := []annotate.Noise{{Start: 920, End: 980, Lead: -1}, {Start: 1500, End: 1560, Lead: 0}}
	rrs := Intervals(Input{Info: info(2000), Beats: b, Noise: noise})
	for _, r := range rrs {
		if want := r.Sample != 950 && r.Sample != 1100 && r.Sample != 1500 && r.Sample != 1600; r.Valid != want {
			t.Errorf("interval ending %d valid = %v, want %v", r.Sample, r.Valid, want)
		}
	}
	h := HeartRate(rrs, 8)
	if h.Intervals != 15 || h.Max.BPM != 60 || h.Min.BPM != 60 {
		t.Errorf("hr = %+v, want 15 intervals all at 60 bpm (the noisy ones are left out)", h)
	}
	if h := HeartRate(nil, 8); !math.IsNaN(h.Mean) || !math.IsNaN(h.Max.BPM) {
		t.Errorf("no intervals: %+v, want NaN", h)
	}
}

func TestTrend(t *testing.T) {
	// 90 s at 1 s RR then 90 s at 0.5 s RR: minutes 60, 60/80.., 120.
	var b []annotate.Beat
	b = append(b, beats(string(make([]rune, 0))+repeat('N', 91), 0, 100)...)
	b = append(b, beats(repeat('N', 180), 9050, 50)...)
	rrs := Intervals(Input{Info: info(18000), Beats: b})
	bins := Trend(rrs, fs, 18000, time.Minute)
	if len(bins) != 3 {
		t.Fatalf("bins = %d, want 3", len(bins))
	}
	// Minute 0: intervals ending 100..5900: 59 of 1 s.
	// Minute 1: 31 of 1 s (ending 6000..9000) and 59 of 0.5 s (9050..11950).
	// Minute 2: 120 of 0.5 s (12000..17950).
	want := []float64{60, 60 * 90 / (31 + 59*0.5), 120}
	wantN := []int{59, 90, 120}
	for i, w := range want {
		if math.Abs(bins[i].BPM-w) > 1e-9 || bins[i].N != wantN[i] {
			t.Errorf("minute %d = %v bpm over %d, want %v over %d", i, bins[i].BPM, bins[i].N, w, wantN[i])
		}
	}
}

func repeat(c rune, n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = c
	}
	return string(r)
}

func TestCompute(t *testing.T) {
	b := beats(repeat('N', 60), 0, 100)
	b[20].Code, b[40].Code, b[41].Code = annotate.PVC, annotate.APC, annotate.APC
	b = append(b[:50], beats("NNNNNNNNNN", 5300, 100)...) // a 3-s pause from 4900 to 5300
	b = append(b, annotate.Beat{Sample: 6350, Code: annotate.Rhythm})
	in := Input{Info: info(7000), Beats: b, Episodes: []annotate.Episode{
		{Start: 1000, End: 2400, Rhythm: "AFIB"}, {Start: 2000, End: 2800, Rhythm: "AFIB"},
		{Start: 0, End: 7000, Rhythm: "N"}, {Start: 4900, End: 5300, Rhythm: "PAUSE"}}}
	s, err := Compute(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Beats != 60 || s.ByClass[annotate.ClassV] != 1 || s.ByClass[annotate.ClassS] != 2 {
		t.Errorf("beats %d, by class %v; want 60 with 1 V and 2 S (the '+' is not a beat)", s.Beats, s.ByClass)
	}
	if s.V.Isolated != 1 || s.S.Couplets != 1 {
		t.Errorf("V isolated %d, S couplets %d; want 1, 1", s.V.Isolated, s.S.Couplets)
	}
	if s.AF.Duration != 18*time.Second || math.Abs(s.AF.Fraction-18.0/70) > 1e-12 {
		t.Errorf("AF burden %+v, want 18 s (union of overlapping episodes) = 18/70", s.AF)
	}
	if s.LongestPause.Sec != 4 || s.LongestPause.Prev != 4900 || s.Pauses != 1 {
		t.Errorf("longest pause %+v, pauses %d; want 4 s from 4900, 1", s.LongestPause, s.Pauses)
	}
	if len(s.Episodes) != 3 || s.Episodes[0].Beats != 14 || s.Episodes[2].Rhythm != "PAUSE" || s.Episodes[2].Beats != 1 {
		t.Errorf("episodes %+v; want 3 (N left out), the first with 14 beats, the pause with its first beat", s.Episodes)
	}
	if p := s.Episodes[2]; p.MeanHR != 15 || p.MaxHR != 15 {
		t.Errorf("pause episode HR %v, %v; want 15 (its one 4-s interval ends at its end)", p.MeanHR, p.MaxHR)
	}
	if s.Duration != 70*time.Second {
		t.Errorf("duration %v, want 70 s", s.Duration)
	}
}

func TestComputeErrors(t *testing.T) {
	good := Input{Info: info(1000), Beats: beats("NN", 0, 100)}
	unsorted := Input{Info: info(1000), Beats: []annotate.Beat{{Sample: 500, Code: 1}, {Sample: 200, Code: 1}}}
	tests := []struct {
		name string
		in   Input
		opt  Options
		want error
	}{
		{"no fs", Input{Info: annotate.RecordInfo{Name: "x"}}, DefaultOptions(), ErrFs},
		{"NaN fs", Input{Info: annotate.RecordInfo{Fs: math.NaN()}}, DefaultOptions(), ErrFs},
		{"unsorted", unsorted, DefaultOptions(), ErrUnsorted},
		{"hr beats", good, Options{HRBeats: 0, PauseThreshold: time.Second, BigeminyBeats: 3}, ErrOptions},
		{"pause", good, Options{HRBeats: 8, BigeminyBeats: 3}, ErrOptions},
		{"bigeminy", good, Options{HRBeats: 8, PauseThreshold: time.Second, BigeminyBeats: 1}, ErrOptions},
		{"ok", good, DefaultOptions(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compute(tt.in, tt.opt); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestHourly(t *testing.T) {
	in := Input{Info: info(int64(2.5 * 3600 * fs)), Beats: []annotate.Beat{
		{Sample: 10, Code: annotate.PVC}, {Sample: 20, Code: annotate.APC}, {Sample: 3600*fs + 5, Code: annotate.PVC},
		{Sample: 3600*fs + 6, Code: annotate.Rhythm}},
		Episodes: []annotate.Episode{{Start: int64(0.5 * 3600 * fs), End: int64(1.25 * 3600 * fs), Rhythm: "AFIB"}}}
	bins := Hourly(in, time.Hour)
	if len(bins) != 3 {
		t.Fatalf("bins = %d, want 3", len(bins))
	}
	want := []HourBin{{AF: 0.5, V: 1, S: 1, Beats: 2}, {AF: 0.25, V: 1, Beats: 1}, {}}
	for i, w := range want {
		g := bins[i]
		if math.Abs(g.AF-w.AF) > 1e-12 || g.V != w.V || g.S != w.S || g.Beats != w.Beats {
			t.Errorf("hour %d = %+v, want %+v", i, g, w)
		}
	}
	if bins[2].End-bins[2].Start != int64(0.5*3600*fs) {
		t.Errorf("last bin %+v, want half an hour", bins[2])
	}
}

func TestClock(t *testing.T) {
	start := time.Date(2024, 3, 1, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		name  string
		start time.Time
		t     int64
		want  string
	}{
		{"wall clock", start, 90 * fs, "00:00:30"},
		{"elapsed", time.Time{}, 3725 * fs, "1:02:05"},
		{"days", time.Time{}, (86400 + 3661) * fs, "1d 01:01:01"},
	}
	for _, tt := range tests {
		if got := Clock(tt.start, fs, tt.t); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestRateExtremes checks the one definition of minimum and maximum heart
// rate (k = 8 interval means) on hand-made RR lists, fs 100.
func TestRateExtremes(t *testing.T) {
	// rr returns valid intervals of the given lengths in samples, ending at
	// their running sum.
	rr := func(lens ...int64) []RR {
		var out []RR
		var t int64
		for _, l := range lens {
			out = append(out, RR{Prev: t, Sample: t + l, Sec: float64(l) / fs, Valid: true})
			t += l
		}
		return out
	}
	ten := rr(100, 100, 100, 100, 100, 100, 100, 100, 50, 150)
	noisy := rr(100, 100, 100, 100, 100, 100, 100, 100, 50, 100)
	noisy[8].Valid = false // the short interval is under noise
	tests := []struct {
		name       string
		rrs        []RR
		slow, fast float64
		fastAt     int64
	}{
		// Windows end at 800 (8 x 1 s: 60 bpm), 850 (7 s + 0.5 s: 64 bpm)
		// and 1000 (6 s + 0.5 + 1.5: 60 bpm): one 0.5-s interval alone
		// (120 bpm) does not make the maximum.
		{"8-interval means", ten, 60, 60 * 8 / 7.5, 850},
		// The 0.5-s interval is under noise: the window restarts after it and
		// only the first 8 make one.
		{"noise breaks the window", noisy, 60, 60, 800},
		// Three intervals (a short run): fewer than 8, so the window is all
		// three, 60*3/(0.4+0.5+0.6) = 120 bpm both ways.
		{"shorter than 8", rr(40, 50, 60), 120, 120, 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slow, fast := RateExtremes(tt.rrs, 8)
			if math.Abs(slow.BPM-tt.slow) > 1e-9 || math.Abs(fast.BPM-tt.fast) > 1e-9 || fast.Sample != tt.fastAt {
				t.Errorf("slow %+v fast %+v, want %v and %v at %d", slow, fast, tt.slow, tt.fast, tt.fastAt)
			}
		})
	}
	if slow, fast := RateExtremes(nil, 8); !math.IsNaN(slow.BPM) || !math.IsNaN(fast.BPM) {
		t.Errorf("no interval: %v %v, want NaN", slow, fast)
	}
}

// TestPausesUnderNoise checks that noise never hides a pause: a 4-s pause
// (beats at 4900 and 5300, fs 100) is a pause and the longest pause whether
// a mark touches it or not; one that any mark touches (noise, artefact,
// unreadable, flat, no signal) is counted as marked (PausesMarked), flagged
// invalid (beats may be lost there) and listed to check.
func TestPausesUnderNoise(t *testing.T) {
	b := append(beats(repeat('N', 50), 0, 100), beats("NNNNNNNNNN", 5300, 100)...)
	cases := []struct {
		name   string
		noise  annotate.Noise
		marked int
	}{
		{"clean", annotate.Noise{}, 0},
		{"noise on lead 0", annotate.Noise{Start: 5000, End: 5100, Lead: 0, Reason: "noise"}, 1},
		{"artefact on lead 1", annotate.Noise{Start: 4800, End: 5000, Lead: 1, Reason: "artefact"}, 1},
		{"unreadable, every lead", annotate.Noise{Start: 5000, End: 5100, Lead: -1, Reason: "unreadable"}, 1},
		{"flat on every lead", annotate.Noise{Start: 4950, End: 5250, Lead: -1, Reason: "flat"}, 1},
		{"lead off on one lead", annotate.Noise{Start: 5000, End: 5100, Lead: 1, Reason: annotate.ReasonLeadOff}, 1},
		{"lead off, every lead", annotate.Noise{Start: 5000, End: 5100, Lead: -1, Reason: annotate.ReasonLeadOff}, 1},
		{"saturation, every lead", annotate.Noise{Start: 4900, End: 4950, Lead: -1, Reason: annotate.ReasonSaturation}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Info: info(7000), Beats: b}
			if c.noise.End > 0 {
				in.Noise = []annotate.Noise{c.noise}
			}
			s, err := Compute(in, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			p := s.LongestPause
			if s.Pauses != 1 || s.PausesMarked != c.marked || p.Sec != 4 || p.Prev != 4900 || p.Valid != (c.marked == 0) || len(s.LongRRToCheck) != c.marked {
				t.Errorf("pauses %d (%d marked), longest %+v, to check %+v; want 1 (%d), the 4-s interval from 4900 valid %v, %d to check",
					s.Pauses, s.PausesMarked, p, s.LongRRToCheck, c.marked, c.marked == 0, c.marked)
			}
			if c.marked == 1 && (s.LongRRToCheck[0].Sec != 4 || s.LongRRToCheck[0].Prev != 4900) {
				t.Errorf("to check %+v, want the 4-s interval from 4900", s.LongRRToCheck[0])
			}
			if c.marked == 1 && s.HR.Min.BPM < 59 {
				t.Errorf("min HR %.1f bpm: from the pause, want the 60 bpm of the 1-s intervals", s.HR.Min.BPM)
			}
		})
	}
}

// TestLongRRToCheck checks which intervals a mark touches are listed: every
// one of the pause threshold or more, and the longest one below it only
// when it is longer than the longest clean interval.
func TestLongRRToCheck(t *testing.T) {
	nz := func(a, b int64) annotate.Noise { return annotate.Noise{Start: a, End: b, Lead: 0, Reason: "artefact"} }
	// Beats every 100 samples (1 s at fs 100), with a 1.5-s interval
	// 2000-2150, a 3-s one 4000-4300 and a 2.5-s one 6000-6250.
	var at []int64
	for t := int64(0); t <= 8000; t += 100 {
		switch {
		case t == 2100, t > 4000 && t < 4300, t > 6000 && t < 6250:
			continue
		}
		at = append(at, t)
	}
	at = append(at, 2150, 4300, 6250)
	slices.Sort(at)
	cases := []struct {
		name  string
		end   int64 // beats before end only
		noise []annotate.Noise
		want  []int64 // Prev of the intervals listed
	}{
		{"clean", 8100, nil, nil},
		{"the 1.5 s in artefact, a longer clean pause", 8100, []annotate.Noise{nz(2050, 2060)}, nil},
		{"all three in artefact", 8100, []annotate.Noise{nz(2050, 2060), nz(4100, 4110), nz(6100, 6110)}, []int64{4000, 6000}},
		{"the 3 s only", 8100, []annotate.Noise{nz(4100, 4110)}, []int64{4000}},
		{"no pause: the 1.5 s in artefact, the longest", 4000, []annotate.Noise{nz(2050, 2060)}, []int64{2000}},
		{"no pause: a 1-s one in artefact", 4000, []annotate.Noise{nz(3050, 3060)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var bs []annotate.Beat
			for _, s := range at {
				if s < c.end {
					bs = append(bs, annotate.Beat{Sample: s, Code: annotate.Normal})
				}
			}
			s, err := Compute(Input{Info: info(c.end), Beats: bs, Noise: c.noise}, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range s.LongRRToCheck {
				got = append(got, r.Prev)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("to check from %v, want %v", got, c.want)
			}
		})
	}
}

// TestEpisodeRatesBracketMean checks, over random episodes, that an
// episode's heart rates keep min <= mean <= max: random RR intervals (0.3
// to 2.5 s), random noise marks (so runs of valid intervals are cut short)
// and random episodes, some shorter than 8 intervals. The trigeminy of
// record 208 showed a mean of 107 bpm over a max of 106 when the max took
// only 8-interval windows.
func TestEpisodeRatesBracketMean(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 2))
	for trial := range 300 {
		var bs []annotate.Beat
		for at := int64(0); at < 200*fs; at += int64(30 + r.IntN(220)) {
			bs = append(bs, annotate.Beat{Sample: at, Code: annotate.Normal})
		}
		var in Input
		in.Info, in.Beats = info(200*fs), bs
		for range r.IntN(6) {
			a := r.Int64N(200 * fs)
			in.Noise = append(in.Noise, annotate.Noise{Start: a, End: a + 1 + r.Int64N(5*fs), Lead: r.IntN(2) - 1, Reason: "noise"})
		}
		for range 8 {
			a := r.Int64N(190 * fs)
			in.Episodes = append(in.Episodes, annotate.Episode{Start: a, End: a + 1 + r.Int64N(int64(1+r.IntN(30))*fs), Rhythm: "B"})
		}
		s, err := Compute(in, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range s.Episodes {
			if math.IsNaN(e.MeanHR) != math.IsNaN(e.MaxHR) || math.IsNaN(e.MeanHR) != math.IsNaN(e.MinHR) {
				t.Fatalf("trial %d, episode %d-%d: min %v mean %v max %v: NaN in some only", trial, e.Start, e.End, e.MinHR, e.MeanHR, e.MaxHR)
			}
			if !math.IsNaN(e.MeanHR) && (e.MinHR > e.MeanHR+1e-9 || e.MeanHR > e.MaxHR+1e-9) {
				t.Fatalf("trial %d, episode %d-%d: min %v mean %v max %v", trial, e.Start, e.End, e.MinHR, e.MeanHR, e.MaxHR)
			}
		}
	}
}

// TestEpisodeRates checks the windows of an episode on hand-made lists,
// fs 100: 9 intervals whose short ones sit at both ends (a trigeminy), a
// run of 3 between noise beside a run of 8, and runs of 1 or 2 intervals
// between marks (a double detection at a noise edge, 0.2 s), which are no
// window, so no "300 bpm", while a short episode no mark touches keeps its
// rate.
func TestEpisodeRates(t *testing.T) {
	rr := func(valid []bool, lens ...int64) []RR {
		var out []RR
		var at int64
		for i, l := range lens {
			out = append(out, RR{Prev: at, Sample: at + l, Sec: float64(l) / fs, Valid: valid == nil || valid[i]})
			at += l
		}
		return out
	}
	T, F := true, false
	nan := math.NaN()
	tests := []struct {
		name       string
		rrs        []RR
		slow, fast float64
	}{
		// Both 8-interval windows leave out a 0.4-s interval (60*8/4.6 =
		// 104.3 bpm) while the mean is 60*9/5 = 108: the 9-interval window
		// is the fastest.
		{"trigeminy of 9 intervals", rr(nil, 40, 60, 60, 60, 60, 60, 60, 60, 40), 60 * 8 / 4.6, 108},
		// The 3 intervals of 0.4 s after the noise are a window of their own.
		{"a short run after noise", rr([]bool{T, T, T, T, T, T, T, T, F, T, T, T}, 100, 100, 100, 100, 100, 100, 100, 100, 100, 40, 40, 40), 60, 150},
		{"one interval between two marks", rr([]bool{T, T, T, T, T, T, T, T, F, T, F}, 100, 100, 100, 100, 100, 100, 100, 100, 100, 20, 100), 60, 60},
		{"two intervals between two marks", rr([]bool{T, T, T, T, T, T, T, T, F, T, T, F}, 100, 100, 100, 100, 100, 100, 100, 100, 100, 20, 30, 100), 60, 60},
		{"one interval after a mark, episode end", rr([]bool{T, T, T, T, T, T, T, T, F, T}, 100, 100, 100, 100, 100, 100, 100, 100, 100, 20), 60, 60},
		{"only one interval, between marks", rr([]bool{F, T, F}, 100, 20, 100), nan, nan},
		{"a 3-beat run, no mark", rr(nil, 40, 40), 150, 150},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slow, fast := EpisodeRates(tt.rrs, 8)
			mean, _ := EpisodeMean(tt.rrs, 8)
			if !sameBPM(slow.BPM, tt.slow) || !sameBPM(fast.BPM, tt.fast) || math.IsNaN(mean) != math.IsNaN(tt.slow) {
				t.Errorf("slow %v fast %v mean %v, want %v and %v", slow.BPM, fast.BPM, mean, tt.slow, tt.fast)
			}
			if slow.BPM > mean+1e-9 || mean > fast.BPM+1e-9 {
				t.Errorf("slow %v mean %v fast %v", slow.BPM, mean, fast.BPM)
			}
		})
	}
}

// sameBPM reports whether a and b agree to 1e-9, or are both NaN.
func sameBPM(a, b float64) bool {
	return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) <= 1e-9
}

// TestEpisodeRateNote checks that an episode whose only clean RR interval
// lies between two marks has no heart rate, and says why.
func TestEpisodeRateNote(t *testing.T) {
	b := beats(repeat('N', 20), 0, 100)
	b = append(b[:10], append([]annotate.Beat{{Sample: 920, Code: annotate.Normal}}, b[10:]...)...)
	cases := []struct {
		name  string
		noise []annotate.Noise
		note  string
	}{
		{"one clean interval between marks", []annotate.Noise{{Start: 850, End: 880, Lead: 0, Reason: "noise"}, {Start: 950, End: 980, Lead: 1, Reason: "noise"}}, NoteShortRuns},
		{"no clean interval", []annotate.Noise{{Start: 800, End: 1100, Lead: -1, Reason: "noise"}}, NoteNoValidRR},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := Input{Info: info(2000), Beats: b, Noise: c.noise, Episodes: []annotate.Episode{{Start: 850, End: 1050, Rhythm: "B"}}}
			s, err := Compute(in, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			e := s.Episodes[0]
			if !math.IsNaN(e.MinHR) || !math.IsNaN(e.MeanHR) || !math.IsNaN(e.MaxHR) || e.RateNote != c.note {
				t.Errorf("min %v mean %v max %v, note %q; want NaN and %q", e.MinHR, e.MeanHR, e.MaxHR, e.RateNote, c.note)
			}
		})
	}
}
