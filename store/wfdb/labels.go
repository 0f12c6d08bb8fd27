package wfdb

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/ecgstation/ecgstation/annotate"
)

// Labels are what an annotation file says about a record: point labels
// (beats and other point annotations such as '|' or '['), rhythm episodes
// (pauses among them) and noise stretches.
type Labels struct {
	Beats    []annotate.Beat
	Episodes []annotate.Episode
	Noise    []annotate.Noise
}

// Pause is the episode rhythm of a pause (sinus arrest, block, a long RR
// interval). A pause is not a rhythm: the file holds it as a comment.
const Pause = "PAUSE"

// FromLabels turns labels into the annotations of an MIT annotation file of
// the record info describes (its Fs, NSamples and number of leads), in
// file order. It is the one way labels are written as WFDB annotations,
// and ToLabels reads them back. The rules (docs/export-format.md):
//
//   - every point label at its own sample, with its lead in Chan; '+' and
//     '~' point labels are left out (the rhythm and noise streams below
//     are made from episodes and noise stretches);
//   - the episodes other than pauses as one rhythm stream, '+' with aux
//     "(AFIB", "(VT", ... (MIT-BIH's names: "BRADY" is written "(SBR"):
//     where episodes overlap, the one ranking first (VFL, VT, AFL, AFIB,
//     SVTA, B, T, other rhythms by name, TACHY, BRADY, N) is written, so a
//     lower-ranked episode inside an AF run does not split it (a higher-
//     ranked one, VT in AF, does, as MIT-BIH writes it); where no episode
//     is, "(N": after an episode, and from sample 0 when a beat comes
//     before the first episode (or there is none); MIT-BIH's files open
//     with a rhythm change at or before their first beat;
//   - each pause as a comment '"' at its start with aux "PAUSE 2.500 s"
//     (its length in seconds, with enough decimals to give its end back;
//     Fs must be known);
//   - a '~' wherever the noisy leads change, its subtype the MIT-BIH bit
//     mask (bit k: lead k noisy, bit 4+k: lead k unreadable, -1: every lead
//     unreadable, 0: clean again);
//   - annotations that share a sample get Num 0, 1, 2 ... (up to 127) in
//     file order (WFDB keeps one annotation per sample, num and chan).
//
// Marks at or after NSamples (when known) are left out, and so are the
// episodes that start there.
func FromLabels(l Labels, info annotate.RecordInfo) []Annotation {
	out := make([]Annotation, 0, len(l.Beats)+2*len(l.Episodes)+2*len(l.Noise))
	for _, b := range l.Beats {
		if b.Code != annotate.Rhythm && b.Code != annotate.NoiseAnn {
			out = append(out, Annotation{Sample: b.Sample, Code: b.Code, Chan: b.Chan})
		}
	}
	eps := slices.DeleteFunc(slices.Clone(l.Episodes), func(e annotate.Episode) bool {
		return info.NSamples > 0 && e.Start >= info.NSamples
	})
	marks := append(rhythmMarks(eps, l.Beats), noiseMarks(l.Noise, len(info.Leads))...)
	marks = append(marks, pauseNotes(eps, info.Fs)...)
	for _, m := range marks {
		if info.NSamples <= 0 || m.Sample < info.NSamples {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Annotation) int { return cmp.Compare(a.Sample, b.Sample) })
	for i := 1; i < len(out); i++ {
		if out[i].Sample == out[i-1].Sample && out[i-1].Num < math.MaxInt8 {
			out[i].Num = out[i-1].Num + 1
		}
	}
	return out
}

// mitRhythm maps the label set's rhythm names to MIT-BIH's where they
// differ; fromMIT is the other way.
var (
	mitRhythm = map[string]string{"BRADY": "SBR"}
	fromMIT   = map[string]string{"SBR": "BRADY"}
)

// rhythmAux is the '+' aux text of a rhythm: "(AFIB", "(SBR".
func rhythmAux(r string) string {
	if m, ok := mitRhythm[r]; ok {
		r = m
	}
	return "(" + r
}

// rhythmRank orders overlapping episodes: the first in this list that is
// going on is written; rhythms not listed come after T, by name, then the
// rate spans and sinus rhythm.
var rhythmRank = []string{"VFL", "VT", "AFL", "AFIB", "SVTA", "B", "T"}

var rhythmLast = []string{"TACHY", "BRADY", "N"}

func rankOf(r string) int {
	if i := slices.Index(rhythmRank, r); i >= 0 {
		return i
	}
	if i := slices.Index(rhythmLast, r); i >= 0 {
		return len(rhythmRank) + 1 + i
	}
	return len(rhythmRank)
}

func outranks(a, b string) bool {
	return cmp.Or(cmp.Compare(rankOf(a), rankOf(b)), cmp.Compare(a, b)) < 0
}

// rhythmMarks writes the rhythm stream of the episodes other than pauses;
// it opens with "(N" at sample 0 when a beat comes before every episode.
func rhythmMarks(eps []annotate.Episode, beats []annotate.Beat) []Annotation {
	var cuts []int64
	for _, e := range eps {
		if e.Rhythm != Pause && e.End > e.Start {
			cuts = append(cuts, e.Start, e.End)
		}
	}
	slices.Sort(cuts)
	if i := slices.IndexFunc(beats, func(b annotate.Beat) bool {
		return b.Code.IsBeat() && (len(cuts) == 0 || b.Sample < cuts[0])
	}); i >= 0 && (len(cuts) == 0 || cuts[0] > 0) {
		cuts = append([]int64{0}, cuts...)
	}
	var out []Annotation
	cur := ""
	for _, t := range slices.Compact(cuts) {
		r := ""
		for _, e := range eps {
			if e.Rhythm != Pause && e.Start <= t && t < e.End && (r == "" || outranks(e.Rhythm, r)) {
				r = e.Rhythm
			}
		}
		if r == "" {
			r = "N"
		}
		if r != cur {
			out = append(out, Annotation{Sample: t, Code: annotate.Rhythm, Aux: rhythmAux(r)})
			cur = r
		}
	}
	return out
}

// pauseDecimals is how many decimals of a second give a sample back at
// fs: as many as fs has digits.
func pauseDecimals(fs float64) int {
	return max(2, len(strconv.FormatInt(int64(math.Abs(fs)), 10)))
}

// pauseNotes writes each pause as a comment at its start.
func pauseNotes(eps []annotate.Episode, fs float64) []Annotation {
	var out []Annotation
	for _, e := range eps {
		if e.Rhythm == Pause && fs > 0 && e.End > e.Start {
			aux := fmt.Sprintf("PAUSE %.*f s", pauseDecimals(fs), float64(e.End-e.Start)/fs)
			out = append(out, Annotation{Sample: e.Start, Code: annotate.Note, Aux: aux})
		}
	}
	return out
}

// noiseMarks writes a '~' wherever the mask of noisy and unreadable leads
// changes.
func noiseMarks(noise []annotate.Noise, nLeads int) []Annotation {
	var cuts []int64
	for _, n := range noise {
		if n.End > n.Start {
			cuts = append(cuts, n.Start, n.End)
		}
	}
	slices.Sort(cuts)
	var out []Annotation
	var state uint8
	for _, t := range slices.Compact(cuts) {
		var bits uint8
		for _, n := range noise {
			if n.Start <= t && t < n.End {
				bits |= noiseBits(n, nLeads)
			}
		}
		if bits != state {
			out = append(out, Annotation{Sample: t, Code: annotate.NoiseAnn, Sub: int8(bits)})
			state = bits
		}
	}
	return out
}

// allLeads is the subtype bit mask of every lead of a record: the format
// has bits for four leads.
func allLeads(nLeads int) uint8 { return uint8(1)<<min(max(nLeads, 1), 4) - 1 }

// unreadable reports whether a noise reason means no ECG can be read there
// (the high subtype bits) rather than a noisy but readable signal.
func unreadable(reason string) bool {
	switch reason {
	case "unreadable", "lead off", "saturation", "artefact":
		return true
	}
	return false
}

// noiseBits is the '~' subtype of one noise stretch. A stretch on every
// lead (Lead -1), or on a lead the four bits cannot name, sets the bits of
// every lead; unreadable everywhere is -1, as MIT-BIH writes it.
func noiseBits(n annotate.Noise, nLeads int) uint8 {
	one := n.Lead >= 0 && n.Lead < 4
	switch {
	case one && unreadable(n.Reason):
		return 1 << (n.Lead + 4)
	case one:
		return 1 << n.Lead
	case unreadable(n.Reason):
		return 0xff
	}
	return allLeads(nLeads)
}
