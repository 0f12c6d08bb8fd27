package store

import (
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// FromEDF turns EDF+ TAL annotations into labels: a text that names a beat,
// as a WFDB symbol ("N", "V", ...) or by its long name as EDFbrowser's
// MIT-to-EDF+ converter writes it ("normal beat", "premature ventricular
// contraction": annotate.ParseLabel), becomes a beat at its onset; any other text with a
// duration becomes an episode named by the text. Other texts (comments,
// recording events without duration) are not labels and are left out.
func FromEDF(anns []edf.Annotation, fs float64) ([]annotate.Beat, []annotate.Episode) {
	prov := annotate.Provenance{Source: annotate.SourceReference, Who: "edf+"}
	var beats []annotate.Beat
	var eps []annotate.Episode
	for _, a := range anns {
		at := int64(math.Round(a.Onset * fs))
		if c, ok := annotate.ParseLabel(a.Text); ok && c.IsBeat() {
			beats = append(beats, annotate.Beat{Sample: at, Code: c, Prov: prov})
			continue
		}
		if a.Duration > 0 && strings.TrimSpace(a.Text) != "" {
			end := int64(math.Round((a.Onset + a.Duration) * fs))
			eps = append(eps, annotate.Episode{Start: at, End: end, Rhythm: wfdb.RhythmName(strings.TrimSpace(a.Text)), Prov: prov})
		}
	}
	return beats, eps
}
