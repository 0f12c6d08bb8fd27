package annotate

import "strings"

// descriptions holds, per code, the long names other tools write for it:
// first the comment of WFDB's ecgcodes.h (what EDFbrowser's MIT-to-EDF+
// converter writes as EDF+ annotation text, "normal beat",
// "premature ventricular contraction"), then WFDB's anndesc text where it
// differs ("Atrial premature beat", as rdann -e prints it).
var descriptions = map[Code][]string{
	Normal: {"normal beat"}, LBBB: {"left bundle branch block beat"},
	RBBB: {"right bundle branch block beat"}, Aberr: {"aberrated atrial premature beat"},
	PVC: {"premature ventricular contraction"}, Fusion: {"fusion of ventricular and normal beat"},
	NPC: {"nodal (junctional) premature beat"}, APC: {"atrial premature contraction", "atrial premature beat"},
	SVPB: {"premature or ectopic supraventricular beat"}, VEsc: {"ventricular escape beat"},
	NEsc: {"nodal (junctional) escape beat"}, Pace: {"paced beat"}, Unknown: {"unclassifiable beat"},
	NoiseAnn: {"signal quality change", "change in signal quality"}, Arfct: {"isolated qrs-like artifact"},
	STCh: {"st change", "st segment change"}, TCh: {"t-wave change"}, Systole: {"systole"},
	Diastole: {"diastole"}, Note: {"comment annotation"}, Measure: {"measurement annotation"},
	PWave: {"p-wave peak"}, BBB: {"left or right bundle branch block", "bundle branch block beat (unspecified)"},
	PaceSP: {"non-conducted pacer spike", "(non-captured) pacemaker artifact"}, TWave: {"t-wave peak"},
	Rhythm: {"rhythm change"}, UWave: {"u-wave peak"}, Learn: {"learning"},
	FlWav: {"ventricular flutter wave"}, VFOn: {"start of ventricular flutter/fibrillation"},
	VFOff: {"end of ventricular flutter/fibrillation"}, AEsc: {"atrial escape beat"},
	SVEsc: {"supraventricular escape beat"}, Link: {"link to external data"},
	NAPC: {"non-conducted p-wave (blocked apb)", "non-conducted p-wave (blocked apc)"},
	PFus: {"fusion of paced and normal beat"}, WFOn: {"waveform onset"}, WFOff: {"waveform end"},
	ROnT: {"r-on-t premature ventricular contraction"},
}

var byDescription = func() map[string]Code {
	m := map[string]Code{}
	for c, ds := range descriptions {
		for _, d := range ds {
			m[d] = c
		}
	}
	return m
}()

// Description returns the long name of c as WFDB's ecgcodes.h gives it
// ("normal beat"), or "" for a code without one.
func (c Code) Description() string {
	if ds := descriptions[c]; len(ds) > 0 {
		return ds[0]
	}
	return ""
}

// ParseDescription returns the code whose long name is s, in any letter
// case and with runs of spaces taken as one: the ecgcodes.h comment
// ("premature ventricular contraction", as EDFbrowser writes it) or WFDB's
// anndesc text ("Atrial premature beat").
func ParseDescription(s string) (Code, bool) {
	c, ok := byDescription[strings.ToLower(strings.Join(strings.Fields(s), " "))]
	return c, ok
}

// ParseLabel returns the code that s names, as a WFDB symbol ("V") or as a
// long name (ParseDescription). A symbol is matched exactly first, so "N"
// and "n" stay distinct.
func ParseLabel(s string) (Code, bool) {
	s = strings.TrimSpace(s)
	if c, ok := ParseSymbol(s); ok {
		return c, true
	}
	return ParseDescription(s)
}
