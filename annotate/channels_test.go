package annotate

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestClassifyLead(t *testing.T) {
	cases := []struct {
		label, unit string
		want        LeadKind
	}{
		{"MLII", "mV", LeadECG},
		{"mlii", "", LeadECG},
		{"V1", "mV", LeadECG},
		{"v6", "uV", LeadECG},
		{"I", "mV", LeadECG},
		{"II", "µV", LeadECG},
		{"iii", "mV", LeadECG},
		{"aVR", "mV", LeadECG},
		{"avl", "mV", LeadECG},
		{"AVF", "mV", LeadECG},
		{"ECG", "uV", LeadECG},
		{"EKG", "mV", LeadECG},
		{"ECG1", "mV", LeadECG},
		{"ECG V2-V1", "uV", LeadECG},
		{"Lead II", "mV", LeadECG},
		{"lead 3", "V", LeadECG},
		{"MV1", "mV", LeadECG},
		{"CM5", "mV", LeadECG},
		{"DII", "mV", LeadECG},
		{"vx", "mV", LeadECG},
		{"ECG", "", LeadECG},
		// Holter, monitor and export names (the digit forms, CM/CC leads,
		// EASI and numbered channels), each an ECG lead.
		{"ML2", "mV", LeadECG},
		{"ml3", "mV", LeadECG},
		{"D2", "mV", LeadECG},
		{"D3", "uV", LeadECG},
		{"ECG2", "mV", LeadECG},
		{"ECG 2", "mV", LeadECG},
		{"MV2", "mV", LeadECG},
		{"V5-V", "mV", LeadECG},
		{"V", "mV", LeadECG},
		{"MCL1", "mV", LeadECG},
		{"CC5", "mV", LeadECG},
		{"ES", "mV", LeadECG},
		{"AS", "mV", LeadECG},
		{"AI", "mV", LeadECG},
		{"CH3", "mV", LeadECG},
		{"chan 1", "mV", LeadECG},
		{"chan 3", "mV", LeadECG},
		{"ch1", "uV", LeadECG},
		{"Channel 2", "V", LeadECG},
		{"chan 3", "", LeadOther},
		{"CH3", "mmHg", LeadOther},
		{"M2", "uV", LeadVoltage}, // the EEG mastoid, not modified lead II
		{"EXG1", "uV", LeadVoltage},
		{"chest", "mV", LeadVoltage},
		{"GSR foot", "mV", LeadOther},
		{"UC", "mV", LeadOther},
		{"squarewave", "uV", LeadOther},
		{"ramp", "uV", LeadOther},
		{"pulse", "uV", LeadOther},
		{"sine 8.5 Hz", "uV", LeadOther},
		{"noise", "uV", LeadOther},
		{"Resp", "Ohm", LeadOther},
		{"RESP chest", "mV", LeadOther},
		{"SpO2", "%", LeadOther},
		{"Pleth", "", LeadOther},
		{"ABP", "mmHg", LeadOther},
		{"EEG Fpz-Cz", "uV", LeadOther},
		{"EDF Annotations", "", LeadOther},
		{"II", "mmHg", LeadOther},
		{"ECG HR", "bpm", LeadOther},
		{"Temp", "degC", LeadOther},
	}
	for _, c := range cases {
		if got := ClassifyLead(Lead{Name: c.label, Units: c.unit}); got != c.want {
			t.Errorf("ClassifyLead(%q, %q) = %d, want %d", c.label, c.unit, got, c.want)
		}
	}
}

func leadsOf(names ...string) []Lead {
	out := make([]Lead, len(names))
	for i, n := range names {
		out[i] = Lead{Name: n, Units: "mV", Gain: 200}
	}
	return out
}

// generator2 are the channels of wfdb-samples/test_generator_2 (every one
// in µV, as its header says).
var generator2 = []string{"squarewave", "ramp", "pulse", "ECG", "noise", "sine 1 Hz", "sine 8 Hz",
	"sine 8.5 Hz", "sine 15 Hz", "sine 17 Hz", "sine 50 Hz"}

func TestDefaultLeads(t *testing.T) {
	twelve := []string{"i", "ii", "iii", "avr", "avl", "avf", "v1", "v2", "v3", "v4", "v5", "v6", "vx", "vy", "vz"}
	shuffled := []string{"V1", "V2", "V3", "V4", "V5", "V6", "I", "II", "III", "aVR", "aVL", "aVF"}
	cases := []struct {
		name         string
		leads        []string
		shown, model []int
	}{
		{"generator", generator2, []int{3}, []int{3}},
		{"mitdb", []string{"MLII", "V1"}, []int{0, 1}, []int{0, 1}},
		{"mitdb V5 first", []string{"V5", "MLII"}, []int{0, 1}, []int{1, 0}},
		{"pulse first", []string{"Pulse", "Resp", "II", "V1"}, []int{2, 3}, []int{2, 3}},
		{"ptb 15 leads", twelve, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, []int{1, 6}},
		{"12 leads, V first", shuffled, []int{6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5}, []int{7, 0}},
		{"holter", []string{"ECG1", "ECG2", "ECG3"}, []int{0, 1, 2}, []int{0, 1}},
		{"unnamed voltages", []string{"ch1", "ch2", "ch3"}, []int{0, 1, 2}, []int{0, 1}},
		{"ltstdb", []string{"ML2", "V4"}, []int{0, 1}, []int{0, 1}},
		{"ltstdb V4 first", []string{"V4", "ML2"}, []int{0, 1}, []int{1, 0}},
		{"ecg1 ecg2 ch3", []string{"ECG1", "ECG2", "CH3"}, []int{0, 1, 2}, []int{0, 1}},
		{"holter cm5 cc5", []string{"CM5", "CC5", "Event"}, []int{0, 1}, []int{0, 1}},
		{"d leads", []string{"D1", "D2", "D3"}, []int{0, 1, 2}, []int{1, 0}},
		{"easi", []string{"ES", "AS", "AI"}, []int{0, 1, 2}, []int{0, 1}},
		{"unknown lead shown, not read", []string{"Pulse", "EXG1", "V1"}, []int{1, 2}, []int{2}},
		{"unknown leads shown, not read", []string{"EXG1", "EXG2", "II"}, []int{0, 1, 2}, []int{2}},
		{"unknown leads read when nothing is named", []string{"Pulse", "EXG1", "EXG2"}, []int{1, 2}, []int{1, 2}},
		{"mimic V", []string{"II", "V", "ABP", "PLETH"}, []int{0, 1}, []int{0, 1}},
		{"nothing ECG", []string{"Resp", "SpO2"}, []int{0, 1}, []int{0, 1}},
		{"one lead", []string{"ECG"}, []int{0}, []int{0}},
	}
	for _, c := range cases {
		leads := leadsOf(c.leads...)
		if got := DefaultShownLeads(leads); !slices.Equal(got, c.shown) {
			t.Errorf("%s: DefaultShownLeads = %v, want %v", c.name, got, c.shown)
		}
		if got := ModelLeads(leads); !slices.Equal(got, c.model) {
			t.Errorf("%s: ModelLeads = %v, want %v", c.name, got, c.model)
		}
	}
}

func TestStandardName(t *testing.T) {
	cases := map[string]string{"avr": "aVR", "ECG aVL": "aVL", "Lead II": "II", "i": "I", "v6": "V6",
		"MLII": "", "ECG V2-V1": "", "vx": "", "sine 1 Hz": "",
		"DII": "II", "d3": "III", "D1": "I", "dI": "I", "ML2": "", "d4": "", "dv1": ""}
	for in, want := range cases {
		got, ok := StandardName(in)
		if got != want || ok != (want != "") {
			t.Errorf("StandardName(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got := DisplayName(Lead{Name: "avf"}); got != "aVF" {
		t.Errorf("DisplayName(avf) = %q", got)
	}
	if got := DisplayName(Lead{Name: " MLII "}); got != "MLII" {
		t.Errorf("DisplayName(MLII) = %q", got)
	}
}

func TestSelectLeads(t *testing.T) {
	sig := &MemSignal{Meta: RecordInfo{Name: "t", Fs: 250, NSamples: 5, Leads: leadsOf("pulse", "II", "V1")},
		Samples: [][]int32{{1, 1, 1, 1, 1}, {2, 3, 4, 5, 6}, {7, 8, 9, 10, 11}}}
	sel, err := SelectLeads(sig, []int{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := sel.Info().Leads; len(got) != 2 || got[0].Name != "V1" || got[1].Name != "II" {
		t.Fatalf("leads %+v", got)
	}
	dst := [][]int32{make([]int32, 3), make([]int32, 3)}
	n, err := sel.Read(dst, 1)
	if err != nil || n != 3 || !slices.Equal(dst[0], []int32{8, 9, 10}) || !slices.Equal(dst[1], []int32{3, 4, 5}) {
		t.Fatalf("Read = %d, %v, %v", n, err, dst)
	}
	ns := []Noise{{Lead: 0}, {Lead: 1}, {Lead: -1}}
	MapNoiseLeads(ns, sel)
	if ns[0].Lead != 2 || ns[1].Lead != 1 || ns[2].Lead != -1 {
		t.Errorf("mapped noise leads %+v", ns)
	}
	if _, err := sel.Read(dst[:1], 0); err == nil {
		t.Error("a read with the wrong number of slices passed")
	}
	for _, bad := range [][]int{nil, {3}, {-1}, {1, 1}} {
		if _, err := SelectLeads(sig, bad); !errors.Is(err, ErrLeadChoice) {
			t.Errorf("SelectLeads(%v) = %v, want ErrLeadChoice", bad, err)
		}
	}
}

// TestSelectLeadsConcurrent reads one selection from several goroutines
// (the pipeline's workers do): run it with -race.
func TestSelectLeadsConcurrent(t *testing.T) {
	const n = 1000
	sig := &MemSignal{Meta: RecordInfo{Name: "t", Fs: 250, NSamples: n, Leads: leadsOf("pulse", "II", "V1")},
		Samples: [][]int32{make([]int32, n), make([]int32, n), make([]int32, n)}}
	for k := range n {
		sig.Samples[1][k], sig.Samples[2][k] = int32(k), int32(-k)
	}
	sel, err := SelectLeads(sig, []int{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			dst := [][]int32{make([]int32, 10+g), make([]int32, 10+g)}
			for start := int64(0); start < n-20; start += 7 {
				if _, err := sel.Read(dst, start); err != nil || dst[0][3] != -int32(start+3) || dst[1][3] != int32(start+3) {
					done <- fmt.Errorf("read at %d: %v, %d %d", start, err, dst[0][3], dst[1][3])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// FuzzLeadLabel: any label and unit classify without a panic, and a
// label StandardName spells is an ECG lead in mV.
func FuzzLeadLabel(f *testing.F) {
	for _, s := range append(generator2, "MLII", "ML2", "d3", "CH3", "chan 1", "avr", "ECG V2-V1", "Lead II", "EDF Annotations", "SpO2", "") {
		f.Add(s, "mV")
	}
	f.Add("II", "mmHg")
	f.Fuzz(func(t *testing.T, label, unit string) {
		k := ClassifyLead(Lead{Name: label, Units: unit})
		if k > LeadECG {
			t.Fatalf("kind %d", k)
		}
		if s, ok := StandardName(label); ok {
			if ClassifyLead(Lead{Name: label, Units: "mV"}) != LeadECG && !anyOtherWord(label) {
				t.Errorf("%q is standard lead %s but not an ECG lead in mV", label, s)
			}
		}
		_ = DisplayName(Lead{Name: label})
		checkShownWithII(t, Lead{Name: label, Units: unit}, k)
	})
}

// checkShownWithII: beside a lead II, channel l is shown by default
// unless it is LeadOther, and the models read lead II, and l too only when
// it names an ECG lead (an unknown voltage, say an EEG derivation, is
// shown for the reader to judge but never fed to the models beside a
// named lead).
func checkShownWithII(t *testing.T, l Lead, k LeadKind) {
	t.Helper()
	leads := []Lead{l, {Name: "II", Units: "mV"}}
	shown := DefaultShownLeads(leads)
	if slices.Contains(shown, 0) != (k != LeadOther) || !slices.Contains(shown, 1) {
		t.Errorf("%q (%q), kind %d: shown %v", l.Name, l.Units, k, shown)
	}
	if model := ModelLeads(leads); slices.Contains(model, 0) != (k == LeadECG) || !slices.Contains(model, 1) {
		t.Errorf("%q (%q): models read %v, want lead II and the channel only when shown", l.Name, l.Units, model)
	}
}

func anyOtherWord(label string) bool {
	return slices.ContainsFunc(labelWords(label), isOtherWord)
}
