package export

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
)

// ParsePatients reads a patient map: one "record,patient" pair a line
// (record name as the database knows it, e.g. "201"; patient any key that
// names one person), with blank lines and lines starting with # ignored.
// Records of one patient always land in the same split (Options.Patients).
func ParsePatients(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rec, pat, ok := strings.Cut(line, ",")
		rec, pat = strings.TrimSpace(rec), strings.TrimSpace(pat)
		if !ok || rec == "" || pat == "" {
			return nil, fmt.Errorf("%w: patients line %d: %q is not record,patient", ErrOption, n, line)
		}
		if old, dup := out[rec]; dup && old != pat {
			return nil, fmt.Errorf("%w: patients line %d: record %s is given patients %q and %q", ErrOption, n, rec, old, pat)
		}
		out[rec] = pat
	}
	return out, sc.Err()
}

// splitGroup is the unit the split assigns: one patient's records, or one
// record without a patient key.
type splitGroup struct {
	rank  uint64
	plans []*recPlan
}

// groupKey is what a record's group is ranked by: "patient:" and the
// patient key when the patient map names one, else the record id, so an
// export without a map splits exactly as by record.
func (p *recPlan) groupKey() string {
	if p.patient != "" {
		return "patient:" + p.patient
	}
	return string(p.entry.ID)
}

// assignPatientIndexes sets each plan's manifest patient field: "p001",
// "p002", ... in the order patient keys first appear among the records
// sorted by name (then id), "" for a record without a key. The index only
// groups the records of one patient within this export; it is not derived
// from the key (which may be a name or an MRN), so nothing in it can be
// matched against a guess of the key.
func assignPatientIndexes(plans []*recPlan) {
	sorted := slices.Clone(plans)
	slices.SortFunc(sorted, func(a, b *recPlan) int {
		return cmp.Or(cmp.Compare(a.info.Name, b.info.Name), cmp.Compare(a.entry.ID, b.entry.ID))
	})
	index := map[string]string{}
	for _, p := range sorted {
		if p.patient == "" {
			continue
		}
		if index[p.patient] == "" {
			index[p.patient] = fmt.Sprintf("p%03d", len(index)+1)
		}
		p.patientIndex = index[p.patient]
	}
}

// assignSplits gives each record its split by patient: records are grouped
// by groupKey, groups are ordered by SHA-256(seed as 8 big-endian bytes,
// key), and the first share[0] of the groups (rounded) go to train, the
// next share[1] to val, the rest to test. Which records land where depends
// only on the seed, the keys and the number of groups.
func assignSplits(plans []*recPlan, share [3]float64, seed uint64) {
	byKey := map[string]*splitGroup{}
	var groups []*splitGroup
	for _, p := range plans {
		k := p.groupKey()
		g := byKey[k]
		if g == nil {
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], seed)
			h := sha256.Sum256(append(b[:], k...))
			g = &splitGroup{rank: binary.BigEndian.Uint64(h[:8])}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.plans = append(g.plans, p)
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].rank < groups[j].rank })
	n := float64(len(groups))
	sum := share[0] + share[1] + share[2]
	nTrain := int(math.Round(n * share[0] / sum))
	nVal := min(int(math.Round(n*share[1]/sum)), len(groups)-nTrain)
	for i, g := range groups {
		split := uint8(2)
		switch {
		case i < nTrain:
			split = 0
		case i < nTrain+nVal:
			split = 1
		}
		for _, p := range g.plans {
			p.split = split
		}
	}
}
