package annotate

import "fmt"

// Code is an MIT-BIH annotation code, as used in WFDB annotation files
// (ecgcodes.h). Codes 1..49 are labels; 0 is NOTQRS. The pseudo-codes SKIP,
// NUM, SUB, CHN and AUX (59..63) exist only inside annotation files and are
// handled by the WFDB reader, never stored as a Code here.
type Code uint8

// The MIT-BIH annotation codes, with their WFDB mnemonic symbols.
const (
	NotQRS   Code = 0  // not-QRS (used for non-beat events)
	Normal   Code = 1  // N  normal beat
	LBBB     Code = 2  // L  left bundle branch block beat
	RBBB     Code = 3  // R  right bundle branch block beat
	Aberr    Code = 4  // a  aberrated atrial premature beat
	PVC      Code = 5  // V  premature ventricular contraction
	Fusion   Code = 6  // F  fusion of ventricular and normal beat
	NPC      Code = 7  // J  nodal (junctional) premature beat
	APC      Code = 8  // A  atrial premature contraction
	SVPB     Code = 9  // S  premature or ectopic supraventricular beat
	VEsc     Code = 10 // E  ventricular escape beat
	NEsc     Code = 11 // j  nodal (junctional) escape beat
	Pace     Code = 12 // /  paced beat
	Unknown  Code = 13 // Q  unclassifiable beat
	NoiseAnn Code = 14 // ~  signal quality change
	Arfct    Code = 16 // |  isolated QRS-like artifact
	STCh     Code = 18 // s  ST change
	TCh      Code = 19 // T  T-wave change
	Systole  Code = 20 // *  systole
	Diastole Code = 21 // D  diastole
	Note     Code = 22 // "  comment annotation
	Measure  Code = 23 // =  measurement annotation
	PWave    Code = 24 // p  P-wave peak
	BBB      Code = 25 // B  left or right bundle branch block
	PaceSP   Code = 26 // ^  non-conducted pacer spike
	TWave    Code = 27 // t  T-wave peak
	Rhythm   Code = 28 // +  rhythm change (aux holds e.g. "(AFIB")
	UWave    Code = 29 // u  U-wave peak
	Learn    Code = 30 // ?  learning
	FlWav    Code = 31 // !  ventricular flutter wave
	VFOn     Code = 32 // [  start of ventricular flutter/fibrillation
	VFOff    Code = 33 // ]  end of ventricular flutter/fibrillation
	AEsc     Code = 34 // e  atrial escape beat
	SVEsc    Code = 35 // n  supraventricular escape beat
	Link     Code = 36 // @  link to external data (aux holds URL)
	NAPC     Code = 37 // x  non-conducted P-wave (blocked APB)
	PFus     Code = 38 // f  fusion of paced and normal beat
	WFOn     Code = 39 // (  waveform onset
	WFOff    Code = 40 // )  waveform end
	ROnT     Code = 41 // r  R-on-T premature ventricular contraction
	// MaxCode is the largest code a WFDB annotation file can hold as a label.
	MaxCode Code = 49
)

// symbols holds the WFDB mnemonic for each code (wfdb's annstr table).
var symbols = [MaxCode + 1]string{
	NotQRS: "", Normal: "N", LBBB: "L", RBBB: "R", Aberr: "a", PVC: "V",
	Fusion: "F", NPC: "J", APC: "A", SVPB: "S", VEsc: "E", NEsc: "j",
	Pace: "/", Unknown: "Q", NoiseAnn: "~", Arfct: "|", STCh: "s", TCh: "T",
	Systole: "*", Diastole: "D", Note: "\"", Measure: "=", PWave: "p",
	BBB: "B", PaceSP: "^", TWave: "t", Rhythm: "+", UWave: "u", Learn: "?",
	FlWav: "!", VFOn: "[", VFOff: "]", AEsc: "e", SVEsc: "n", Link: "@",
	NAPC: "x", PFus: "f", WFOn: "(", WFOff: ")", ROnT: "r",
}

var bySymbol = func() map[string]Code {
	m := make(map[string]Code, len(symbols))
	for c, s := range symbols {
		if s != "" {
			m[s] = Code(c)
		}
	}
	return m
}()

// Symbol returns the WFDB mnemonic of c ("N", "V", "+", ...). Codes without
// a mnemonic print as "[n]", as wfdb's ecgstr does.
func (c Code) Symbol() string {
	if c <= MaxCode && symbols[c] != "" {
		return symbols[c]
	}
	return fmt.Sprintf("[%d]", uint8(c))
}

// String implements fmt.Stringer with Symbol.
func (c Code) String() string { return c.Symbol() }

// ParseSymbol returns the code whose WFDB mnemonic is s.
func ParseSymbol(s string) (Code, bool) {
	c, ok := bySymbol[s]
	return c, ok
}

// IsBeat reports whether c labels a QRS complex (wfdb's isqrs table).
func (c Code) IsBeat() bool {
	switch c {
	case Normal, LBBB, RBBB, Aberr, PVC, Fusion, NPC, APC, SVPB, VEsc, NEsc,
		Pace, Unknown, BBB, Learn, AEsc, SVEsc, PFus, ROnT:
		return true
	}
	return false
}
