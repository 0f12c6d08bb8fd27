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
	// LeadVoltage is a voltage whose label names nothing known ("EXG1",
	// "S1"): shown by default, as it may well be an ECG lead, and read by
	// the models after the named ECG leads.
	LeadVoltage
	// LeadECG is a channel whose label names an ECG lead (MLII, ML2,
	// V1..V6, I, II, III, D2, aVR, aVL, aVF, CM5, CC5, ES, AS, AI, MCL1,
	// ECG, EKG, "lead"...) in a voltage unit or none, or a numbered
	// channel ("CH3", "chan 1") in a voltage unit.
	LeadECG
)

// otherWords name channels that are not an ECG, as whole label words
// (lower case); otherPrefixes as the start of a word ("resp" in
// "respiration"). A label with one of them is LeadOther even when it also
// names a lead: a test signal or a sensor says what it is.
var (
	otherWords = map[string]bool{"abp": true, "art": true, "pap": true, "cvp": true, "icp": true, "bp": true,
		"nbp": true, "hr": true, "pos": true, "acc": true, "event": true, "status": true, "edf": true,
		"sin": true, "bpm": true, "o2": true, "saw": true, "gsr": true, "eda": true, "uc": true, "toco": true}
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

// digitLimbs are the limb leads written as digits after "ml" or "d":
// "ml2" is modified lead II (Long-Term ST database), "d2" lead II and "d3"
// lead III as some European exports write them. Not after a bare "m":
// "m1" and "m2" are the EEG mastoid electrodes.
var digitLimbs = map[string]string{"1": "i", "2": "ii", "3": "iii"}

// otherLeads are lead names that take no prefix: the EASI leads (ES, AS,
// AI), the modified chest leads of bedside monitors (MCL1..MCL6) and the
// monitors' unnamed chest lead "V".
var otherLeads = map[string]bool{"es": true, "as": true, "ai": true, "v": true,
	"mcl1": true, "mcl2": true, "mcl3": true, "mcl4": true, "mcl5": true, "mcl6": true}

// channelPrefixes start the label of a numbered channel ("ch3", "chan 1",
// "channel 2"): an ECG lead when its unit is a voltage.
var channelPrefixes = []string{"channel", "chan", "ch"}

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
// voltage nor empty; LeadECG when a word names an ECG lead, or the label
// numbers a channel ("CH3") and the unit is a voltage; else LeadVoltage
// for a voltage and LeadOther for the rest.
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
	if !IsVoltage(unit) {
		return LeadOther
	}
	if isChannelLabel(words) {
		return LeadECG
	}
	return LeadVoltage
}

// isChannelLabel reports whether label words number a channel: a word
// of channelPrefixes followed by digits ("ch3") or by a word of digits
// ("chan", "1").
func isChannelLabel(words []string) bool {
	for k, w := range words {
		for _, p := range channelPrefixes {
			rest, ok := strings.CutPrefix(w, p)
			if !ok {
				continue
			}
			if isDigits(rest) || rest == "" && k+1 < len(words) && isDigits(words[k+1]) {
				return true
			}
			break
		}
	}
	return false
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
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
// (ecg1, ekg2 too), lead, a lead name (ii, avf, v5, es), a modified lead
// (mlii, ml2, mv1, dii, d2) or a CM/CC/CS lead (cm5, cc5).
func isLeadWord(w string) bool {
	if strings.HasPrefix(w, "ecg") || strings.HasPrefix(w, "ekg") || w == "lead" || otherLeads[w] {
		return true
	}
	if leadCore(w) != "" {
		return true
	}
	for _, p := range []string{"cm", "cc", "cs"} {
		if rest, ok := strings.CutPrefix(w, p); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return true
		}
	}
	return false
}

// leadCore returns the lead a label word names among leadCores, modified
// or not ("ii" for "ii", "mlii", "ml2", "dii" and "d2"), or "".
func leadCore(w string) string {
	if leadCores[w] {
		return w
	}
	for _, p := range modifiedPrefix {
		rest, ok := strings.CutPrefix(w, p)
		if !ok {
			continue
		}
		if leadCores[rest] {
			return rest
		}
		if limb, ok := digitLimbs[rest]; ok && p != "m" {
			return limb
		}
	}
	return ""
}

// StandardName returns the standard spelling of a lead of the standard
// twelve ("I", "aVR", "V1") when name is one of them, written any way
// ("avr", "ECG aVR", "Lead II", and the limb leads as European exports
// write them: "DII", "D2"), and ok false otherwise.
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
	if rest, ok := strings.CutPrefix(core[0], "d"); ok {
		if limb, ok := digitLimbs[rest]; ok {
			rest = limb
		}
		if rest == "i" || rest == "ii" || rest == "iii" {
			core[0] = rest
		}
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

// ECGLeads returns the indices of the channels of a record that are or
// may be ECG leads, in record order: those whose label names an ECG lead
// and the voltages of unknown kind (a lead whose name is not known is
// still a lead: the reader decides), or nil when there are neither.
func ECGLeads(leads []Lead) []int {
	var out []int
	for i, l := range leads {
		if ClassifyLead(l) != LeadOther {
			out = append(out, i)
		}
	}
	return out
}

// leadsOfKind returns the indices of the leads of kind k, in record order.
func leadsOfKind(leads []Lead, k LeadKind) []int {
	var out []int
	for i, l := range leads {
		if ClassifyLead(l) == k {
			out = append(out, i)
		}
	}
	return out
}

// DefaultShownLeads returns the leads the strip shows when the reader has
// chosen none: the standard twelve in their order on a 12-lead record,
// else the ECG leads and voltages of unknown kind (ECGLeads), else every
// channel.
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
// none, at most DefaultModelLeads: among the channels whose label names an
// ECG lead, lead II (MLII, ML2, II, D2) first when there is one and then
// V1 when there is one (as the MIT-BIH records the default models learn
// from), then the others in record order. Voltages of unknown kind (an
// unlabelled channel, an EEG derivation of a sleep study) are shown, for
// the reader to judge, but feed the models only when no channel names an
// ECG lead; a record with neither gives its first channels, as before.
func ModelLeads(leads []Lead) []int {
	ecg := leadsOfKind(leads, LeadECG)
	var out []int
	for _, core := range []string{"ii", "v1"} {
		if i, ok := findCore(leads, ecg, core); ok && len(out) < DefaultModelLeads {
			out = append(out, i)
		}
	}
	pool := ecg
	if len(ecg) == 0 { // no named ECG lead: voltages of unknown kind, in order
		pool = leadsOfKind(leads, LeadVoltage)
	}
	for _, i := range pool {
		if len(out) < DefaultModelLeads && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	if out == nil {
		return allLeads(min(len(leads), DefaultModelLeads))
	}
	return out
}

// findCore returns the first lead of idx whose label has a word that is
// core or a modified core ("mlii" and "ml2" for "ii").
func findCore(leads []Lead, idx []int, core string) (int, bool) {
	for _, i := range idx {
		if slices.ContainsFunc(labelWords(leads[i].Name), func(w string) bool { return leadCore(w) == core }) {
			return i, true
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
