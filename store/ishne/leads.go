package ishne

import "strconv"

// LeadCode is a lead specification code (Table 1 of the ISHNE standard).
type LeadCode int16

// The lead specification codes.
const (
	LeadAbsent   LeadCode = -9
	LeadUnknown  LeadCode = 0
	LeadGeneric  LeadCode = 1 // generic bipolar
	LeadXBipolar LeadCode = 2
	LeadYBipolar LeadCode = 3
	LeadZBipolar LeadCode = 4
	LeadI        LeadCode = 5
	LeadII       LeadCode = 6
	LeadIII      LeadCode = 7
	LeadAVR      LeadCode = 8
	LeadAVL      LeadCode = 9
	LeadAVF      LeadCode = 10
	LeadV1       LeadCode = 11
	LeadV2       LeadCode = 12
	LeadV3       LeadCode = 13
	LeadV4       LeadCode = 14
	LeadV5       LeadCode = 15
	LeadV6       LeadCode = 16
	LeadES       LeadCode = 17 // Frank-like bipolar leads
	LeadAS       LeadCode = 18
	LeadAI       LeadCode = 19
)

var leadNames = [...]string{"Unknown", "Generic bipolar", "X bipolar", "Y bipolar", "Z bipolar",
	"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6", "ES", "AS", "AI"}

// String returns the lead's name ("II", "V5", ...); codes outside the
// table print as "lead code N".
func (c LeadCode) String() string {
	if c == LeadAbsent {
		return "Absent"
	}
	if c >= 0 && int(c) < len(leadNames) {
		return leadNames[c]
	}
	return "lead code " + strconv.Itoa(int(c))
}

// Lead quality codes (Table 2 of the ISHNE standard), for LeadInfo.Quality.
const (
	QualityAbsent         = -9
	QualityUnknown        = 0
	QualityGood           = 1
	QualityIntermitNoise  = 2
	QualityFrequentNoise  = 3
	QualityIntermitDiscon = 4
	QualityFrequentDiscon = 5
)
