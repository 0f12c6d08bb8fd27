package annotate

// Class is an AAMI EC57 beat class.
type Class uint8

// The AAMI EC57 beat classes. ClassNone is for codes that are not beats.
const (
	ClassNone Class = iota
	ClassN          // normal and bundle branch block: N L R e j (and B)
	ClassS          // supraventricular ectopic: A a J S (and n)
	ClassV          // ventricular ectopic: V E (and r)
	ClassF          // fusion of ventricular and normal: F
	ClassQ          // paced, paced fusion, unclassifiable: / f Q (and ?)
)

// Classes lists the AAMI beat classes in report order.
var Classes = []Class{ClassN, ClassS, ClassV, ClassF, ClassQ}

var classNames = [...]string{"-", "N", "S", "V", "F", "Q"}

// String returns the class letter.
func (k Class) String() string {
	if int(k) < len(classNames) {
		return classNames[k]
	}
	return "?"
}

// ParseClass returns the class named by its letter.
func ParseClass(s string) (Class, bool) {
	for i, n := range classNames[1:] {
		if n == s {
			return Class(i + 1), true
		}
	}
	return ClassNone, false
}

// AAMIMapping states the code-to-class mapping used in every report, as
// EVALUATION.md asks. The codes in brackets do not occur in the MIT-BIH
// Arrhythmia Database and follow common practice.
const AAMIMapping = "N = N L R e j (B); S = A a J S (n); V = V E (r); F = F; Q = / f Q (?)"

// Class returns the AAMI EC57 class of a beat code, or ClassNone for a
// non-beat code. Non-conducted P waves (x) are not QRS complexes for EC57
// purposes and map to ClassNone.
func (c Code) Class() Class {
	switch c {
	case Normal, LBBB, RBBB, AEsc, NEsc, BBB:
		return ClassN
	case APC, Aberr, NPC, SVPB, SVEsc:
		return ClassS
	case PVC, VEsc, ROnT:
		return ClassV
	case Fusion:
		return ClassF
	case Pace, PFus, Unknown, Learn:
		return ClassQ
	}
	return ClassNone
}

// Code returns the MIT code that stands for the class when a model or a
// reader labels by class only.
func (k Class) Code() Code {
	switch k {
	case ClassN:
		return Normal
	case ClassS:
		return APC
	case ClassV:
		return PVC
	case ClassF:
		return Fusion
	case ClassQ:
		return Unknown
	}
	return NotQRS
}
