package annotate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// LeadKind says what a record's channel is, as far as its label and its
// physical unit tell.
type LeadKind uint8

// The kinds of channel, from least to most ECG-like.
const (
	// LeadOther is not an ECG: a test signal (square, ramp, pulse, sine,
	// noise), respiration, SpO2, plethysmogram, pressure, EEG, an
	// annotation channel, or any channel whose unit is not a voltage.
	LeadOther LeadKind = iota
	// LeadVoltage is a voltage whose label names nothing known ("vx",
	// "chan 3"): taken as an ECG when the record names no ECG lead.
	LeadVoltage
	// LeadECG is a channel whose label names an ECG lead (MLII, V1..V6,
	// I, II, III, aVR, aVL, aVF, ECG, EKG, "lead"...) in a voltage unit
	// or none.
	LeadECG
)

// otherWords name channels that are not an ECG, as whole label words
// (lower case); otherPrefixes as the start of a word ("resp" in
// "respiration"). A label with one of them is LeadOther even when it also
// names a lead: a test signal or a sensor says what it is.
var (
	otherWords = map[string]bool{"abp": true, "art": true, "pap": true, "cvp": true, "icp": true, "bp": true,
		"nbp": true, "hr": true, "pos": true, "acc": true, "event": true, "status": true, "edf": true,
		"sin": true, "bpm": true, "o2": true, "saw": true}
	otherPrefixes = []string{"resp", "pleth", "spo2", "sao2", "sine", "square", "ramp", "pulse", "noise",
		"eeg", "emg", "eog", "temp", "press", "flow", "thor", "abdo", "snor", "accel", "marker", "trigger",
		"annotation", "ppg", "co2", "etco2", "light", "sound", "triangle", "calib"}
)

// leadCores are the lead names a label word may carry after a prefix of
// modifiedPrefix ("ml" in "mlii", "m" in "mv1", "d" in "dii").
var leadCores = map[string]bool{"i": true, "ii": true, "iii": true, "avr": true, "avl": true, "avf": true,
	"v1": true, "v2": true, "v3": true, "v4": true, "v5": true, "v6": true, "v7": true, "v8": true, "v9": true,
	"v3r": true, "v4r": true, "v5r": true, "v6r": true, "vx": true, "vy": true, "vz": true}

var modifiedPrefix = []string{"ml", "m", "d"}

// standard12 are the twelve leads of a standard ECG, in their order.
var standard12 = []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"}

// labelWords splits a channel label into lower-case words of letters and
// digits: "ECG V2-V1" is ecg, v2, v1; "sine 8.5 Hz" is sine, 8, 5, hz.
func labelWords(label string) []string {
	return strings.FieldsFunc(strings.ToLower(label), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// IsVoltage reports whether units is a voltage (nV, µV, uV, mV, V).
func IsVoltage(units string) bool {
	switch strings.ToLower(strings.TrimSpace(units)) {
	case "nv", "uv", "µv", "μv", "mv", "v", "volt", "volts", "millivolt", "millivolts", "microvolt", "microvolts":
		return true
	}
	return false
}

// ClassifyLead says what channel l is from its label and unit: LeadOther
// when a label word names something else (square, ramp, pulse, sine,
// noise, resp, SpO2, Pleth, EDF Annotations...) or the unit is neither a
// voltage nor empty; LeadECG when a word names an ECG lead; else
// LeadVoltage for a voltage and LeadOther for the rest.
func ClassifyLead(l Lead) LeadKind {
	words := labelWords(l.Name)
	for _, w := range words {
		if isOtherWord(w) {
			return LeadOther
		}
	}
	unit := strings.TrimSpace(l.Units)
	if unit != "" && !IsVoltage(unit) {
		return LeadOther
	}
	for _, w := range words {
		if isLeadWord(w) {
			return LeadECG
		}
	}
	if IsVoltage(unit) {
		return LeadVoltage
	}
	return LeadOther
}

func isOtherWord(w string) bool {
	if otherWords[w] {
		return true
	}
	for _, p := range otherPrefixes {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// isLeadWord reports whether a label word names an ECG lead: ecg or ekg
// (ecg1, ekg2 too), lead, a lead name (ii, avf, v5), a modified lead
// (mlii, mv1, dii) or a CM/CC/CS lead (cm5, cc5).
func isLeadWord(w string) bool {
	if strings.HasPrefix(w, "ecg") || strings.HasPrefix(w, "ekg") || w == "lead" || leadCores[w] {
		return true
	}
	for _, p := range modifiedPrefix {
		if rest, ok := strings.CutPrefix(w, p); ok && leadCores[rest] {
			return true
		}
	}
	for _, p := range []string{"cm", "cc", "cs"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return true
		}
	}
	return false
}

// StandardName returns the standard spelling of a lead of the standard
// twelve ("I", "aVR", "V1") when name is one of them, written any way
// ("avr", "ECG aVR", "Lead II"), and ok false otherwise.
func StandardName(name string) (string, bool) {
	var core []string
	for _, w := range labelWords(name) {
		if w != "ecg" && w != "ekg" && w != "lead" {
			core = append(core, w)
		}
	}
	if len(core) != 1 {
		return "", false
	}
	for _, s := range standard12 {
		if strings.EqualFold(core[0], s) {
			return s, true
		}
	}
	return "", false
}

// DisplayName is the name the strip writes for lead l: the standard
// spelling of a standard lead ("avl" reads "aVL"), else its label.
func DisplayName(l Lead) string {
	if s, ok := StandardName(l.Name); ok {
		return s
	}
	return strings.TrimSpace(l.Name)
}

// TwelveLeads returns the indices of the standard twelve leads in their
// standard order (I II III aVR aVL aVF V1..V6) when leads holds all
// twelve (each once), else nil.
func TwelveLeads(leads []Lead) []int {
	at := make(map[string]int, len(standard12))
	for i, l := range leads {
		if s, ok := StandardName(l.Name); ok && ClassifyLead(l) == LeadECG {
			if _, dup := at[s]; dup {
				return nil
			}
			at[s] = i
		}
	}
	if len(at) != len(standard12) {
		return nil
	}
	out := make([]int, len(standard12))
	for k, s := range standard12 {
		out[k] = at[s]
	}
	return out
}

// ECGLeads returns the indices of the ECG leads of a record, in record
// order: those whose label names an ECG lead, or when there are none the
// voltages of unknown kind, or nil when there are neither.
func ECGLeads(leads []Lead) []int {
	for _, want := range []LeadKind{LeadECG, LeadVoltage} {
		var out []int
		for i, l := range leads {
			if ClassifyLead(l) == want {
				out = append(out, i)
			}
		}
		if out != nil {
			return out
		}
	}
	return nil
}

// DefaultShownLeads returns the leads the strip shows when the reader has
// chosen none: the standard twelve in their order on a 12-lead record,
// else the ECG leads (ECGLeads), else every channel.
func DefaultShownLeads(leads []Lead) []int {
	if t := TwelveLeads(leads); t != nil {
		return t
	}
	if e := ECGLeads(leads); e != nil {
		return e
	}
	return allLeads(len(leads))
}

// DefaultModelLeads is how many leads the models are fed when the reader
// has chosen none: the default beat model reads two.
const DefaultModelLeads = 2

// ModelLeads returns the leads the models read when the reader has chosen
// none, at most DefaultModelLeads: among the ECG leads (ECGLeads), lead II
// (MLII, II) first when there is one and then V1 when there is one (as the
// MIT-BIH records the default models learn from), else in record order.
// A record without an ECG lead gives its first channels, as before.
func ModelLeads(leads []Lead) []int {
	ecg := ECGLeads(leads)
	if ecg == nil {
		return allLeads(min(len(leads), DefaultModelLeads))
	}
	var out []int
	for _, core := range []string{"ii", "v1"} {
		if i, ok := findCore(leads, ecg, core); ok && len(out) < DefaultModelLeads {
			out = append(out, i)
		}
	}
	for _, i := range ecg {
		if len(out) < DefaultModelLeads && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

// findCore returns the first lead of idx whose label has a word that is
// core or a modified core ("mlii" for "ii").
func findCore(leads []Lead, idx []int, core string) (int, bool) {
	for _, i := range idx {
		for _, w := range labelWords(leads[i].Name) {
			if w == core || w == "ml"+core || w == "m"+core || w == "d"+core {
				return i, true
			}
		}
	}
	return 0, false
}

func allLeads(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// ErrLeadChoice is wrapped by CheckLeads' errors.
var ErrLeadChoice = errors.New("annotate: bad choice of leads")

// CheckLeads checks a choice of leads of a record of n leads: at least
// one, each in 0..n-1, none twice.
func CheckLeads(idx []int, n int) error {
	if len(idx) == 0 {
		return fmt.Errorf("%w: no lead chosen", ErrLeadChoice)
	}
	seen := make(map[int]bool, len(idx))
	for _, i := range idx {
		if i < 0 || i >= n {
			return fmt.Errorf("%w: lead %d is not one of the record's %d (0 to %d)", ErrLeadChoice, i, n, n-1)
		}
		if seen[i] {
			return fmt.Errorf("%w: lead %d chosen twice", ErrLeadChoice, i)
		}
		seen[i] = true
	}
	return nil
}
