package export

import "github.com/ecgstation/ecgstation/annotate"

// labelSchema maps beat codes to the class indices of beats.npz.
type labelSchema struct {
	name    string
	classes []string
	index   [annotate.MaxCode + 1]int // class index per code, -1: not exported
}

// newSchema returns the "aami" schema (N S V F Q, annotate.AAMIMapping) or
// the "mit" one: every WFDB beat symbol (annotate.Code.IsBeat), in code
// order, whether or not it occurs, so that exports agree on the indices.
func newSchema(kind string) *labelSchema {
	s := &labelSchema{name: kind}
	for c := range s.index {
		s.index[c] = -1
	}
	if kind == "mit" {
		for c := annotate.Code(0); c <= annotate.MaxCode; c++ {
			if c.IsBeat() {
				s.index[c] = len(s.classes)
				s.classes = append(s.classes, c.Symbol())
			}
		}
		return s
	}
	for _, k := range annotate.Classes {
		s.classes = append(s.classes, k.String())
	}
	for c := annotate.Code(0); c <= annotate.MaxCode; c++ {
		if k := c.Class(); k != annotate.ClassNone && c.IsBeat() {
			s.index[c] = int(k) - 1
		}
	}
	return s
}

// of returns the class index of code c, or -1 when c is not exported.
func (s *labelSchema) of(c annotate.Code) int {
	if c > annotate.MaxCode {
		return -1
	}
	return s.index[c]
}

// mapping lists, per class, the symbols that map to it (for the manifest).
func (s *labelSchema) mapping() map[string][]string {
	m := map[string][]string{}
	for c := annotate.Code(0); c <= annotate.MaxCode; c++ {
		if i := s.of(c); i >= 0 {
			m[s.classes[i]] = append(m[s.classes[i]], c.Symbol())
		}
	}
	return m
}

// aamiIndex is the AAMI class index of a beat code (0 N .. 4 Q), or -1.
func aamiIndex(c annotate.Code) int {
	if !c.IsBeat() {
		return -1
	}
	return int(c.Class()) - 1
}
