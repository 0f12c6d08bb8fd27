package export

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/store"
)

// Errors about the records of an export.
var (
	ErrRecordMoved   = errors.New("export: record file is not at its last known path")
	ErrRecordChanged = errors.New("export: record file content differs from the labelled record")
	ErrNoSuchRecord  = errors.New("export: no record matches")
	ErrReader        = errors.New("export: cannot tell whose labels to export")
	ErrLeads         = errors.New("export: leads do not fit")
)

// recPlan is one record of an export: what it is, whose labels, which
// split, and what pass 1 counted.
type recPlan struct {
	idx      int
	entry    store.RecordEntry
	reader   annotate.ReaderID
	spans    store.Spans
	info     annotate.RecordInfo // from the record file
	split    uint8
	leads    []int     // lead indices in the file
	scales   []float64 // mV per (digital - baseline) unit, per exported lead
	episodes []annotate.Episode
	noise    []span // merged noise on the exported leads (input samples)
	unowned  []span // merged spans of episodes no reader owns
	cand     []int64
	leftOut  map[string]int64
	segs     int64  // rhythm segments
	dupName  bool   // another record of the export has the same name
	patient  string // patient key from Options.Patients; "" when none
	// patientIndex is the manifest's patient field (assignPatientIndexes).
	patientIndex string
}

// span is a half-open sample interval.
type span struct{ start, end int64 }

// key is the short record id written into records arrays.
func (p *recPlan) key() string { return string(p.entry.ID[:16]) }

// selectRecords returns the records of the export, sorted by name then id.
func selectRecords(db *store.DB, sel []string) ([]store.RecordEntry, error) {
	all, err := db.Records()
	if err != nil {
		return nil, err
	}
	out := all
	if len(sel) > 0 {
		out = nil
		seen := map[annotate.RecordID]bool{}
		for _, s := range sel {
			m, err := matchRecord(all, s)
			if err != nil {
				return nil, err
			}
			if !seen[m.ID] {
				seen[m.ID] = true
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Info.Name != out[j].Info.Name {
			return out[i].Info.Name < out[j].Info.Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// matchRecord finds the one record that s names: id, id prefix (8+ hex
// digits), record name or last known path.
func matchRecord(all []store.RecordEntry, s string) (store.RecordEntry, error) {
	var hits []store.RecordEntry
	for _, e := range all {
		id := string(e.ID)
		if id == s || (len(s) >= 8 && strings.HasPrefix(id, s)) || e.Info.Name == s || e.Path == s {
			hits = append(hits, e)
		}
	}
	switch len(hits) {
	case 0:
		return store.RecordEntry{}, fmt.Errorf("%w %q (give an id, an id prefix of 8+ digits, a name or a path)", ErrNoSuchRecord, s)
	case 1:
		return hits[0], nil
	}
	return store.RecordEntry{}, fmt.Errorf("%w: %q names %d records (%s, %s...): give an id prefix", ErrNoSuchRecord, s, len(hits), hits[0].ID[:12], hits[1].ID[:12])
}

// chooseReader picks whose label set of e is exported; ok is false when
// the wanted reader has none there.
func chooseReader(e store.RecordEntry, want annotate.ReaderID) (annotate.ReaderID, bool, error) {
	if want != "" {
		for _, r := range e.Readers {
			if r.Reader == want {
				return want, true, nil
			}
		}
		return "", false, nil
	}
	var signed *store.ReaderEntry
	for i, r := range e.Readers {
		if r.Status.State == annotate.StateSignedOff && (signed == nil || r.Status.At.After(signed.Status.At)) {
			signed = &e.Readers[i]
		}
	}
	switch {
	case signed != nil:
		return signed.Reader, true, nil
	case len(e.Readers) == 1:
		return e.Readers[0].Reader, true, nil
	case len(e.Readers) == 0:
		return "", false, nil
	}
	names := make([]string, len(e.Readers))
	for i, r := range e.Readers {
		names[i] = string(r.Reader)
	}
	return "", false, fmt.Errorf("%w: record %s (%s) has label sets of %s and none is signed off: choose one with --reader",
		ErrReader, e.Info.Name, e.ID[:12], strings.Join(names, ", "))
}

// verify checks that the record file is still where the database last saw
// it and still has the content the labels belong to, and returns its info.
func verify(e store.RecordEntry) (annotate.RecordInfo, error) {
	what := fmt.Sprintf("record %s (%s)", e.Info.Name, e.ID[:12])
	if _, err := os.Stat(e.Path); err != nil {
		if _, herr := os.Stat(e.Path + ".hea"); herr != nil {
			return annotate.RecordInfo{}, fmt.Errorf("%w: %s: %s: %v (open the record from its new place so the database learns the path)", ErrRecordMoved, what, e.Path, err)
		}
	}
	id, err := store.HashRecord(e.Path)
	if err != nil {
		return annotate.RecordInfo{}, fmt.Errorf("%s: %w", what, err)
	}
	if id != e.ID {
		return annotate.RecordInfo{}, fmt.Errorf("%w: %s: %s now hashes to %s", ErrRecordChanged, what, e.Path, id[:12])
	}
	r, err := store.Open(e.Path)
	if err != nil {
		return annotate.RecordInfo{}, fmt.Errorf("%s: %w", what, err)
	}
	defer r.Close()
	return r.Signal.Info(), nil
}

// chooseLeads fills p.leads and p.scales from the wanted lead indices (nil:
// all leads).
func (p *recPlan) chooseLeads(want []int) error {
	p.leads = want
	if want == nil {
		p.leads = make([]int, len(p.info.Leads))
		for i := range p.leads {
			p.leads[i] = i
		}
	}
	p.scales = make([]float64, len(p.leads))
	for i, l := range p.leads {
		if l < 0 || l >= len(p.info.Leads) {
			return fmt.Errorf("%w: record %s has %d leads, no lead %d", ErrLeads, p.info.Name, len(p.info.Leads), l)
		}
		ld := p.info.Leads[l]
		scale, ok := beatwin.Scale(ld)
		if !ok {
			return fmt.Errorf("%w: record %s lead %d (%s) is in %q, not a voltage: leave it out with --leads", ErrLeads, p.info.Name, l, ld.Name, ld.Units)
		}
		p.scales[i] = scale
	}
	return nil
}

// liveSpans keeps the live episodes, and merges the live noise stretches
// on the exported leads into disjoint sorted spans, and those of the
// episodes no reader owns (--reviewed-only drops segments over them).
func (p *recPlan) liveSpans() {
	var unowned []span
	for _, e := range p.spans.Episodes {
		if e.Deleted {
			continue
		}
		if !annotate.ReaderOwned(e.Prov, e.Review) {
			unowned = append(unowned, span{e.Start, e.End})
		}
		p.episodes = append(p.episodes, e.Episode)
	}
	var ns []span
	for _, n := range p.spans.Noise {
		if !n.Deleted && p.onExportedLead(n.Lead) {
			ns = append(ns, span{n.Start, n.End})
		}
	}
	p.noise = mergeSpans(ns)
	p.unowned = mergeSpans(unowned)
}

func (p *recPlan) onExportedLead(l int) bool {
	if l < 0 {
		return true
	}
	for _, x := range p.leads {
		if x == l {
			return true
		}
	}
	return false
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(s []span) []span {
	sort.Slice(s, func(i, j int) bool { return s[i].start < s[j].start })
	var out []span
	for _, x := range s {
		if x.end <= x.start {
			continue
		}
		if k := len(out) - 1; k >= 0 && x.start <= out[k].end {
			out[k].end = max(out[k].end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}

// overlaps reports whether [a, b) meets any of the sorted disjoint spans;
// it moves *at forward, so calls must come with non-decreasing a.
func overlaps(spans []span, at *int, a, b int64) bool {
	for *at < len(spans) && spans[*at].end <= a {
		*at++
	}
	return *at < len(spans) && spans[*at].start < b
}
