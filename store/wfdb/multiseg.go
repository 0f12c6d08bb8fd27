package wfdb

import (
	"fmt"
	"os"
	"path/filepath"
)

// initMulti sets up a multi-segment record. With a layout segment (the
// first segment, of length 0) the record's signals are the layout's and each
// segment's signals are matched to them by description; without one
// (fixed layout) they are the first real segment's, matched by position.
// Only the layout (or first) segment header is read here; the others are
// opened at their first read.
func (r *Record) initMulti() error {
	dir := filepath.Dir(r.path)
	specs := r.hdr.Segments
	variable := len(specs) > 0 && specs[0].NSamples == 0 && specs[0].Name != "~"
	first := -1
	for i, sp := range specs {
		if sp.Name != "~" && (sp.NSamples > 0 || i == 0) {
			first = i
			break
		}
	}
	if first < 0 {
		r.layout = nil
	} else {
		h, err := readHeaderFile(filepath.Join(dir, specs[first].Name+".hea"))
		if err != nil {
			return err
		}
		if len(h.Signals) != r.hdr.NSignals {
			return lineErr(r.path, 0, ErrBadHeader, "segment %s has %d signals, record says %d",
				specs[first].Name, len(h.Signals), r.hdr.NSignals)
		}
		r.layout = h.Signals
	}
	r.addSegments(dir, variable)
	return nil
}

func (r *Record) addSegments(dir string, variable bool) {
	var at int64
	for i, sp := range r.hdr.Segments {
		if variable && i == 0 {
			continue
		}
		s := &segment{n: sp.NSamples}
		if sp.Name != "~" {
			s.path = filepath.Join(dir, sp.Name+".hea")
			s.mapping = r.mapper(variable)
		}
		r.segs = append(r.segs, s)
		r.starts = append(r.starts, at)
		at += sp.NSamples
	}
	if len(r.segs) == 0 {
		r.segs = []*segment{{}}
		r.starts = []int64{0}
	}
}

// mapper returns how a segment's signals map onto the record's.
func (r *Record) mapper(variable bool) func(*segReader) ([]int, bool, error) {
	return func(s *segReader) ([]int, bool, error) {
		sigs := s.hdr.Signals
		idx := make([]int, len(r.layout))
		used := make([]bool, len(sigs))
		direct := len(sigs) == len(r.layout)
		for i, l := range r.layout {
			idx[i] = -1
			for j, sg := range sigs {
				if !used[j] && (variable && sg.Description == l.Description || !variable && i == j) {
					idx[i], used[j] = j, true
					break
				}
			}
			direct = direct && idx[i] == i && sigs[i].Gain == l.Gain &&
				sigs[i].Baseline == l.Baseline && sigs[i].SampsPerFrame == l.SampsPerFrame
		}
		if !variable && len(sigs) != len(r.layout) {
			return nil, false, fmt.Errorf("%w: segment %s has %d signals, fixed layout has %d",
				ErrBadHeader, s.path, len(sigs), len(r.layout))
		}
		return idx, direct, nil
	}
}

func readHeaderFile(path string) (*Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wfdb: open header: %w", err)
	}
	defer f.Close()
	return ParseHeader(path, f)
}
