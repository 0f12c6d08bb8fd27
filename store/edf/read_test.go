package edf

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// validCase is a file the test writes, and what reading it must give.
type validCase struct {
	name     string
	spec     Spec
	nrec     int
	onset    func(r int) float64 // EDF+D record onsets
	anns     map[int][]Annotation
	format   string
	fs       float64
	nsamples int64
	leads    []string
	gaps     []Gap
}

func validCases() []validCase {
	two := []SignalSpec{ecgSig("ECG I", 8), ecgSig("ECG II", 8)}
	return []validCase{
		{name: "EDF two leads", spec: Spec{RecordDuration: 1, Signals: two}, nrec: 5,
			format: "EDF", fs: 8, nsamples: 40, leads: []string{"ECG I", "ECG II"}},
		{name: "EDF record of 0.5 s", spec: Spec{RecordDuration: 0.5, Signals: two}, nrec: 3,
			format: "EDF", fs: 16, nsamples: 24, leads: []string{"ECG I", "ECG II"}},
		{name: "BDF 24-bit", spec: Spec{BDF: true, RecordDuration: 1, Signals: []SignalSpec{bdfSig("ECG", 10)}},
			nrec: 4, format: "BDF", fs: 10, nsamples: 40, leads: []string{"ECG"}},
		{name: "EDF+C with annotations", spec: Spec{Plus: true, RecordDuration: 2, Signals: two}, nrec: 3,
			anns:   map[int][]Annotation{0: {{Onset: 0.5, Text: "N"}}, 2: {{Onset: 4.25, Duration: 1.5, Text: "(AFIB"}}},
			format: "EDF+", fs: 4, nsamples: 24, leads: []string{"ECG I", "ECG II"}},
		{name: "EDF+D with a gap", spec: Spec{Plus: true, Discontinuous: true, RecordDuration: 1, Signals: two},
			nrec: 4, onset: func(r int) float64 { return []float64{0, 1, 3, 4.5}[r] },
			anns:   map[int][]Annotation{2: {{Onset: 3.5, Text: "after gap"}}},
			format: "EDF+", fs: 8, nsamples: 44, leads: []string{"ECG I", "ECG II"},
			gaps: []Gap{{16, 24}, {32, 36}}},
		{name: "BDF+D", spec: Spec{BDF: true, Plus: true, Discontinuous: true, RecordDuration: 1,
			Signals: []SignalSpec{bdfSig("ECG", 4)}}, nrec: 3, onset: func(r int) float64 { return float64(2 * r) },
			format: "BDF+", fs: 4, nsamples: 20, leads: []string{"ECG"}, gaps: []Gap{{4, 8}, {12, 16}}},
		{name: "mixed rates keep the ECG rate", spec: Spec{RecordDuration: 1, Signals: []SignalSpec{
			ecgSig("EEG Fpz-Cz", 16), ecgSig("ECG", 8), ecgSig("Resp", 2), ecgSig("ECG2", 8)}}, nrec: 2,
			format: "EDF", fs: 8, nsamples: 16, leads: []string{"ECG", "ECG2"}},
		{name: "no ECG label: highest rate", spec: Spec{RecordDuration: 1, Signals: []SignalSpec{
			ecgSig("Resp", 2), ecgSig("Lead A", 8)}}, nrec: 2,
			format: "EDF", fs: 8, nsamples: 16, leads: []string{"Lead A"}},
	}
}

func TestReadValid(t *testing.T) {
	for _, c := range validCases() {
		t.Run(c.name, func(t *testing.T) {
			c.spec.Start = t0
			recs := records(c.spec, c.nrec, c.onset)
			for r, a := range c.anns {
				recs[r].Annotations = a
			}
			f, err := openBytes(encode(t, c.spec, recs))
			if err != nil {
				t.Fatal(err)
			}
			checkInfo(t, f, c)
			want := timeline(f, c.spec, recs)
			for _, chunk := range []int64{defaultChunk, 2 * f.h.recSize, 5} {
				f.chunk = chunk
				for _, strip := range []int{1, 3, 7, 1000} {
					if got := readAll(t, f, strip); !reflect.DeepEqual(got, want) {
						t.Fatalf("chunk %d strip %d: got %v, want %v", chunk, strip, got, want)
					}
				}
			}
			checkAnnotations(t, f, c)
		})
	}
}

func checkInfo(t *testing.T, f *File, c validCase) {
	t.Helper()
	info := f.Info()
	var names []string
	for _, l := range info.Leads {
		names = append(names, l.Name)
	}
	if info.Format != c.format || info.Fs != c.fs || info.NSamples != c.nsamples || !reflect.DeepEqual(names, c.leads) {
		t.Errorf("info = %s %g Hz %d samples %q, want %s %g Hz %d samples %q",
			info.Format, info.Fs, info.NSamples, names, c.format, c.fs, c.nsamples, c.leads)
	}
	if !info.Start.Equal(t0) || info.Name != "mem" || len(info.Comments) != 0 {
		t.Errorf("start %v name %q comments %q", info.Start, info.Name, info.Comments)
	}
	if got := f.Gaps(); !reflect.DeepEqual(got, c.gaps) {
		t.Errorf("gaps = %v, want %v", got, c.gaps)
	}
}

func checkAnnotations(t *testing.T, f *File, c validCase) {
	t.Helper()
	var want []Annotation
	for r := 0; r < c.nrec; r++ {
		want = append(want, c.anns[r]...)
	}
	got, err := f.Annotations()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Annotations = %v, %v; want %v", got, err, want)
	}
}

// TestLeadScale checks the physical conversion against hand-computed
// values: gain = (dmax-dmin)/(pmax-pmin) per unit, times units per mV.
func TestLeadScale(t *testing.T) {
	cases := []struct {
		name      string
		sig       SignalSpec
		units     string
		gain      float64
		baseline  int32
		d         int32
		physical  float64
		adcZero   int32
		wantValid bool
	}{
		{"uV symmetric", ecgSig("ECG", 1), "mV", 10000, 0, 12345, 1.2345, 0, true},
		{"mV offset", SignalSpec{Dimension: "mV", PhysMin: 0, PhysMax: 4.095, DigMin: 0, DigMax: 4095}, "mV", 1000, 0, 1000, 1, 2048, true},
		{"V", SignalSpec{Dimension: "V", PhysMin: -0.5, PhysMax: 0.5, DigMin: -500, DigMax: 500}, "mV", 1, 0, 250, 250, 0, true},
		{"nV", SignalSpec{Dimension: "nV", PhysMin: -1e6, PhysMax: 1e6, DigMin: -1000, DigMax: 1000}, "mV", 1000, 0, -500, -0.5, 0, true},
		{"baseline shifted", SignalSpec{Dimension: "uV", PhysMin: -100, PhysMax: 300, DigMin: 0, DigMax: 400}, "mV", 1000, 100, 350, 0.25, 200, true},
		{"inverted", SignalSpec{Dimension: "uV", PhysMin: 100, PhysMax: -100, DigMin: -100, DigMax: 100}, "mV", -1000, 0, 50, -0.05, 0, true},
		{"not a voltage", SignalSpec{Dimension: "degC", PhysMin: 30, PhysMax: 40, DigMin: 0, DigMax: 1000}, "degC", 100, -3000, 500, 35, 500, true},
		{"equal physical extremes", SignalSpec{Dimension: "uV", PhysMin: 1, PhysMax: 1, DigMin: 0, DigMax: 10}, "", 0, 0, 0, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := SignalInfo{Dimension: c.sig.Dimension, PhysMin: c.sig.PhysMin, PhysMax: c.sig.PhysMax,
				DigMin: c.sig.DigMin, DigMax: c.sig.DigMax}
			l, ok := lead(s, 16)
			if ok != c.wantValid {
				t.Fatalf("valid = %v", ok)
			}
			if !ok {
				return
			}
			if l.Units != c.units || !near(l.Gain, c.gain) || l.Baseline != c.baseline || l.ADCZero != c.adcZero {
				t.Errorf("lead = %+v, want %s gain %g baseline %d zero %d", l, c.units, c.gain, c.baseline, c.adcZero)
			}
			if p := l.Physical(c.d); !near(p, c.physical) {
				t.Errorf("Physical(%d) = %g, want %g", c.d, p, c.physical)
			}
		})
	}
}

func near(a, b float64) bool { d := a - b; return d < 1e-9*(1+abs(b)) && -d < 1e-9*(1+abs(b)) }

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestReadArguments(t *testing.T) {
	s := Spec{Start: t0, RecordDuration: 1, Signals: []SignalSpec{ecgSig("ECG I", 4), ecgSig("ECG II", 4)}}
	f, err := openBytes(encode(t, s, records(s, 2, nil)))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		dst   [][]int32
		start int64
		n     int
		err   error
	}{
		{"tail is short", [][]int32{make([]int32, 5), make([]int32, 5)}, 6, 2, nil},
		{"empty dst", [][]int32{{}, {}}, 0, 0, nil},
		{"negative start", [][]int32{make([]int32, 1), make([]int32, 1)}, -1, 0, annotate.ErrOutOfRange},
		{"start at end", [][]int32{make([]int32, 1), make([]int32, 1)}, 8, 0, annotate.ErrOutOfRange},
		{"one slice for two leads", [][]int32{make([]int32, 1)}, 0, 0, ErrDst},
		{"unequal lengths", [][]int32{make([]int32, 1), make([]int32, 2)}, 0, 0, ErrDst},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := f.Read(c.dst, c.start)
			if n != c.n || !errors.Is(err, c.err) {
				t.Errorf("Read = %d, %v; want %d, %v", n, err, c.n, c.err)
			}
		})
	}
}

// TestConcurrentRead reads strips from many goroutines at once (run with
// -race) and compares each with a serial read.
func TestConcurrentRead(t *testing.T) {
	s := Spec{Start: t0, RecordDuration: 1, Signals: []SignalSpec{ecgSig("ECG I", 50), ecgSig("ECG II", 50)}}
	recs := records(s, 40, nil)
	f, err := openBytes(encode(t, s, recs))
	if err != nil {
		t.Fatal(err)
	}
	f.chunk = 3 * f.h.recSize
	want := timeline(f, s, recs)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			dst := [][]int32{make([]int32, 77), make([]int32, 77)}
			for start := int64(g * 13); start < 2000; start += 97 {
				n, err := f.Read(dst, start)
				if err != nil || !reflect.DeepEqual(dst[1][:n], want[1][start:start+int64(n)]) {
					t.Errorf("goroutine %d start %d: n=%d err=%v", g, start, n, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSubSecondStart(t *testing.T) {
	s := Spec{Plus: true, Discontinuous: true, Start: t0, RecordDuration: 1, Signals: []SignalSpec{ecgSig("ECG", 4)}}
	recs := records(s, 2, func(r int) float64 { return 0.25 + float64(r) })
	recs[1].Annotations = []Annotation{{Onset: 1.5, Text: "beat"}}
	f, err := openBytes(encode(t, s, recs))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Info().Start, t0.Add(250*time.Millisecond); !got.Equal(want) {
		t.Errorf("Start = %v, want %v", got, want)
	}
	anns, err := f.Annotations()
	if err != nil || len(anns) != 1 || anns[0].Onset != 1.25 {
		t.Errorf("Annotations = %v, %v; want onset 1.25 s after Start", anns, err)
	}
}

// TestPHI checks that the patient field is readable only through PatientID.
func TestPHI(t *testing.T) {
	const patient = "MCH-0234567 F 02-MAY-1951 Haagse_Harry"
	s := Spec{Plus: true, Patient: patient, Start: t0, RecordDuration: 1, Signals: []SignalSpec{ecgSig("ECG", 4)}}
	f, err := openBytes(encode(t, s, records(s, 1, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if f.PatientID() != patient {
		t.Errorf("PatientID = %q", f.PatientID())
	}
	if got := f.RecordingID(); got != "Startdate 05-MAR-2024 X X X" {
		t.Errorf("RecordingID = %q", got)
	}
	info := f.Info()
	for _, s := range append(info.Comments, info.Name, info.Format) {
		if s == patient {
			t.Errorf("patient field leaked into RecordInfo: %+v", info)
		}
	}
	if len(info.Comments) != 0 {
		t.Errorf("Comments = %q, want none", info.Comments)
	}
}

func TestSignalsListsAll(t *testing.T) {
	s := Spec{Plus: true, Start: t0, RecordDuration: 1, Signals: []SignalSpec{ecgSig("ECG", 8), ecgSig("Resp", 2)}}
	f, err := openBytes(encode(t, s, records(s, 1, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sigs := f.Signals()
	got := []any{len(sigs), sigs[0].Lead, sigs[1].Lead, sigs[1].Fs, sigs[2].Annotations, sigs[2].Lead}
	want := []any{3, 0, -1, 2.0, true, -1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("signals = %v, want %v", got, want)
	}
}
