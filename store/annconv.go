package store

import (
	"math"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// FromWFDB turns the annotations of a WFDB annotation file into labels:
//   - beat codes and other point annotations become Beats (non-beat codes
//     such as '|', '[' and ']' are kept, so evaluation can use them);
//   - rhythm changes ('+' with aux "(AFIB", "(N", ...) become Episodes, each
//     lasting until the next rhythm change or the record's end (nsamples);
//   - signal quality changes ('~') whose subtype marks noisy or unreadable
//     leads (MIT-BIH convention: bits 0-3 noisy, 4-7 unreadable, one bit per
//     lead) become Noise stretches until the next '~'.
//
// Every label gets prov as its provenance and starts unreviewed.
func FromWFDB(anns []wfdb.Annotation, nsamples int64, prov annotate.Provenance) ([]annotate.Beat, []annotate.Episode, []annotate.Noise) {
	beats := make([]annotate.Beat, 0, len(anns))
	var eps []annotate.Episode
	var noise []annotate.Noise
	ep, nz := -1, -1
	for _, a := range anns {
		switch a.Code {
		case annotate.Rhythm:
			closeEpisode(eps, ep, a.Sample)
			eps = append(eps, annotate.Episode{Start: a.Sample, End: nsamples, Rhythm: rhythmName(a.Text()), Prov: prov})
			ep = len(eps) - 1
		case annotate.NoiseAnn:
			if nz >= 0 {
				noise[nz].End = a.Sample
				nz = -1
			}
			if a.Sub != 0 {
				noise = append(noise, annotate.Noise{Start: a.Sample, End: nsamples, Lead: noiseLead(a.Sub), Reason: noiseReason(a.Sub), Prov: prov})
				nz = len(noise) - 1
			}
		default:
			beats = append(beats, annotate.Beat{Sample: a.Sample, Code: a.Code, Chan: a.Chan, Prov: prov})
		}
	}
	return beats, eps, noise
}

func closeEpisode(eps []annotate.Episode, i int, at int64) {
	if i >= 0 {
		eps[i].End = at
	}
}

// rhythmName strips the WFDB rhythm aux text "(AFIB\x00" to "AFIB".
func rhythmName(aux string) string {
	return strings.TrimRight(strings.TrimPrefix(aux, "("), "\x00 ")
}

// noiseLead returns the lead a '~' subtype refers to, or -1 for several.
func noiseLead(sub int8) int {
	bits := uint8(sub)&0x0f | uint8(sub)>>4
	if bits == 0 || bits&(bits-1) != 0 {
		return -1
	}
	for i := 0; i < 4; i++ {
		if bits == 1<<i {
			return i
		}
	}
	return -1
}

func noiseReason(sub int8) string {
	if uint8(sub)&0xf0 != 0 {
		return "unreadable"
	}
	return "noise"
}

// FromEDF turns EDF+ TAL annotations into labels: a text that is a WFDB beat
// symbol ("N", "V", ...) becomes a beat at its onset; any other text with a
// duration becomes an episode named by the text. Other texts (comments,
// recording events without duration) are not labels and are left out.
func FromEDF(anns []edf.Annotation, fs float64) ([]annotate.Beat, []annotate.Episode) {
	prov := annotate.Provenance{Source: annotate.SourceReference, Who: "edf+"}
	var beats []annotate.Beat
	var eps []annotate.Episode
	for _, a := range anns {
		at := int64(math.Round(a.Onset * fs))
		if c, ok := annotate.ParseSymbol(strings.TrimSpace(a.Text)); ok && c.IsBeat() {
			beats = append(beats, annotate.Beat{Sample: at, Code: c, Prov: prov})
			continue
		}
		if a.Duration > 0 && strings.TrimSpace(a.Text) != "" {
			end := int64(math.Round((a.Onset + a.Duration) * fs))
			eps = append(eps, annotate.Episode{Start: at, End: end, Rhythm: rhythmName(strings.TrimSpace(a.Text)), Prov: prov})
		}
	}
	return beats, eps
}
