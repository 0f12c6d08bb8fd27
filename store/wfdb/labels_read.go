package wfdb

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// ToLabels turns the annotations of an MIT annotation file of the record
// info describes into labels, each with provenance prov and unreviewed. It
// is the one way WFDB annotations are read as labels, the inverse of
// FromLabels:
//
//   - a '+' rhythm change starts an episode of its aux rhythm ("(AFIB" is
//     AFIB, MIT-BIH's "(SBR" is BRADY) that lasts until the next change to
//     another rhythm, or the record's end;
//   - a comment '"' "PAUSE 2.500 s" is a pause episode from its sample for
//     that long;
//   - a '~' sets which leads are noisy or unreadable until the next '~':
//     bit k of the subtype (k < 4) a noisy lead k, bit 4+k an unreadable
//     one, -1 every lead unreadable; bits naming every lead of a record of
//     two leads or more make one stretch on every lead (Lead -1);
//   - every other annotation is a point label (a Beat) with its code and
//     lead (Chan), non-beat codes such as '|', '[' and ']' included.
//
// The record's end is NSamples, or just after the last annotation when
// that is later (or NSamples unknown).
func ToLabels(anns []Annotation, info annotate.RecordInfo, prov annotate.Provenance) Labels {
	end := info.NSamples
	if n := len(anns); n > 0 && anns[n-1].Sample >= end {
		end = anns[n-1].Sample + 1
	}
	r := labelReader{end: end, fs: info.Fs, nLeads: len(info.Leads), prov: prov, rhythm: -1, open: map[noiseSlot]int64{}}
	r.l.Beats = make([]annotate.Beat, 0, len(anns))
	for _, a := range anns {
		r.add(a)
	}
	r.noiseAt(end, 0)
	r.l.Episodes = slices.DeleteFunc(r.l.Episodes, func(e annotate.Episode) bool { return e.End <= e.Start })
	slices.SortStableFunc(r.l.Episodes, func(a, b annotate.Episode) int { return cmp.Compare(a.Start, b.Start) })
	slices.SortFunc(r.l.Noise, func(a, b annotate.Noise) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Lead, b.Lead), cmp.Compare(a.Reason, b.Reason))
	})
	return r.l
}

// labelReader is ToLabels' state while it reads the annotations in order.
type labelReader struct {
	l      Labels
	end    int64
	fs     float64
	nLeads int
	prov   annotate.Provenance
	rhythm int                 // index of the rhythm episode going on, or -1
	open   map[noiseSlot]int64 // noise stretches going on, by their start
}

func (r *labelReader) add(a Annotation) {
	switch a.Code {
	case annotate.Rhythm:
		r.rhythmAt(a.Sample, RhythmName(a.Text()))
	case annotate.NoiseAnn:
		r.noiseAt(a.Sample, a.Sub)
	case annotate.Note:
		if n, ok := pauseLength(a.Text(), r.fs); ok {
			r.l.Episodes = append(r.l.Episodes, annotate.Episode{Start: a.Sample, End: a.Sample + n, Rhythm: Pause, Prov: r.prov})
			return
		}
		fallthrough
	default:
		r.l.Beats = append(r.l.Beats, annotate.Beat{Sample: a.Sample, Code: a.Code, Chan: a.Chan, Prov: r.prov})
	}
}

// RhythmName is the label rhythm of a rhythm text (a '+' aux, an EDF+
// annotation): "(AFIB\x00" is AFIB, MIT-BIH's "(SBR" is BRADY.
func RhythmName(aux string) string {
	r := strings.TrimRight(strings.TrimPrefix(aux, "("), "\x00 ")
	if l, ok := fromMIT[r]; ok {
		return l
	}
	return r
}

func (r *labelReader) rhythmAt(t int64, rhythm string) {
	if rhythm == "" || (r.rhythm >= 0 && r.l.Episodes[r.rhythm].Rhythm == rhythm) {
		return
	}
	if r.rhythm >= 0 {
		r.l.Episodes[r.rhythm].End = t
	}
	r.l.Episodes = append(r.l.Episodes, annotate.Episode{Start: t, End: r.end, Rhythm: rhythm, Prov: r.prov})
	r.rhythm = len(r.l.Episodes) - 1
}

// pauseLength reads a pause comment "PAUSE 2.500 s" as its length in
// samples at fs.
func pauseLength(text string, fs float64) (int64, bool) {
	rest, ok := strings.CutPrefix(text, "PAUSE ")
	num, ok2 := strings.CutSuffix(rest, " s")
	if !ok || !ok2 || !(fs > 0) {
		return 0, false
	}
	sec, err := strconv.ParseFloat(num, 64)
	n := math.Round(sec * fs)
	if err != nil || !(n >= 1 && n < 1<<40) {
		return 0, false
	}
	return int64(n), true
}

// noiseSlot is one kind of noise stretch a '~' subtype can say: a lead (or
// -1 for every lead), noisy or unreadable.
type noiseSlot struct {
	lead       int
	unreadable bool
}

// noiseSlots returns the stretches the subtype sub says are going on. In a
// record of one lead the bit of lead 0 stays lead 0.
func noiseSlots(sub int8, nLeads int) []noiseSlot {
	m := uint8(sub)
	if m == 0xff {
		return []noiseSlot{{-1, true}}
	}
	var out []noiseSlot
	all := allLeads(nLeads)
	for _, half := range []struct {
		bits       uint8
		unreadable bool
	}{{m & 0x0f, false}, {m >> 4, true}} {
		b := half.bits
		if all&(all-1) != 0 && b&all == all {
			out = append(out, noiseSlot{-1, half.unreadable})
			b &^= all
		}
		for k := range 4 {
			if b&(1<<k) != 0 {
				out = append(out, noiseSlot{k, half.unreadable})
			}
		}
	}
	return out
}

// noiseAt ends the stretches the subtype sub no longer says at t and
// starts the new ones.
func (r *labelReader) noiseAt(t int64, sub int8) {
	now := noiseSlots(sub, r.nLeads)
	for s, start := range r.open {
		if !slices.Contains(now, s) {
			reason := "noise"
			if s.unreadable {
				reason = "unreadable"
			}
			if t > start {
				r.l.Noise = append(r.l.Noise, annotate.Noise{Start: start, End: t, Lead: s.lead, Reason: reason, Prov: r.prov})
			}
			delete(r.open, s)
		}
	}
	for _, s := range now {
		if _, ok := r.open[s]; !ok {
			r.open[s] = t
		}
	}
}
