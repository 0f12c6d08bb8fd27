package export

import (
	"math"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// ToWFDB turns a label set into the annotations of a WFDB annotation file,
// sorted by sample, the inverse of store.FromWFDB:
//   - every beat (and non-beat point label) as itself, with its lead (Chan);
//   - a '+' rhythm change with aux "(RHYTHM" wherever the rhythm changes:
//     at an episode's start, and at its end the rhythm of the episode still
//     running, or "(N" when none is (WFDB rhythms last until the next
//     change, so a gap between episodes is written as sinus rhythm);
//     overlapping episodes become consecutive ones, the later start winning;
//   - a '~' signal quality change wherever the set of noisy leads changes,
//     the subtype holding one bit per lead (bits 0-3 noisy, 4-7 unreadable,
//     the MIT-BIH convention), 0 when the signal is clean again. A stretch
//     on every lead (Lead -1) sets the bits of the first nLeads leads (at
//     most 4) when noisy, and all bits (-1) when unreadable, as MIT-BIH
//     writes them.
//
// Changes at or after nsamples (the record's end; 0 if unknown) are left
// out. Deleted episodes and noise (tombstones) must be left out by the
// caller.
func ToWFDB(beats []annotate.Beat, eps []annotate.Episode, noise []annotate.Noise, nLeads int, nsamples int64) []wfdb.Annotation {
	var out []wfdb.Annotation
	for _, a := range append(rhythmChanges(eps), noiseChanges(noise, nLeads)...) {
		if nsamples <= 0 || a.Sample < nsamples {
			out = append(out, a)
		}
	}
	for _, b := range beats {
		out = append(out, wfdb.Annotation{Sample: b.Sample, Code: b.Code, Chan: b.Chan})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sample < out[j].Sample })
	return out
}

// boundaries returns the sorted distinct starts and ends of spans.
func boundaries(n int, at func(i int) (int64, int64)) []int64 {
	var ts []int64
	for i := range n {
		a, b := at(i)
		ts = append(ts, a, b)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	out := ts[:0]
	for i, t := range ts {
		if i == 0 || t != ts[i-1] {
			out = append(out, t)
		}
	}
	return out
}

func rhythmChanges(eps []annotate.Episode) []wfdb.Annotation {
	var out []wfdb.Annotation
	state := ""
	for _, t := range boundaries(len(eps), func(i int) (int64, int64) { return eps[i].Start, eps[i].End }) {
		r, latest := "", int64(math.MinInt64)
		for _, e := range eps {
			if e.Start <= t && t < e.End && e.Start >= latest {
				r, latest = e.Rhythm, e.Start
			}
		}
		if r == "" {
			if state == "" || state == "N" {
				continue
			}
			r = "N"
		}
		if r != state {
			out = append(out, wfdb.Annotation{Sample: t, Code: annotate.Rhythm, Aux: "(" + r})
			state = r
		}
	}
	return out
}

func noiseChanges(noise []annotate.Noise, nLeads int) []wfdb.Annotation {
	var out []wfdb.Annotation
	var state uint8
	for _, t := range boundaries(len(noise), func(i int) (int64, int64) { return noise[i].Start, noise[i].End }) {
		var bits uint8
		for _, n := range noise {
			if n.Start <= t && t < n.End {
				bits |= noiseBits(n, nLeads)
			}
		}
		if bits != state {
			out = append(out, wfdb.Annotation{Sample: t, Code: annotate.NoiseAnn, Sub: int8(bits)})
			state = bits
		}
	}
	return out
}

// noiseBits is the '~' subtype of one noise stretch.
func noiseBits(n annotate.Noise, nLeads int) uint8 {
	b := uint8(1)<<min(max(nLeads, 1), 4) - 1
	if n.Lead >= 0 && n.Lead < 4 {
		b = 1 << n.Lead
	}
	switch {
	case n.Reason != "unreadable":
		return b
	case n.Lead >= 0 && n.Lead < 4:
		return b << 4
	}
	return 0xff
}

// wfdbName is the annotation file name of a record in the export.
func (p *recPlan) wfdbName(ext string) string {
	if p.dupName {
		return p.info.Name + "_" + p.key()[:8] + "." + ext
	}
	return p.info.Name + "." + ext
}

// writeWFDB writes the live labels of one record as a WFDB annotation file.
func (e *exporter) writeWFDB(p *recPlan) error {
	ls, _, err := e.db.Labels(p.entry.ID, p.reader)
	if err != nil {
		return err
	}
	var eps []annotate.Episode
	for _, x := range ls.Episodes {
		if !x.Deleted {
			eps = append(eps, x.Episode)
		}
	}
	var noise []annotate.Noise
	for _, x := range ls.Noise {
		if !x.Deleted {
			noise = append(noise, x.Noise)
		}
	}
	anns := ToWFDB(ls.Beats, eps, noise, len(p.info.Leads), p.info.NSamples)
	f, err := e.create(p.wfdbName(e.opt.AnnExt))
	if err != nil {
		return err
	}
	err = wfdb.WriteAnnotations(f, anns)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
