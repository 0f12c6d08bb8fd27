package model

import (
	"strings"
)

// parsePorts reads "name:meaning,name:meaning" and checks that every name
// and meaning is given once and every meaning is one of allowed.
func parsePorts(key, v string, allowed []Meaning) ([]Port, error) {
	items, msg := splitList(v, 16)
	if msg != "" {
		return nil, bad(key, v, `expected "name:meaning" pairs separated by commas: %s`, msg)
	}
	ports := make([]Port, 0, len(items))
	for _, it := range items {
		name, meaning, ok := strings.Cut(it, ":")
		name, meaning = strings.TrimSpace(name), strings.TrimSpace(meaning)
		if !ok || name == "" {
			return nil, bad(key, v, `%q is not a "name:meaning" pair`, it)
		}
		if !containsMeaning(allowed, Meaning(meaning)) {
			return nil, bad(key, v, "%q: meaning %q is not one of %s", name, meaning, meaningList(allowed))
		}
		for _, p := range ports {
			if p.Name == name || p.Meaning == Meaning(meaning) {
				return nil, bad(key, v, "%q:%q repeats a name or a meaning", name, meaning)
			}
		}
		ports = append(ports, Port{Name: name, Meaning: Meaning(meaning)})
	}
	return ports, nil
}

func containsMeaning(list []Meaning, k Meaning) bool {
	for _, x := range list {
		if x == k {
			return true
		}
	}
	return false
}

func meaningList(list []Meaning) string {
	s := make([]string, len(list))
	for i, k := range list {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// parseInputs reads KeyInputs. A beat model takes a waveform and, when it
// names RR features, an rr_features input; a rhythm model takes a sequence
// of per-beat RR features and, optionally, the waveform around each of
// those beats.
func parseInputs(m *Meta, p map[string]string) error {
	v := p[KeyInputs]
	allowed := []Meaning{Waveform, RRFeatures, Template}
	switch m.Task {
	case TaskRhythm:
		allowed = []Meaning{RRFeatures, Waveform}
	case TaskQuality:
		allowed = []Meaning{Waveform}
	}
	ports, err := parsePorts(KeyInputs, v, allowed)
	if err != nil {
		return err
	}
	m.Inputs = ports
	_, hasWave := m.Input(Waveform)
	_, hasRR := m.Input(RRFeatures)
	_, hasTmpl := m.Input(Template)
	switch {
	case hasTmpl && m.TemplateBeats == 0:
		return bad(KeyInputs, v, "a template input needs %s", KeyTemplateBeats)
	case !hasTmpl && m.TemplateBeats > 0:
		return bad(KeyInputs, v, "%s is set but no input has meaning template", KeyTemplateBeats)
	case m.Task == TaskBeat && !hasWave:
		return bad(KeyInputs, v, "a beat model needs an input with meaning waveform")
	case m.Task == TaskQuality && !hasWave:
		return bad(KeyInputs, v, "a quality model needs an input with meaning waveform")
	case m.Task == TaskRhythm && !hasRR:
		return bad(KeyInputs, v, "a rhythm model needs an input with meaning rr_features")
	case hasRR && len(m.RRFeatures) == 0:
		return bad(KeyInputs, v, "an rr_features input needs %s to name the features", KeyRRFeatures)
	case !hasRR && len(m.RRFeatures) > 0:
		return bad(KeyInputs, v, "%s names RR features but no input has meaning rr_features", KeyRRFeatures)
	}
	return nil
}

// parseOutputs reads KeyOutputs: probabilities or logits, and optionally an
// embedding.
func parseOutputs(m *Meta, p map[string]string) error {
	v := p[KeyOutputs]
	ports, err := parsePorts(KeyOutputs, v, []Meaning{Probabilities, Logits, Embedding})
	if err != nil {
		return err
	}
	m.Outputs = ports
	_, hasP := m.Output(Probabilities)
	_, hasL := m.Output(Logits)
	if hasP == hasL {
		return bad(KeyOutputs, v, "exactly one output must mean probabilities or logits")
	}
	return nil
}
